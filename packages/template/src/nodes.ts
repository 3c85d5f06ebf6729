// Syntax tree of a parsed template. Chains (`a or b or c`, `a ~ b ~ c`,
// `x|f|g`) are stored as lists rather than nested nodes, so evaluating a
// long chain does not recurse once per link.
import type { Value } from './values.js';

export type Expression =
  | { type: 'literal'; value: Value; line: number }
  | { type: 'name'; name: string; line: number }
  | { type: 'not'; operand: Expression; line: number }
  | { type: 'and' | 'or' | 'concat'; operands: Expression[]; line: number }
  | { type: 'compare'; first: Expression; comparisons: Comparison[]; line: number }
  | { type: 'pipeline'; input: Expression; steps: PipelineStep[]; line: number };

export interface Comparison {
  operator: '==' | '!=';
  operand: Expression;
}

/** One `|filter(args)` or `is [not] test` applied to the value before it. */
export type PipelineStep =
  | { kind: 'filter'; name: string; args: Expression[]; line: number }
  | { kind: 'test'; name: string; negated: boolean; line: number };

export type TemplateNode =
  | { type: 'text'; text: string }
  | { type: 'print'; expression: Expression; line: number }
  | { type: 'file'; path: string; line: number }
  | { type: 'if'; branches: Branch[]; otherwise: TemplateNode[]; line: number };

export interface Branch {
  test: Expression;
  body: TemplateNode[];
}
