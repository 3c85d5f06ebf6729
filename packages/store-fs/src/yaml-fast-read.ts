import { idRecord } from '@beaker-integrations/model';

import {
  PYYAML_BOOL,
  PYYAML_FLOAT,
  PYYAML_INT,
  PYYAML_NULL,
  resolveBool,
  resolveFloat,
  resolveInt,
} from './yaml-schema.js';
import { ownedString } from './values.js';

/*
 * A reader for the block-style YAML that PyYAML's `safe_dump` and this
 * package's writer produce: block mappings and sequences, plain, quoted and
 * literal scalars, comments, and empty `[]` and `{}`. Parsing is most of a
 * first start's cost, and this reader parsed a small generated file about
 * eight times faster than the `yaml` package (a corpus file about three times).
 *
 * It gives up on anything outside that subset (anchors, aliases, tags, flow
 * collections, folded scalars, merge keys, duplicate keys, non-string keys,
 * tabs outside literal content, odd indentation) and the caller then parses
 * the file with the `yaml` package. A document it does read gives exactly the
 * value that the `yaml` package gives, which the differential tests check.
 */

/** Thrown inside the reader when the text is outside the subset; never escapes it. */
class Unsupported extends Error {}

const UNSUPPORTED = new Unsupported('outside the fast YAML subset');

function unsupported(): never {
  throw UNSUPPORTED;
}

/**
 * Characters the reader does not handle: tab, carriage return, other C0 and
 * C1 controls, line and paragraph separators, the byte order mark and
 * non-characters. Also UTF-16 surrogates without their partner: the `u` flag
 * is off on purpose, to see code units.
 */
