// Token types and their descriptions, named as Jinja2 3.1 names them so
// that error messages read like Jinja's.

/** Operator symbols and Jinja's token type for each. */
export const OPERATORS = {
  '+': 'add',
  '-': 'sub',
  '/': 'div',
  '//': 'floordiv',
  '*': 'mul',
  '%': 'mod',
  '**': 'pow',
  '~': 'tilde',
  '[': 'lbracket',
  ']': 'rbracket',
  '(': 'lparen',
  ')': 'rparen',
  '{': 'lbrace',
  '}': 'rbrace',
  '==': 'eq',
  '!=': 'ne',
  '>': 'gt',
  '>=': 'gteq',
  '<': 'lt',
  '<=': 'lteq',
  '=': 'assign',
  '.': 'dot',
  ':': 'colon',
  '|': 'pipe',
  ',': 'comma',
  ';': 'semicolon',
} as const;

export type OperatorSymbol = keyof typeof OPERATORS;
export type OperatorType = (typeof OPERATORS)[OperatorSymbol];

export type TokenType =
  | 'data'
  | 'variable_begin'
  | 'variable_end'
  | 'block_begin'
  | 'block_end'
  | 'file_tag'
  | 'name'
  | 'string'
  | 'integer'
  | 'float'
  | OperatorType
  | 'eof';

/**
 * One token. `value` is the text for data, the unescaped text for a string,
 * the source text for a number or operator, and the trimmed raw PATH for a
 * `{% file PATH %}` tag.
 */
export interface Token {
  type: TokenType;
  value: string;
  line: number;
}

const OPERATOR_SYMBOLS = new Map<string, string>(
  Object.entries(OPERATORS).map(([symbol, type]) => [type, symbol]),
);

const TYPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  block_begin: 'begin of statement block',
  block_end: 'end of statement block',
  variable_begin: 'begin of print statement',
  variable_end: 'end of print statement',
  data: 'template data / text',
  file_tag: 'file tag',
  eof: 'end of template',
};

/** Describes a token type as Jinja's error messages do ("end of print statement"). */
export function describeTokenType(type: string): string {
  return OPERATOR_SYMBOLS.get(type) ?? TYPE_DESCRIPTIONS[type] ?? type;
}

/** Describes a token: a name by its text, anything else by its type. */
export function describeToken(token: Token): string {
  return token.type === 'name' ? token.value : describeTokenType(token.type);
}
