import { compareNames, isPlainObject } from './values.js';
import {
  PYYAML_BOOL,
  PYYAML_FLOAT,
  PYYAML_INT,
  PYYAML_NULL,
  PYYAML_TIMESTAMP,
} from './yaml-schema.js';

/*
 * A small YAML writer whose output PyYAML's `safe_load` and this package's
 * loader read back as the same values. It never folds lines: a long string
 * stays on one line. Multi-line strings use literal block style when that
 * keeps every character. Strings that a block cannot carry exactly (carriage
 * returns, control characters, a last line of only white space) are written
 * double-quoted with escapes.
 */

/** Spaces added per nesting level. */
const INDENT_STEP = 2;

/**
 * Characters that only a double-quoted scalar can carry: C0 and C1 controls
 * other than tab and line feed, YAML 1.1 line separators, the byte order mark,
 * noncharacters and every surrogate. Surrogates cover non-BMP characters,
 * which PyYAML releases before 5.1 reject in unquoted text.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPE = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF\uD800-\uDFFF]/;

/** Text that some YAML reader (PyYAML, YAML 1.2 core, the `yaml` package) may type as a number. */
const NUMBER_LIKE = /^[-+]?\.?[0-9][0-9A-Za-z_.:+-]*$/;
const DATE_LIKE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \t])/;
const SPECIAL_WORDS = /^(?:y|Y|n|N|<<|=|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** First characters that are YAML indicators, or that start `- `, `? `, `: `, `---` and `...`. */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`.]/;

const ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1B': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\x85': '\\N',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

function isTypedByReaders(value: string): boolean {
  return (
    PYYAML_NULL.test(value) ||
    PYYAML_BOOL.test(value) ||
    PYYAML_INT.test(value) ||
    PYYAML_FLOAT.test(value) ||
    PYYAML_TIMESTAMP.test(value) ||
    NUMBER_LIKE.test(value) ||
    DATE_LIKE.test(value) ||
    SPECIAL_WORDS.test(value)
  );
}

/** Checks whether `value` reads back as the same string when written without quotes. */
export function isPlainSafe(value: string): boolean {
  if (value === '' || value !== value.trim()) return false;
  if (/[\t\n]/.test(value) || NEEDS_ESCAPE.test(value)) return false;
  if (INDICATOR_START.test(value)) return false;
  if (value.includes(': ') || value.includes(' #') || value.endsWith(':')) return false;

  return !isTypedByReaders(value);
}

function hexEscape(prefix: string, codePoint: number, width: number): string {
  return prefix + codePoint.toString(16).toUpperCase().padStart(width, '0');
}

/** Writes `value` as one double-quoted line, escaping what YAML cannot carry literally. */
export function doubleQuoted(value: string): string {
  let out = '"';

  for (const character of value) {
    const codePoint = character.codePointAt(0) ?? 0;
    const named = ESCAPES[character];

    if (named !== undefined) out += named;
    else if (codePoint > 0xffff) out += hexEscape('\\U', codePoint, 8);
    else if (NEEDS_ESCAPE.test(character))
      out += codePoint <= 0xff ? hexEscape('\\x', codePoint, 2) : hexEscape('\\u', codePoint, 4);
    else out += character;
  }

  return out + '"';
}

/** Formats a string as a single-line scalar: plain when safe, else single- or double-quoted. */
export function inlineString(value: string): string {
  if (isPlainSafe(value)) return value;
  if (/[\t\n]/.test(value) || NEEDS_ESCAPE.test(value)) return doubleQuoted(value);

  return `'${value.replace(/'/g, "''")}'`;
}

/** Checks whether a multi-line string can be written as a literal block without changing it. */
function fitsLiteralBlock(value: string): boolean {
  if (!value.includes('\n') || NEEDS_ESCAPE.test(value)) return false;
  if (value.trim() === '') return false;

  // A last line of only spaces or tabs would read as trailing blank lines.
  return !/\n[\t ]+$/.test(value);
}

interface BlockText {
  text: string;
  keepsTrailingLines: boolean;
}

/** Strip (`-`) without a final line break, clip (none) with one, keep (`+`) with more. */
function chompingIndicator(trailingBreaks: number): string {
  if (trailingBreaks === 0) return '-';
  if (trailingBreaks === 1) return '';

  return '+';
}

