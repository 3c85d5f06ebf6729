// Expression parser for the supported subset. It follows the precedence of
// Jinja2 3.1's parser (or, and, not, comparison, ~, filters and tests) and
// recognises every other Jinja expression form only to reject it with an
// `unsupported` error, so nothing outside the subset can run.
import type { Comparison, Expression, PipelineStep } from './nodes.js';
import { syntaxError, unsupported } from './problem.js';
import { FILTERS, TESTS } from './filters.js';
import type { TokenStream } from './token-stream.js';
import { describeToken, type Token, type TokenType } from './tokens.js';

const ORDERING_OPERATORS: ReadonlySet<TokenType> = new Set(['lt', 'lteq', 'gt', 'gteq']);
const ARITHMETIC_OPERATORS: ReadonlySet<TokenType> = new Set([
  'add',
  'sub',
  'mul',
  'div',
  'floordiv',
  'mod',
  'pow',
]);
// Tokens that start an argument of a test written without parentheses (`x is divisibleby 3`).
const TEST_ARGUMENT_STARTS: ReadonlySet<TokenType> = new Set([
  'name',
  'string',
  'integer',
  'float',
  'lparen',
  'lbracket',
  'lbrace',
]);
const TEST_ARGUMENT_STOPS = new Set(['else', 'or', 'and']);

export class ExpressionParser {
  constructor(private readonly stream: TokenStream) {}

  /**
   * Parses the expression of a `{{ }}` or `{% if %}` tag, which Jinja reads
   * as a possible tuple. `{{ }}` with nothing in it is a syntax error.
   */
  parseTagExpression(allowConditional: boolean): Expression {
    const { current } = this.stream;

    if (
      current.type === 'variable_end' ||
      current.type === 'block_end' ||
      current.type === 'rparen'
    ) {
      throw syntaxError(current.line, `Expected an expression, got '${describeToken(current)}'`);
    }

    const expression = this.parseExpression(allowConditional);

    this.rejectTuple();
    return expression;
  }

  private parseExpression(allowConditional: boolean): Expression {
    const expression = this.parseOr();

    if (allowConditional && this.stream.isName('if')) {
      throw unsupported(
        this.stream.current.line,
        "conditional expressions ('a if b else c') are not supported",
      );
    }

    return expression;
  }

  private rejectTuple(): void {
    if (this.stream.current.type === 'comma') {
      throw unsupported(this.stream.current.line, "tuples ('a, b') are not supported");
    }
  }

  private parseOr(): Expression {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): Expression {
    return this.parseChain('and', () => this.parseNot());
  }

  private parseChain(keyword: 'and' | 'or', parseOperand: () => Expression): Expression {
    const line = this.stream.current.line;
    const first = parseOperand();

    if (!this.stream.isName(keyword)) return first;

    const operands = [first];

    while (this.stream.skipName(keyword)) operands.push(parseOperand());

    return { type: keyword, operands, line };
  }

  private parseNot(): Expression {
    if (!this.stream.isName('not')) return this.parseCompare();

    const { line } = this.stream.advance();

    this.stream.enterNesting(line);
    const operand = this.parseNot();
    this.stream.leaveNesting();

    return { type: 'not', operand, line };
  }

  private parseCompare(): Expression {
    const line = this.stream.current.line;
    const first = this.parseConcat();
    const comparisons: Comparison[] = [];

    for (;;) {
      const token = this.stream.current;

      if (token.type === 'eq' || token.type === 'ne') {
        this.stream.advance();
        comparisons.push({ operator: token.value as '==' | '!=', operand: this.parseConcat() });
      } else if (ORDERING_OPERATORS.has(token.type)) {
        throw unsupported(
          token.line,
          `comparison with '${token.value}' is not supported, only == and !=`,
        );
      } else if (this.stream.isName('in') || (this.stream.isName('not') && this.isNameNext('in'))) {
        throw unsupported(token.line, "the 'in' operator is not supported");
      } else {
        break;
      }
    }

    return comparisons.length === 0 ? first : { type: 'compare', first, comparisons, line };
  }

  private isNameNext(value: string): boolean {
    const next = this.stream.peek();

    return next.type === 'name' && next.value === value;
  }

  private parseConcat(): Expression {
    const line = this.stream.current.line;
    const first = this.parseUnary();

    if (!this.stream.is('tilde')) return first;

    const operands = [first];

    while (this.stream.skipIf('tilde')) operands.push(this.parseUnary());

    return { type: 'concat', operands, line };
  }

  private parseUnary(): Expression {
    const token = this.stream.current;

    if (ARITHMETIC_OPERATORS.has(token.type)) throw this.arithmeticError(token);

    const primary = this.parsePrimary();

    this.rejectPostfix();

    const expression = this.parsePipeline(primary);

    if (ARITHMETIC_OPERATORS.has(this.stream.current.type)) {
      throw this.arithmeticError(this.stream.current);
    }

    return expression;
  }

  private arithmeticError(token: Token): Error {
    return unsupported(token.line, `arithmetic ('${token.value}') is not supported`);
  }

