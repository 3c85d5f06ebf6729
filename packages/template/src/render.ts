import { Evaluator } from './evaluate.js';
import { parseTemplate } from './parser.js';
import { TemplateError, type TemplateProblem } from './problem.js';

export type { TemplateProblem, TemplateProblemKind } from './problem.js';

export interface RenderOptions {
  /** Template variables: each file resource's `name` mapped to its text. */
  variables: Readonly<Record<string, string>>;
  /** Absolute path for a `{% file PATH %}` tag, or undefined to render PATH unchanged. */
  resolveFile?: (path: string) => string | undefined;
}

export interface RenderResult {
  /** Rendered text, or null when a syntax error or unsupported construct stopped the render. */
  text: string | null;
  problems: TemplateProblem[];
}

/**
 * Renders a template as Jinja2 3.1's default `Environment()` would, for
 * the subset described in docs/templates.md. Problems are returned rather
 * than thrown, so only an exception from `resolveFile` propagates.
 */
export function renderTemplate(template: string, options: RenderOptions): RenderResult {
  const source = normaliseNewlines(template);
  const evaluator = new Evaluator(options);

  try {
    const text = evaluator.render(parseTemplate(source));

    return { text, problems: evaluator.problems };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;

    return { text: null, problems: [...evaluator.problems, error.toProblem()] };
  }
}

// Jinja turns `\r\n` and `\r` into `\n` and, with keep_trailing_newline off,
// drops one newline at the end of the template.
function normaliseNewlines(template: string): string {
  const source = template.replace(/\r\n?/g, '\n');

  return source.endsWith('\n') ? source.slice(0, -1) : source;
}
