export { renderTemplate } from './render.js';
export type {
  RenderOptions,
  RenderResult,
  TemplateProblem,
  TemplateProblemKind,
} from './render.js';