  private parsePrimary(): Expression {
    const token = this.stream.current;

    switch (token.type) {
      case 'name':
        this.stream.advance();
        return this.nameOrConstant(token);
      case 'string':
        return this.parseStrings();
      case 'integer':
        this.stream.advance();
        return {
          type: 'literal',
          value: BigInt(token.value.replaceAll('_', '')),
          line: token.line,
        };
      case 'float':
        throw unsupported(token.line, `float literals ('${token.value}') are not supported`);
      case 'lparen':
        return this.parseParenthesised();
      case 'lbracket':
        throw unsupported(token.line, 'list literals are not supported');
      case 'lbrace':
        throw unsupported(token.line, 'dict literals are not supported');
      default:
        throw syntaxError(token.line, `unexpected '${describeToken(token)}'`);
    }
  }

  private nameOrConstant(token: Token): Expression {
    const { value, line } = token;

    if (value === 'true' || value === 'True') return { type: 'literal', value: true, line };
    if (value === 'false' || value === 'False') return { type: 'literal', value: false, line };
    if (value === 'none' || value === 'None') return { type: 'literal', value: null, line };

    return { type: 'name', name: value, line };
  }

  // Adjacent string literals are joined, as in Python and Jinja.
  private parseStrings(): Expression {
    const { line } = this.stream.current;
    const parts: string[] = [];

    while (this.stream.current.type === 'string') parts.push(this.stream.advance().value);

    return { type: 'literal', value: parts.join(''), line };
  }

  private parseParenthesised(): Expression {
    const { line } = this.stream.advance();

    if (this.stream.current.type === 'rparen')
      throw unsupported(line, 'empty tuples are not supported');

    this.stream.enterNesting(line);
    const expression = this.parseExpression(true);
    this.rejectTuple();
    this.stream.expect('rparen');
    this.stream.leaveNesting();

    return expression;
  }

  private rejectPostfix(): void {
    const token = this.stream.current;

    if (token.type === 'dot') {
      throw unsupported(token.line, "attribute access ('.') is not supported");
    }
    if (token.type === 'lbracket') {
      throw unsupported(token.line, "subscripts ('[') are not supported");
    }
    if (token.type === 'lparen') throw unsupported(token.line, 'calls are not supported');
  }

  private parsePipeline(input: Expression): Expression {
    const steps: PipelineStep[] = [];

    for (;;) {
      if (this.stream.current.type === 'pipe') steps.push(this.parseFilter());
      else if (this.stream.isName('is')) steps.push(this.parseTest());
      else break;

      this.rejectPostfix();
    }

    return steps.length === 0 ? input : { type: 'pipeline', input, steps, line: input.line };
  }

  private parseFilter(): PipelineStep {
    this.stream.advance();

    const { name, line } = this.parseDottedName();
    const filter = FILTERS.get(name);

    if (filter === undefined) {
      throw unsupported(
        line,
        `filter '${name}' is not supported. Supported filters: ${[...FILTERS.keys()].join(', ')}`,
      );
    }

    const args = this.stream.current.type === 'lparen' ? this.parseArguments() : [];

    if (args.length < filter.minArgs || args.length > filter.maxArgs) {
      throw syntaxError(
        line,
        `filter '${name}' takes ${describeArity(filter)}, got ${args.length}`,
      );
    }

    return { kind: 'filter', name, args, line };
  }

  private parseTest(): PipelineStep {
    const { line } = this.stream.advance();
    const negated = this.stream.skipName('not');
    const { name } = this.parseDottedName();

    if (!TESTS.has(name)) {
      throw unsupported(
        line,
        `test '${name}' is not supported. Supported tests: ${[...TESTS.keys()].join(', ')}`,
      );
    }

    const { current } = this.stream;
    const hasBareArgument =
      TEST_ARGUMENT_STARTS.has(current.type) &&
      current.type !== 'lparen' &&
      !(current.type === 'name' && TEST_ARGUMENT_STOPS.has(current.value));

    if (this.stream.isName('is'))
      throw syntaxError(line, 'You cannot chain multiple tests with is');

    const args = current.type === 'lparen' ? this.parseArguments() : [];

    if (args.length > 0 || hasBareArgument)
      throw syntaxError(line, `test '${name}' takes no arguments`);

    return { kind: 'test', name, negated, line };
  }

  private parseDottedName(): { name: string; line: number } {
    const { value, line } = this.stream.expect('name');
    let name = value;

    while (this.stream.skipIf('dot')) name += `.${this.stream.expect('name').value}`;

    return { name, line };
  }

  // Parses `(a, b)` after a filter name. Keyword and `*` arguments are not supported.
  private parseArguments(): Expression[] {
    const { line } = this.stream.expect('lparen');
    const args: Expression[] = [];

    this.stream.enterNesting(line);

    while (this.stream.current.type !== 'rparen') {
      if (args.length > 0) {
        this.stream.expect('comma');
        if (this.stream.is('rparen')) break;
      }

      this.rejectSpecialArgument();
      args.push(this.parseExpression(true));
    }

    this.stream.expect('rparen');
    this.stream.leaveNesting();
    return args;
  }

  private rejectSpecialArgument(): void {
    const { current } = this.stream;

    if (current.type === 'mul' || current.type === 'pow') {
      throw unsupported(current.line, `'${current.value}' arguments are not supported`);
    }
    if (current.type === 'name' && this.stream.peek().type === 'assign') {
      throw unsupported(current.line, `keyword arguments ('${current.value}=') are not supported`);
    }
  }
}

function describeArity(filter: { minArgs: number; maxArgs: number }): string {
  if (filter.maxArgs === 0) return 'no arguments';
  if (filter.minArgs === filter.maxArgs) return `${filter.minArgs} arguments`;

  return `${filter.minArgs} to ${filter.maxArgs} arguments`;
}
