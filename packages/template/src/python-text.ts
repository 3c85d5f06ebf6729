// Python string behaviour that Jinja2 relies on and JavaScript does not share:
// what counts as white space, and how string literals are unescaped.

/**
 * Reports whether a UTF-16 code unit is white space for Python 3.11's
 * `str.isspace()`, which is also what `\s` matches in Jinja's lexer. It
 * differs from JavaScript's `\s`: it includes U+001C to U+001F and U+0085,
 * and leaves out U+FEFF.
 */
export function isPythonWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    (code >= 0x1c && code <= 0x20) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Returns the first position at or after `position` that is not Python white space. */
export function skipWhitespace(text: string, position: number): number {
  let index = position;

  while (index < text.length && isPythonWhitespace(text.charCodeAt(index))) index += 1;

  return index;
}

/** Removes trailing white space as Python's `str.rstrip()` does. */
export function stripEnd(text: string): string {
  let end = text.length;

  while (end > 0 && isPythonWhitespace(text.charCodeAt(end - 1))) end -= 1;

  return text.slice(0, end);
}

/** Removes surrounding white space as Python's `str.strip()` does. */
export function strip(text: string): string {
  return stripEnd(text.slice(skipWhitespace(text, 0)));
}

/** Removes surrounding characters found in `characters`, as Python's `str.strip(chars)` does. */
export function stripCharacters(text: string, characters: string): string {
  const set = new Set(characters);
  const codePoints = [...text];
  let start = 0;
  let end = codePoints.length;

  while (start < end && set.has(codePoints[start] ?? '')) start += 1;
  while (end > start && set.has(codePoints[end - 1] ?? '')) end -= 1;

  return codePoints.slice(start, end).join('');
}

/** Formats one character the way Python's `repr()` quotes it, for error messages. */
export function quoteCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;

  if (character === "'") return `"'"`;
  if (character === '\\') return "'\\\\'";
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;

  return `'${character}'`;
}

/** Error raised for a string literal whose escapes Python rejects. */
export class EscapeError extends Error {
  constructor(
    message: string,
    readonly unsupported = false,
  ) {
    super(message);
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const HEX_ESCAPES: Readonly<Record<string, { digits: number; name: string }>> = {
  x: { digits: 2, name: '\\xXX' },
  u: { digits: 4, name: '\\uXXXX' },
  U: { digits: 8, name: '\\UXXXXXXXX' },
};

/**
 * Unescapes the body of a Jinja string literal. Jinja 3.1 encodes the body
 * with `backslashreplace` and decodes it with Python's `unicode-escape`
 * codec, so `\n`, `\x41`, `\u00e9` and octal escapes work, unknown escapes
 * such as `\d` stay as written, and a backslash before a non-ASCII
 * character yields that character's escape text (`"\é"` is `\xe9`).
 * Throws an EscapeError for a truncated or invalid escape.
 */
export function unescapeStringLiteral(body: string): string {
  if (!body.includes('\\')) return body;

  const ascii = escapeNonAscii(body);
  const parts: string[] = [];
  let index = 0;

  while (index < ascii.length) {
    const slash = ascii.indexOf('\\', index);

    if (slash < 0) {
      parts.push(ascii.slice(index));
      break;
    }

    parts.push(ascii.slice(index, slash));
    index = decodeEscape(ascii, slash + 1, parts);
  }

  return parts.join('');
}

function escapeNonAscii(text: string): string {
  let result = '';

  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;

    if (code < 0x80) result += character;
    else if (code <= 0xff) result += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code <= 0xffff) result += `\\u${code.toString(16).padStart(4, '0')}`;
    else result += `\\U${code.toString(16).padStart(8, '0')}`;
  }

  return result;
}

// Decodes the escape whose letter is at `position`, pushes its text and
// returns the position after it.
function decodeEscape(text: string, position: number, parts: string[]): number {
  const letter = text[position];

  if (letter === undefined) throw new EscapeError('\\ at end of string');
  if (letter === '\n') return position + 1;

  const simple = SIMPLE_ESCAPES[letter];

  if (simple !== undefined) {
    parts.push(simple);
    return position + 1;
  }

  if (letter >= '0' && letter <= '7') return decodeOctal(text, position, parts);

  const hex = HEX_ESCAPES[letter];

  if (hex !== undefined) return decodeHex(text, position + 1, hex.digits, hex.name, parts);
  if (letter === 'N') throw new EscapeError('\\N{...} escapes are not supported', true);

  parts.push('\\', letter);
  return position + 1;
}

function decodeOctal(text: string, position: number, parts: string[]): number {
  let end = position;

  while (end < position + 3 && /[0-7]/.test(text[end] ?? '')) end += 1;

  parts.push(String.fromCodePoint(parseInt(text.slice(position, end), 8)));
  return end;
}

function decodeHex(
  text: string,
  position: number,
  digits: number,
  name: string,
  parts: string[],
): number {
  const hex = text.slice(position, position + digits);

  if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
    throw new EscapeError(`truncated ${name} escape`);
  }

  const code = parseInt(hex, 16);

  if (code > 0x10ffff) throw new EscapeError('illegal Unicode character');

  parts.push(
    code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code),
  );
  return position + digits;
}