const AWKWARD_CHARACTER =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\x00-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Characters that a plain scalar may not start with (indicators), leaving quotes and block headers to their own readers. */
const PLAIN_BAD_START = /^(?:[,[\]{}#&*!%@`]|[-?:](?: |$))/;

/** Line starts reserved for directives and document markers. */
const DOCUMENT_MARKER = /^(?:%|---(?:\s|$)|\.\.\.(?:\s|$))/;

/** A literal block header after `|`: chomping and an indentation indicator in either order, then an optional comment. */
const LITERAL_HEADER = /^\|(?:([-+])([1-9])?|([1-9])([-+])?)?(?: +#.*)? *$/;

const DOUBLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1B',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xA0',
  L: '\u2028',
  P: '\u2029',
};

const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Maximum length of an implicit key, in characters. YAML allows 1024 and rejects longer ones. */
const MAX_KEY_LENGTH = 1000;

/** Deepest nesting of collections read here; `api.yaml` files nest about four deep. */
const MAX_DEPTH = 64;

/**
 * Reads `text` as one YAML document whose root is a block mapping. Returns
 * undefined when the text is outside the subset this reader handles.
 */
export function readBlockYaml(text: string): Record<string, unknown> | undefined {
  if (AWKWARD_CHARACTER.test(text)) return undefined;

  try {
    return new BlockReader(text).document();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;

    throw error;
  }
}

class BlockReader {
  private readonly lines: string[];

  /** Offset in the text where each line starts. */
  private readonly starts: number[] = [];

  private readonly endsWithBreak: boolean;

  /** Index of the line being read. */
  private row = 0;

  /** Collections open around the one being read. */
  private depth = 0;

  constructor(private readonly text: string) {
    this.lines = text.split('\n');
    this.endsWithBreak = text.endsWith('\n');

    // A final line break leaves an empty last element that is not a line.
    if (this.endsWithBreak) this.lines.pop();

    let offset = 0;

    for (const line of this.lines) {
      this.starts.push(offset);
      offset += line.length + 1;
    }
  }

  document(): Record<string, unknown> {
    this.skipBlankAndComments();

    if (this.row >= this.lines.length || indentOf(this.line()) !== 0) unsupported();

    const root = this.mapping(0);

    this.skipBlankAndComments();

    if (this.row < this.lines.length) unsupported();

    return root;
  }

  private line(): string {
    return this.lines[this.row] ?? '';
  }

  /** Moves past blank lines and comment lines; rejects document markers and directives. */
  private skipBlankAndComments(): void {
    while (this.row < this.lines.length) {
      const line = this.line();
      const content = line.slice(spacesOf(line));

      if (DOCUMENT_MARKER.test(line)) unsupported();
      if (content !== '' && !content.startsWith('#')) return;

      this.row++;
    }
  }

  /** Indentation of the next content line, or -1 at the end. */
  private nextIndent(): number {
    this.skipBlankAndComments();

    return this.row < this.lines.length ? indentOf(this.line()) : -1;
  }

  private mapping(indent: number): Record<string, unknown> {
    const result = idRecord<unknown>();

    this.enter();

    while (this.nextIndent() === indent) {
      const line = this.line();

      if (isSequenceEntry(line, indent)) break;

      this.pair(result, line.slice(indent), indent);
    }

    if (this.nextIndent() > indent) unsupported();

    this.depth--;

    return result;
  }

  /** Counts one more open collection, giving up beyond MAX_DEPTH. */
  private enter(): void {
    this.depth++;

    if (this.depth > MAX_DEPTH) unsupported();
  }

  /** Reads `key: value` from `text` (the line from the key's column on) into `target`. */
  private pair(target: Record<string, unknown>, text: string, column: number): void {
    const { key, rest } = splitKey(text);

    if (key === '__proto__' || key === '<<' || Object.hasOwn(target, key)) unsupported();

    target[key] = this.value(rest, column, 'mapping');
  }

  /** Reads a block sequence at `indent`; `inline` when its first entry starts on the current line after another dash. */
  private sequence(indent: number, inline = false): unknown[] {
    const result: unknown[] = [];
    let first = inline;

    this.enter();

    while (first || (this.nextIndent() === indent && isSequenceEntry(this.line(), indent))) {
      first = false;
      result.push(this.entry(indent));
    }

    if (this.nextIndent() > indent) unsupported();

    this.depth--;

    return result;
  }

  /** Reads the sequence entry whose dash is at `indent` on the current line. */
  private entry(indent: number): unknown {
    const line = this.line();
    const after = line.slice(indent + 1);
    const content = after.slice(spacesOf(after));
    const column = line.length - content.length;

    if (content === '' || content.startsWith('#')) {
      this.row++;

      return this.nestedNode(indent, false);
    }
    if (isSequenceEntry(content, 0)) return this.sequence(column, true);
    if (looksLikeKey(content)) return this.compactMapping(content, column);

    return this.value(content, indent, 'sequence');
  }

  /** Reads a mapping that starts on a sequence entry's line (`- key: value`) at `column`. */
  private compactMapping(first: string, column: number): Record<string, unknown> {
    const result = idRecord<unknown>();

    this.enter();
    this.pair(result, first, column);

    while (this.nextIndent() === column && !isSequenceEntry(this.line(), column)) {
      this.pair(result, this.line().slice(column), column);
    }

    if (this.nextIndent() > column) unsupported();

    this.depth--;

    return result;
  }

  /**
   * Reads the node on the lines after its key or dash: a mapping or sequence indented
   * deeper than `parent`, a sequence at `parent` itself when it is a mapping
   * value, or null when nothing follows.
   */
  private nestedNode(parent: number, sequenceAtParent: boolean): unknown {
    const indent = this.nextIndent();

    if (indent === parent && sequenceAtParent && isSequenceEntry(this.line(), indent))
      return this.sequence(indent);
    if (indent <= parent) return null;
    if (isSequenceEntry(this.line(), indent)) return this.sequence(indent);

    return this.mapping(indent);
  }

  /**
   * Reads the value that starts with `rest` on the current line. `parent` is
   * the column of the key or dash that owns it: continuation lines must be
   * indented deeper.
   */
  private value(rest: string, parent: number, owner: 'mapping' | 'sequence'): unknown {
    if (rest === '' || rest.startsWith('#')) {
      this.row++;

      return this.nestedNode(parent, owner === 'mapping');
    }

    const first = rest[0];

    if (first === '"' || first === "'") return this.quoted(rest, parent);
    if (first === '|') return this.literal(rest, parent, owner);
    if (/^(?:\[\]|\{\})(?: +#.*)? *$/.test(rest)) {
      this.row++;

      return first === '[' ? [] : {};
    }

    return this.plain(rest, parent);
  }

  private plain(rest: string, parent: number): unknown {
    if (PLAIN_BAD_START.test(rest) || rest.startsWith('>')) unsupported();

    const commentAt = rest.indexOf(' #');
    const firstLine = trimSpacesEnd(commentAt === -1 ? rest : rest.slice(0, commentAt));

    checkPlainText(firstLine);
    this.row++;

    let text = firstLine;

    if (commentAt === -1) text += this.plainContinuation(parent);

    const value = resolvePlain(text);

    return typeof value === 'string' ? ownedString(value) : value;
  }

  /** Folds the continuation lines of a plain scalar: a space between lines, a line feed per blank line. */
  private plainContinuation(parent: number): string {
    let folded = '';
    let blanks = 0;

    for (let row = this.row; row < this.lines.length; row++) {
      const line = this.lines[row] ?? '';

      if (isBlank(line)) {
        blanks++;
        continue;
      }

      const indent = indentOf(line);
      const content = trimSpacesEnd(line.slice(indent));

      if (indent <= parent || content.startsWith('#')) break;

      checkPlainText(content);
      if (content.includes(' #') || PLAIN_BAD_START.test(content) || /^[|>'"]/.test(content))
        unsupported();

      folded += (blanks === 0 ? ' ' : '\n'.repeat(blanks)) + content;
      blanks = 0;
      this.row = row + 1;
    }

    return folded;
  }

  /** Reads a single- or double-quoted scalar, which may continue on lines indented deeper than `parent`. */
  private quoted(rest: string, parent: number): string {
    const first = this.row;
    const open = this.starts[first]! + this.line().length - rest.length;
    const scan = rest[0] === '"' ? scanDoubleQuoted : scanSingleQuoted;
    const { value, end } = scan(this.text, open + 1);

    while (this.row + 1 < this.lines.length && this.starts[this.row + 1]! <= end) {
      this.row++;

      if (!isBlank(this.line()) && indentOf(this.line()) <= parent) unsupported();
    }

    const after = this.line().slice(end - this.starts[this.row]!);

    if (!/^(?: +#.*)? *$/.test(after)) unsupported();

    this.row++;

    return ownedString(value);
  }

  /** Reads a literal block scalar (`|`, `|-`, `|+`, with an optional indentation indicator). */
  private literal(header: string, parent: number, owner: 'mapping' | 'sequence'): string {
    const match = LITERAL_HEADER.exec(header);

    if (match === null) unsupported();

    const chomping = match[1] ?? match[4] ?? '';
    const indicator = match[2] ?? match[3];

    if (indicator !== undefined && owner !== 'mapping') unsupported();

    this.row++;

    const indent = indicator === undefined ? this.detectIndent(parent) : parent + Number(indicator);
    const content: string[] = [];
    let trailingBlanks = 0;

    for (; this.row < this.lines.length; this.row++) {
      const line = this.line();

      if (isBlank(line)) {
        if (line.length > indent) unsupported();

        trailingBlanks++;
        continue;
      }
      if (indentOf(line) < indent) break;

      for (let blank = 0; blank < trailingBlanks; blank++) content.push('');

      trailingBlanks = 0;
      content.push(line.slice(indent));
    }

    // PyYAML and the `yaml` package differ on a block that ends the file without a line break.
    if (this.row >= this.lines.length && !this.endsWithBreak) unsupported();

    const body = chomp(content.join('\n'), chomping, trailingBlanks);

    // Joining two or more lines makes a new string; a single line is still a view of the text.
    return content.length === 1 ? ownedString(body) : body;
  }

  /** Column of a literal block's content: that of its first non-blank line, which must be deeper than `parent`. */
  private detectIndent(parent: number): number {
    let widestBlank = 0;

    for (let row = this.row; row < this.lines.length; row++) {
      const line = this.lines[row] ?? '';

      if (isBlank(line)) {
        widestBlank = Math.max(widestBlank, line.length);
        continue;
      }

      const indent = indentOf(line);

      if (indent <= parent || widestBlank > indent) unsupported();

      return indent;
    }

    return unsupported();
  }
}

function spacesOf(line: string): number {
  let count = 0;

  while (line.charCodeAt(count) === 32) count++;

  return count;
}

/** Leading spaces of `line`; a tab right after them is outside the subset. */
function indentOf(line: string): number {
  const indent = spacesOf(line);

  if (line.charCodeAt(indent) === 9) unsupported();

  return indent;
}

function isBlank(line: string): boolean {
  return spacesOf(line) === line.length;
}

function trimSpacesEnd(text: string): string {
  let end = text.length;

  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;

  return text.slice(0, end);
}

function isSequenceEntry(line: string, indent: number): boolean {
  return line[indent] === '-' && (line.length === indent + 1 || line[indent + 1] === ' ');
}

/** Checks whether `text` (a sequence entry's content) starts with a `key:`. */
function looksLikeKey(text: string): boolean {
  const first = text[0];

  if (first === '"' || first === "'") {
    const close = first === '"' ? text.indexOf('"', 1) : text.indexOf("'", 1);

    return close !== -1 && /^ *:(?: |$)/.test(text.slice(close + 1));
  }

  const separator = keySeparator(text);
  const comment = text.indexOf(' #');

  return separator !== -1 && (comment === -1 || comment > separator);
}

/** Position of the `:` that ends a plain key: the first `: ` or a final `:`. */
function keySeparator(text: string): number {
  const inside = text.indexOf(': ');

  if (inside !== -1) return inside;

  return text.endsWith(':') ? text.length - 1 : -1;
}

/** Splits `key: rest` into the key, as a string, and what follows the separator. */
function splitKey(text: string): { key: string; rest: string } {
  const first = text[0];

  if (first === '"' || first === "'") return splitQuotedKey(text);

  const separator = keySeparator(text);

  if (separator <= 0 || separator > MAX_KEY_LENGTH) unsupported();

  const key = trimSpacesEnd(text.slice(0, separator));

  if (PLAIN_BAD_START.test(key) || /^[|>'"]/.test(key) || key.includes(' #')) unsupported();
  checkPlainText(key);
  if (typeof resolvePlain(key) !== 'string') unsupported();

  const rest = text.slice(separator + 1);

  return { key, rest: rest.slice(spacesOf(rest)) };
}

function splitQuotedKey(text: string): { key: string; rest: string } {
  const { value, end } = text[0] === '"' ? scanDoubleQuoted(text, 1) : scanSingleQuoted(text, 1);

  if (end > MAX_KEY_LENGTH) unsupported();

  const after = /^ *:(?: +|$)/.exec(text.slice(end));

  if (after === null) unsupported();

  return { key: value, rest: text.slice(end + after[0].length) };
}

/** Rejects plain text that YAML would read as something other than one plain scalar, or that contains a tab. */
function checkPlainText(text: string): void {
  if (text.includes(': ') || text.endsWith(':') || text.includes('\t')) unsupported();
}

/** Types a plain scalar as PyYAML's resolver does (timestamps stay strings). */
function resolvePlain(text: string): unknown {
  if (PYYAML_NULL.test(text)) return null;
  if (PYYAML_BOOL.test(text)) return resolveBool(text);
  if (PYYAML_INT.test(text)) return resolveInt(text);
  if (PYYAML_FLOAT.test(text)) return resolveFloat(text);

  return text;
}

/** Applies a literal block's chomping to its content lines joined by line feeds. */
function chomp(body: string, chomping: string, trailingBlanks: number): string {
  if (body === '') unsupported();
  if (chomping === '-') return body;
  if (chomping === '+') return body + '\n' + '\n'.repeat(trailingBlanks);

  return body + '\n';
}

interface Scanned {
  value: string;
  /** Offset just past the closing quote. */
  end: number;
}

/**
 * Folds a line break inside a quoted scalar, starting at the `\n` at `at`:
 * a space when the next line has content, a line feed per blank line
 * otherwise. Returns the text to add and the offset of the next line's content.
 */
function foldBreak(source: string, at: number): { text: string; next: number } {
  let blanks = 0;
  let position = at + 1;

  for (;;) {
    let column = position;

    while (source.charCodeAt(column) === 32) column++;

    if (source[column] === '\n') {
      blanks++;
      position = column + 1;
      continue;
    }
    if (column >= source.length) unsupported();

    return { text: blanks === 0 ? ' ' : '\n'.repeat(blanks), next: column };
  }
}

/** Characters that end a run of literal text in a double-quoted scalar. */
const DOUBLE_SPECIAL = /["\\\n\t]/g;

/** Characters that end a run of literal text in a single-quoted scalar. */
const SINGLE_SPECIAL = /['\n\t]/g;

/**
 * Collects a quoted scalar's text in chunks, so that trimming before a line
 * break never copies what came before. Chunks up to `keptChunks` came from
 * escapes and folded breaks, which a line break does not trim.
 */
class QuotedText {
  private readonly chunks: string[] = [];
  private keptChunks = 0;

  get value(): string {
    return this.chunks.join('');
  }

  /** Appends literal source text, whose trailing spaces a line break may remove. */
  appendLiteral(text: string): void {
    if (text !== '') this.chunks.push(text);
  }

  /** Appends text that no line break removes: escapes and folded breaks. */
  appendKept(text: string): void {
    this.chunks.push(text);
    this.keptChunks = this.chunks.length;
  }

  /** Drops the spaces before an unescaped line break. */
  trimBeforeBreak(): void {
    while (this.chunks.length > this.keptChunks) {
      const trimmed = trimSpacesEnd(this.chunks.pop() ?? '');

      if (trimmed !== '') {
        this.chunks.push(trimmed);
        return;
      }
    }
  }
}

function scanQuoted(
  source: string,
  start: number,
  special: RegExp,
  step: (text: QuotedText, at: number) => number | 'end',
): Scanned {
  const text = new QuotedText();
  let position = start;

  for (;;) {
    special.lastIndex = position;
    const found = special.exec(source);

    if (found === null) unsupported();

    text.appendLiteral(source.slice(position, found.index));

    const next = step(text, found.index);

    if (next === 'end') return { value: text.value, end: found.index + 1 };

    position = next;
  }
}

/** Handles an unescaped line break at `at`: folds it and returns where the next line's content starts. */
function lineBreak(text: QuotedText, source: string, at: number): number {
  const folded = foldBreak(source, at);

  text.trimBeforeBreak();
  text.appendKept(folded.text);

  return folded.next;
}

function scanDoubleQuoted(source: string, start: number): Scanned {
  return scanQuoted(source, start, DOUBLE_SPECIAL, (text, at) => {
    const character = source[at];

    if (character === '"') return 'end';
    if (character === '\n') return lineBreak(text, source, at);
    if (character === '\t') unsupported();

    const escaped = readEscape(source, at);

    text.appendKept(escaped.text);

    return escaped.next;
  });
}

function scanSingleQuoted(source: string, start: number): Scanned {
  return scanQuoted(source, start, SINGLE_SPECIAL, (text, at) => {
    const character = source[at];

    if (character === '\n') return lineBreak(text, source, at);
    if (character === '\t') unsupported();
    if (source[at + 1] !== "'") return 'end';

    text.appendKept("'");

    return at + 2;
  });
}

/** Reads the escape sequence at `at` (a backslash) of a double-quoted scalar. */
function readEscape(source: string, at: number): { text: string; next: number } {
  const code = source[at + 1] ?? '';

  // An escaped line break joins the lines. Blank lines after one are read
  // differently by PyYAML (a line feed each) and the `yaml` package.
  if (code === '\n') {
    const folded = foldBreak(source, at + 1);

    if (folded.text !== ' ') unsupported();

    return { text: '', next: folded.next };
  }

  const named = DOUBLE_ESCAPES[code];

  if (named !== undefined) return { text: named, next: at + 2 };

  const length = HEX_ESCAPE_LENGTH[code];

  if (length === undefined) unsupported();

  const digits = source.slice(at + 2, at + 2 + length);

  if (digits.length !== length || !/^[0-9A-Fa-f]+$/.test(digits)) unsupported();

  const codePoint = parseInt(digits, 16);

  if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) unsupported();

  return { text: String.fromCodePoint(codePoint), next: at + 2 + length };
}
