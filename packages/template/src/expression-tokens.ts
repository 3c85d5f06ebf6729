// Matching of the tokens inside `{{ }}` and `{% %}`: numbers, names,
// strings and operators, with the patterns of Jinja2 3.1's lexer.
import { OPERATORS, type OperatorSymbol, type TokenType } from './tokens.js';

// Anchored copies of Jinja 3.1's number, name and string patterns.
const FLOAT = /(?<!\.)(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?e[+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/iy;
const INTEGER = /0b(?:_?[01])+|0o(?:_?[0-7])+|0x(?:_?[\da-f])+|[1-9](?:_?\d)*|0(?:_?0)*/iy;
// NOTE: Jinja matches Python's `\w` plus a list of combining characters and
// then checks `str.isidentifier()`. These Unicode classes approximate both,
// so a few exotic non-ASCII names may be accepted or rejected differently.
const NAME = /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}\u00b7\u0387\u1369-\u1371\u19da\u2118\u212e]+/uy;
const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;
const STRING = /'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"/sy;

/** Token type and text at a position. A name that is not a valid identifier has type `invalid_name`. */
export interface ExpressionTokenMatch {
  type: TokenType | 'invalid_name';
  text: string;
}

/**
 * Matches the number, string, name or operator at `position`, or returns
 * null when no token starts there. Jinja tries the patterns in that order;
 * the first character selects the only ones that can match.
 */
export function matchExpressionToken(
  source: string,
  position: number,
): ExpressionTokenMatch | null {
  const first = source[position] ?? '';

  if (first >= '0' && first <= '9') {
    const float = matchAt(FLOAT, source, position);

    if (float !== null) return { type: 'float', text: float };

    // Every ASCII digit starts an integer.
    return { type: 'integer', text: matchAt(INTEGER, source, position) ?? first };
  }

  if (first === "'" || first === '"') {
    const string = matchAt(STRING, source, position);

    if (string !== null) return { type: 'string', text: string };
  }

  // An ASCII name cannot start with a digit here, so it is an identifier.
  const asciiName = matchAsciiName(source, position);

  if (asciiName !== null) return { type: 'name', text: asciiName };

  const name = matchAt(NAME, source, position);

  if (name !== null) return { type: IDENTIFIER.test(name) ? 'name' : 'invalid_name', text: name };

  return matchOperator(source, position);
}

// Reads a name made only of ASCII letters, digits and `_`, which a plain
// loop reads much faster than the Unicode pattern. Returns null when the
// name continues with a non-ASCII character or there is none.
function matchAsciiName(source: string, position: number): string | null {
  let end = position;

  while (end < source.length && isAsciiWordCharacter(source.charCodeAt(end))) end += 1;

  if (end === position || source.charCodeAt(end) > 0x7f) return null;

  return source.slice(position, end);
}

function isAsciiWordCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f
  );
}

// Two-character operators take precedence, as in Jinja's longest-first pattern.
function matchOperator(source: string, position: number): ExpressionTokenMatch | null {
  for (const length of [2, 1]) {
    const symbol = source.slice(position, position + length);

    if (symbol.length === length && Object.hasOwn(OPERATORS, symbol)) {
      return { type: OPERATORS[symbol as OperatorSymbol], text: symbol };
    }
  }

  return null;
}

function matchAt(pattern: RegExp, text: string, position: number): string | null {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0] ?? null;
}
