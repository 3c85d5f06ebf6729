/** Kinds of problems a render reports. */
export type TemplateProblemKind =
  'undefined_variable' | 'unresolved_file' | 'syntax_error' | 'unsupported';

export interface TemplateProblem {
  kind: TemplateProblemKind;
  /** 1-based line in the template. */
  line: number;
  message: string;
}

/** Formats a problem as one line of text, such as `line 3: 'x' is undefined`. */
export function formatProblem(problem: TemplateProblem): string {
  return `line ${problem.line}: ${problem.message}`;
}

/**
 * Error that stops a render: a syntax error, or a construct outside the
 * supported subset. It never leaves `renderTemplate`, which turns it into a
 * problem.
 */
export class TemplateError extends Error {
  constructor(
    readonly kind: 'syntax_error' | 'unsupported',
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }

  toProblem(): TemplateProblem {
    return { kind: this.kind, line: this.line, message: this.message };
  }
}

/** Creates a syntax error at `line`, for the caller to throw. */
export function syntaxError(line: number, message: string): TemplateError {
  return new TemplateError('syntax_error', line, message);
}

/** Creates an error for a construct outside the supported subset, for the caller to throw. */
export function unsupported(line: number, message: string): TemplateError {
  return new TemplateError('unsupported', line, message);
}
