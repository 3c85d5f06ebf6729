// Token cursor shared by the statement and expression parsers, with the
// nesting guard that keeps recursion bounded.
import type { Lexer } from './lexer.js';
import { syntaxError, unsupported } from './problem.js';
import { describeToken, describeTokenType, type Token, type TokenType } from './tokens.js';

/**
 * Maximum nesting of `if` blocks, parentheses, `not` and filter arguments
 * together. Parsing and rendering recurse once per level, so the limit
 * bounds stack use. Jinja 3.1 on Python 3.11 itself fails beyond 98
 * nested `if` blocks ("too many levels of indentation").
 */
export const MAX_NESTING = 100;

export class TokenStream {
  current: Token;
  private lookahead: Token | undefined;
  private depth = 0;

  constructor(private readonly lexer: Lexer) {
    this.current = lexer.next();
  }

  /** Moves to the next token and returns the one it leaves. */
  advance(): Token {
    const token = this.current;

    this.current = this.lookahead ?? this.lexer.next();
    this.lookahead = undefined;
    return token;
  }

  /** Returns the token after the current one without moving. */
  peek(): Token {
    this.lookahead ??= this.lexer.next();
    return this.lookahead;
  }

  /** Reports whether the current token has this type. */
  is(type: TokenType): boolean {
    return this.current.type === type;
  }

  /** Reports whether the current token is a name with this text. */
  isName(value: string): boolean {
    return this.current.type === 'name' && this.current.value === value;
  }

  /** Moves past the current token when it has this type. */
  skipIf(type: TokenType): boolean {
    if (this.current.type !== type) return false;

    this.advance();
    return true;
  }

  /** Moves past the current token when it is a name with this text. */
  skipName(value: string): boolean {
    if (!this.isName(value)) return false;

    this.advance();
    return true;
  }

  /** Moves past a token of this type, or raises Jinja's "expected token" syntax error. */
  expect(type: TokenType): Token {
    if (this.current.type === type) return this.advance();

    const expected = describeTokenType(type);

    if (this.current.type === 'eof') {
      throw syntaxError(this.current.line, `unexpected end of template, expected '${expected}'.`);
    }

    throw syntaxError(
      this.current.line,
      `expected token '${expected}', got '${describeToken(this.current)}'`,
    );
  }

  /** Enters one level of nesting, or raises an error beyond MAX_NESTING levels. */
  enterNesting(line: number): void {
    this.depth += 1;

    if (this.depth > MAX_NESTING) {
      throw unsupported(line, `nesting deeper than ${MAX_NESTING} levels is not supported`);
    }
  }

  leaveNesting(): void {
    this.depth -= 1;
  }
}
