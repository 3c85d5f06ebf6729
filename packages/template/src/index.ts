export { renderTemplate } from './render.js';
export type { RenderOptions, RenderResult } from './render.js';
export { formatProblem } from './problem.js';
export type { TemplateProblem, TemplateProblemKind } from './problem.js';
export { MAX_NESTING } from './token-stream.js';
