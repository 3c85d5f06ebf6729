// Tokenizer for Jinja2 3.1 with the default delimiters and settings
// (trim_blocks and lstrip_blocks off, no line statements). It follows
// Jinja's lexer rule for rule but scans with indexOf and anchored
// expressions, so its time is linear in the template size. Tokens are
// produced on demand, so an error late in the template surfaces only when
// the parser reaches it, as in Jinja.
import { syntaxError, unsupported } from './problem.js';
import {
  EscapeError,
  isPythonWhitespace,
  quoteCharacter,
  skipWhitespace,
  strip,
  stripEnd,
  unescapeStringLiteral,
} from './python-text.js';
import { matchExpressionToken } from './expression-tokens.js';
import type { Token, TokenType } from './tokens.js';

const OPENER = /\{[{%#]/g;

const CLOSING_BRACKETS = new Map([
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
]);

type State = 'root' | 'variable' | 'block';

export class Lexer {
  private position = 0;
  private state: State = 'root';
  private line = 1;
  private nextNewline: number | undefined;
  private readonly brackets: string[] = [];
  private readonly pending: Token[] = [];
  private finished = false;

  constructor(private readonly source: string) {}

  /** Reads the next token. After the last one it returns `eof` tokens forever. */
  next(): Token {
    while (this.pending.length === 0) {
      if (this.finished) return { type: 'eof', value: '', line: this.lineAt(this.source.length) };
      if (this.state === 'root') this.scanRoot();
      else this.scanTag();
    }

    return this.pending.shift() as Token;
  }

  // Returns the line of `position`. Callers pass positions in increasing
  // order, so each newline is searched for once.
  private lineAt(position: number): number {
    this.nextNewline ??= this.source.indexOf('\n');

    while (this.nextNewline >= 0 && this.nextNewline < position) {
      this.line += 1;
      this.nextNewline = this.source.indexOf('\n', this.nextNewline + 1);
    }

    return this.line;
  }

  private push(type: TokenType, value: string, position: number): void {
    this.pending.push({ type, value, line: this.lineAt(position) });
  }

  private pushData(start: number, end: number, stripTrailing: boolean): void {
    const text = this.source.slice(start, end);
    const data = stripTrailing ? stripEnd(text) : text;

    if (data !== '') this.push('data', data, start);
  }

  private scanRoot(): void {
    const { source } = this;
    const start = this.position;

    OPENER.lastIndex = start;
    const match = OPENER.exec(source);

    if (match === null) {
      this.pushData(start, source.length, false);
      this.finished = true;
      return;
    }

    const opener = match.index;
    const signCharacter = source[opener + 2];
    const sign = signCharacter === '-' || signCharacter === '+' ? signCharacter : '';
    const stripBefore = sign === '-';
    const inner = opener + 2 + sign.length;
    const kind = source[opener + 1];

    if (kind === '%' && this.scanRawBlock(start, opener, inner, stripBefore)) return;
    if (kind === '%' && this.scanFileTag(start, opener, inner, stripBefore)) return;

    this.pushData(start, opener, stripBefore);

    if (kind === '#') {
      this.skipComment(opener, inner);
    } else if (kind === '{') {
      this.push('variable_begin', '{{', opener);
      this.state = 'variable';
      this.position = inner;
    } else {
      this.push('block_begin', '{%', opener);
      this.state = 'block';
      this.position = inner;
    }
  }

  private skipComment(opener: number, inner: number): void {
    const { source } = this;
    const end = source.indexOf('#}', inner);

    if (end < 0) {
      // Jinja stops without an error when the comment opener ends the template.
      if (inner < source.length) {
        throw syntaxError(this.lineAt(opener), 'Missing end of comment tag');
      }
      this.finished = true;
      return;
    }

    this.position =
      end > inner && source[end - 1] === '-' ? skipWhitespace(source, end + 2) : end + 2;
  }

  // Reads `{% raw %}…{% endraw %}` as data. Returns false when the tag at
  // `opener` is not a raw opener.
  private scanRawBlock(
    start: number,
    opener: number,
    inner: number,
    stripBefore: boolean,
  ): boolean {
    const { source } = this;
    let cursor = skipWhitespace(source, inner);

    if (!source.startsWith('raw', cursor)) return false;

    cursor = skipWhitespace(source, cursor + 3);

    let contentStart: number;

    if (source.startsWith('-%}', cursor)) contentStart = skipWhitespace(source, cursor + 3);
    else if (source.startsWith('%}', cursor)) contentStart = cursor + 2;
    else return false;

    this.pushData(start, opener, stripBefore);

    const end = this.findEndRaw(contentStart);

    if (end === null) {
      if (contentStart < source.length) {
        throw syntaxError(this.lineAt(contentStart), 'Missing end of raw directive');
      }
      this.finished = true;
      return true;
    }

    this.pushData(contentStart, end.tagStart, end.stripBefore);
    this.position = end.after;
    return true;
  }

  private findEndRaw(
    from: number,
  ): { tagStart: number; stripBefore: boolean; after: number } | null {
    const { source } = this;
    let candidate = source.indexOf('{%', from);

    while (candidate >= 0) {
      const sign = source[candidate + 2];
      const signLength = sign === '-' || sign === '+' ? 1 : 0;
      let cursor = skipWhitespace(source, candidate + 2 + signLength);

      if (source.startsWith('endraw', cursor)) {
        cursor = skipWhitespace(source, cursor + 6);
        const after = this.matchBlockEnd(cursor);

        if (after !== null) return { tagStart: candidate, stripBefore: sign === '-', after };
      }

      candidate = source.indexOf('{%', candidate + 1);
    }

    return null;
  }

  // Reads the custom `{% file PATH %}` tag, whose PATH is raw text up to the
  // first `%}` rather than Jinja tokens. Returns false when the tag at
  // `opener` is another tag.
  private scanFileTag(start: number, opener: number, inner: number, stripBefore: boolean): boolean {
    const { source } = this;
    const keyword = skipWhitespace(source, inner);

    if (!source.startsWith('file', keyword)) return false;

    const pathStart = keyword + 4;
    const close = source.indexOf('%}', pathStart);
    const next = source.charCodeAt(pathStart);
    const endsHere =
      close === pathStart || (close === pathStart + 1 && /[-+]/.test(source[pathStart] ?? ''));

    if (!(pathStart >= source.length || isPythonWhitespace(next) || endsHere)) return false;

    this.pushData(start, opener, stripBefore);

    if (close < 0) {
      throw syntaxError(
        this.lineAt(opener),
        "unexpected end of template, expected 'end of statement block'.",
      );
    }

    let rawPath = source.slice(pathStart, close);
    const sign = rawPath.at(-1);

    if (sign === '-' || sign === '+') rawPath = rawPath.slice(0, -1);

    this.push('file_tag', strip(rawPath), opener);
    this.position = sign === '-' ? skipWhitespace(source, close + 2) : close + 2;
    return true;
  }

  // Returns the position after a block end (`%}`, `-%}` with the white space
  // after it, or `+%}`) at `position`, or null when there is none.
  private matchBlockEnd(position: number): number | null {
    const { source } = this;

    if (source.startsWith('+%}', position)) return position + 3;
    if (source.startsWith('-%}', position)) return skipWhitespace(source, position + 3);
    if (source.startsWith('%}', position)) return position + 2;

    return null;
  }

  private matchVariableEnd(position: number): number | null {
    const { source } = this;

    if (source.startsWith('-}}', position)) return skipWhitespace(source, position + 3);
    if (source.startsWith('}}', position)) return position + 2;

    return null;
  }

  private scanTag(): void {
    const { source } = this;
    const position = this.position;

    // As in Jinja, a closing delimiter inside brackets is read as operators.
    if (this.brackets.length === 0) {
      const variable = this.state === 'variable';
      const end = variable ? this.matchVariableEnd(position) : this.matchBlockEnd(position);

      if (end !== null) {
        this.push(variable ? 'variable_end' : 'block_end', source.slice(position, end), position);
        this.state = 'root';
        this.position = end;
        return;
      }
    }

    if (position >= source.length) {
      this.finished = true;
      return;
    }

    if (isPythonWhitespace(source.charCodeAt(position))) {
      this.position = skipWhitespace(source, position);
      return;
    }

    this.position = this.scanExpressionToken(position);
  }

  // Reads one number, name, string or operator at `position` and returns
  // the position after it.
  private scanExpressionToken(position: number): number {
    const { source } = this;
    const match = matchExpressionToken(source, position);

    if (match === null) {
      const character = String.fromCodePoint(source.codePointAt(position) ?? 0);

      throw syntaxError(
        this.lineAt(position),
        `unexpected char ${quoteCharacter(character)} at ${position}`,
      );
    }

    if (match.type === 'invalid_name') {
      throw syntaxError(this.lineAt(position), 'Invalid character in identifier');
    }

    const value = match.type === 'string' ? this.unescape(match.text, position) : match.text;

    this.trackBrackets(match.text, position);
    this.push(match.type, value, position);
    return position + match.text.length;
  }

  // Unescapes a string literal's text, quotes included.
  private unescape(literal: string, position: number): string {
    try {
      return unescapeStringLiteral(literal.slice(1, -1));
    } catch (error) {
      if (!(error instanceof EscapeError)) throw error;

      const line = this.lineAt(position);
      throw error.unsupported ? unsupported(line, error.message) : syntaxError(line, error.message);
    }
  }

  private trackBrackets(symbol: string, position: number): void {
    const closing = CLOSING_BRACKETS.get(symbol);

    if (closing !== undefined) {
      this.brackets.push(closing);
      return;
    }

    if (symbol !== ')' && symbol !== ']' && symbol !== '}') return;

    const expected = this.brackets.pop();

    if (expected === undefined) throw syntaxError(this.lineAt(position), `unexpected '${symbol}'`);
    if (expected !== symbol) {
      throw syntaxError(this.lineAt(position), `unexpected '${symbol}', expected '${expected}'`);
    }
  }
}