/** Writes a literal block (`|`, `|-` or `|+`) whose content sits at `indent` columns. */
function literalBlock(value: string, indent: number): BlockText {
  const body = value.replace(/\n+$/, '');
  const trailingBreaks = value.length - body.length;
  const chomping = chompingIndicator(trailingBreaks);

  // Content that starts with white space or a blank line cannot set the
  // indentation itself, so the header states it.
  const indicator = /^[ \t\n]/.test(value) ? String(INDENT_STEP) : '';
  const pad = ' '.repeat(indent);
  const lines = body.split('\n').map((line) => (line === '' ? '' : pad + line));
  const extraBlankLines = '\n'.repeat(Math.max(trailingBreaks - 1, 0));

  return {
    text: `|${indicator}${chomping}\n${lines.join('\n')}\n${extraBlankLines}`,
    keepsTrailingLines: chomping === '+',
  };
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  if (Number.isSafeInteger(value)) return String(value);

  // PyYAML reads a float only with a dot (`1.0e+21`, not `1e+21`).
  const text = String(value);

  if (text.includes('.')) return text;
  if (text.includes('e')) return text.replace('e', '.0e');

  return `${text}.0`;
}

/** Text of an emitted entry: ends with a line break. */
export interface Emitted {
  text: string;
  /**
   * True when the text ends with a `|+` block, which would take any blank
   * lines that follow it into its value.
   */
  keepsTrailingLines: boolean;
}

/** Formats a scalar value for use after `key: ` or `- `. */
function inlineScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return inlineString(value);

  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- values come from JSON, so this is unreachable in practice
  return inlineString(String(value));
}

export interface EmitOptions {
  /** Sort mapping keys, as PyYAML's `safe_dump` does by default. */
  sortKeys: boolean;
}

function entriesOf(map: Record<string, unknown>, options: EmitOptions): [string, unknown][] {
  const entries = Object.entries(map).filter(([, value]) => value !== undefined);

  if (options.sortKeys) entries.sort(([a], [b]) => compareNames(a, b));

  return entries;
}

/**
 * PyYAML reads an implicit key only when it is at most 1024 characters long,
 * so a longer key is written as an explicit `? key` line.
 */
const MAX_IMPLICIT_KEY_LENGTH = 1024;

function entryHead(key: string, indent: number): string {
  const pad = ' '.repeat(indent);
  const text = inlineString(key);

  return text.length <= MAX_IMPLICIT_KEY_LENGTH ? `${pad}${text}:` : `${pad}? ${text}\n${pad}:`;
}

/** Emits `key: value` at `indent` columns, with nested collections below it. */
export function emitEntry(
  key: string,
  value: unknown,
  indent: number,
  options: EmitOptions,
): Emitted {
  const head = entryHead(key, indent);

  if (typeof value === 'string' && fitsLiteralBlock(value)) {
    const block = literalBlock(value, indent + INDENT_STEP);

    return { text: `${head} ${block.text}`, keepsTrailingLines: block.keepsTrailingLines };
  }

  if (isPlainObject(value) && Object.keys(value).length > 0) {
    const nested = emitMapping(value, indent + INDENT_STEP, options);

    return { text: `${head}\n${nested.text}`, keepsTrailingLines: nested.keepsTrailingLines };
  }

  if (Array.isArray(value) && value.length > 0) {
    return {
      text: `${head}\n${emitSequence(value, indent + INDENT_STEP, options)}`,
      keepsTrailingLines: false,
    };
  }

  return { text: `${head} ${emptyOrScalar(value)}\n`, keepsTrailingLines: false };
}

function emptyOrScalar(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isPlainObject(value)) return '{}';

  return inlineScalar(value);
}

/** Emits the entries of a mapping at `indent` columns. */
export function emitMapping(
  map: Record<string, unknown>,
  indent: number,
  options: EmitOptions,
): Emitted {
  let text = '';
  let keepsTrailingLines = false;

  for (const [key, value] of entriesOf(map, options)) {
    const entry = emitEntry(key, value, indent, options);

    text += entry.text;
    keepsTrailingLines = entry.keepsTrailingLines;
  }

  return { text, keepsTrailingLines };
}

/**
 * Emits sequence items at `indent` columns. Strings in sequences stay on one
 * line (double-quoted when multi-line), because a block scalar's indentation
 * under `- ` is easy for readers to get wrong.
 */
function emitSequence(items: unknown[], indent: number, options: EmitOptions): string {
  const pad = ' '.repeat(indent);
  let text = '';

  for (const item of items) {
    if (isPlainObject(item) && Object.keys(item).length > 0) {
      const nested = emitMapping(item, indent + INDENT_STEP, options).text;

      text += `${pad}- ${nested.slice(indent + INDENT_STEP)}`;
    } else if (Array.isArray(item) && item.length > 0) {
      const nested = emitSequence(item, indent + INDENT_STEP, options);

      text += `${pad}- ${nested.slice(indent + INDENT_STEP)}`;
    } else {
      text += `${pad}- ${emptyOrScalar(item)}\n`;
    }
  }

  return text;
}

/** Emits a whole document for a mapping, keys sorted as PyYAML's `safe_dump` sorts them. */
export function emitDocument(map: Record<string, unknown>): string {
  const text = emitMapping(map, 0, { sortKeys: true }).text;

  return text === '' ? '{}\n' : text;
}
