// Renders a parsed template. Names are looked up only among the caller's
// own variables, and nothing else is reachable: there is no attribute
// access, no call and no loading of other templates.
import { normaliseDataPath } from './file-tag.js';
import { FILTERS, TESTS } from './filters.js';
import type { Expression, PipelineStep, TemplateNode } from './nodes.js';
import { unsupported, type TemplateProblem } from './problem.js';
import type { RenderOptions } from './render.js';
import { UndefinedValue, isTruthy, valueToText, valuesEqual, type Value } from './values.js';

// Names Jinja's default environment defines itself. Jinja would print them
// as Python objects (`{{ range }}` gives "<class 'range'>"), so a template
// using one cannot render as Jinja renders it. A variable of the same name
// takes their place, except `self`, which Jinja always binds to the template.
const JINJA_GLOBALS = new Set(['range', 'dict', 'lipsum', 'cycler', 'joiner', 'namespace']);

export class Evaluator {
  readonly problems: TemplateProblem[] = [];
  private readonly reportedNames = new Set<string>();
  private readonly toText = (value: Value): string => this.toOutputText(value);

  constructor(private readonly options: RenderOptions) {}

  /** Renders nodes to text. Throws a TemplateError for an unsupported value or name. */
  render(nodes: TemplateNode[]): string {
    const output: string[] = [];

    this.renderNodes(nodes, output);
    return output.join('');
  }

  private renderNodes(nodes: TemplateNode[], output: string[]): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          output.push(node.text);
          break;
        case 'print':
          output.push(this.toOutputText(this.evaluate(node.expression)));
          break;
        case 'file':
          output.push(this.renderFileTag(node.path, node.line));
          break;
        case 'if':
          this.renderNodes(this.chooseBranch(node), output);
          break;
      }
    }
  }

  private chooseBranch(node: Extract<TemplateNode, { type: 'if' }>): TemplateNode[] {
    for (const branch of node.branches) {
      if (isTruthy(this.evaluate(branch.test))) return branch.body;
    }

    return node.otherwise;
  }

  private renderFileTag(path: string, line: number): string {
    const normalised = normaliseDataPath(path);

    if (!normalised.ok) {
      this.report(
        'unresolved_file',
        line,
        `file path '${path}' ${normalised.reason}, so it was not resolved and renders unchanged`,
      );
      return path;
    }

    const { resolveFile } = this.options;

    if (resolveFile === undefined) {
      this.report(
        'unresolved_file',
        line,
        `file '${path}' renders unchanged, because no data folder is configured`,
      );
      return path;
    }

    const resolved = resolveFile(normalised.path);

    if (typeof resolved === 'string') return resolved;

    this.report(
      'unresolved_file',
      line,
      `file '${path}' was not found in the data folder and renders unchanged`,
    );
    return path;
  }

  // Converts a value to output text. An undefined value becomes empty text
  // and is reported once per name.
  private toOutputText(value: Value): string {
    if (value instanceof UndefinedValue && !this.reportedNames.has(value.name)) {
      this.reportedNames.add(value.name);
      this.report(
        'undefined_variable',
        value.line,
        `'${value.name}' is undefined and renders as empty text`,
      );
    }

    return valueToText(value);
  }

  private report(kind: TemplateProblem['kind'], line: number, message: string): void {
    this.problems.push({ kind, line, message });
  }

  private evaluate(expression: Expression): Value {
    switch (expression.type) {
      case 'literal':
        return expression.value;
      case 'name':
        return this.lookUp(expression.name, expression.line);
      case 'not':
        return !isTruthy(this.evaluate(expression.operand));
      case 'and':
        return this.evaluateLogical(expression.operands, false);
      case 'or':
        return this.evaluateLogical(expression.operands, true);
      case 'concat':
        return expression.operands
          .map((operand) => this.toOutputText(this.evaluate(operand)))
          .join('');
      case 'compare':
        return this.evaluateComparison(expression);
      case 'pipeline':
        return this.evaluatePipeline(expression.input, expression.steps);
    }
  }

  // Only the caller's own keys are variables: `constructor` or `__proto__`
  // is undefined unless the caller set it.
  private lookUp(name: string, line: number): Value {
    if (name === 'self') {
      throw unsupported(line, "'self' (Jinja's reference to the template) is not supported");
    }

    const { variables } = this.options;
    const value: unknown = Object.hasOwn(variables, name) ? variables[name] : undefined;

    if (typeof value === 'string') return value;
    if (JINJA_GLOBALS.has(name)) {
      throw unsupported(line, `'${name}' is a Jinja global, which is not supported`);
    }

    return new UndefinedValue(name, line);
  }

  // Python's `and` returns the first false operand and `or` the first true
  // one, or else the last operand.
  private evaluateLogical(operands: Expression[], stopWhen: boolean): Value {
    let value: Value = null;

    for (const operand of operands) {
      value = this.evaluate(operand);
      if (isTruthy(value) === stopWhen) return value;
    }

    return value;
  }

  // `a == b != c` means `a == b and b != c`, as in Python.
  private evaluateComparison(expression: Extract<Expression, { type: 'compare' }>): boolean {
    let left = this.evaluate(expression.first);

    for (const { operator, operand } of expression.comparisons) {
      const right = this.evaluate(operand);

      if (valuesEqual(left, right) !== (operator === '==')) return false;
      left = right;
    }

    return true;
  }

  private evaluatePipeline(input: Expression, steps: PipelineStep[]): Value {
    let value = this.evaluate(input);

    for (const step of steps) {
      value = step.kind === 'filter' ? this.applyFilter(step, value) : this.applyTest(step, value);
    }

    return value;
  }

  private applyFilter(step: Extract<PipelineStep, { kind: 'filter' }>, value: Value): Value {
    const filter = FILTERS.get(step.name);

    if (filter === undefined) throw new Error(`parser accepted unknown filter '${step.name}'`);

    const args = step.args.map((arg) => this.evaluate(arg));

    return filter.apply(value, args, this.toText, step.line);
  }

  private applyTest(step: Extract<PipelineStep, { kind: 'test' }>, value: Value): boolean {
    const test = TESTS.get(step.name);

    if (test === undefined) throw new Error(`parser accepted unknown test '${step.name}'`);

    return test(value) !== step.negated;
  }
}
