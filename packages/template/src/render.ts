/** Kinds of problems a render reports. */
export type TemplateProblemKind =
  'undefined_variable' | 'unresolved_file' | 'syntax_error' | 'unsupported';

export interface TemplateProblem {
  kind: TemplateProblemKind;
  /** 1-based line in the template. */
  line: number;
  message: string;
}

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

export function renderTemplate(template: string, options: RenderOptions): RenderResult {
  void template;
  void options;
  throw new Error('not implemented');
}
