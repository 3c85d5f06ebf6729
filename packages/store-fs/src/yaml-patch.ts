import { isAlias, isMap, isScalar, visit, type Document, type Pair, type YAMLMap } from 'yaml';
import { emitEntry, emitMapping } from './yaml-emit.js';
import { withFinalBreak } from './final-break.js';
import { readBlockYaml } from './yaml-fast-read.js';
import { parseYaml } from './yaml-schema.js';
import { applyChange, changedKeys, deepEqual, isPlainObject, type PlainObject } from './values.js';

/*
 * Updates the text of an existing YAML document in place, rewriting only the
 * entries whose value changed between `previous` and `next`. Comments, key
 * order, the written form of unchanged scalars (such as an unquoted
 * `2024-01-01`) and entries that were never loaded stay as they are.
 *
 * Every result is parsed again and compared with the expected values. When
 * the in-place edit cannot be made or does not read back right (flow-style
 * mappings, anchors, merge keys), the whole document is written again from
 * its values instead. That rewrite loses comments, and a date that was
 * written unquoted comes back quoted, so PyYAML then reads it as a string.
 */

interface Edit {
  start: number;
  end: number;
  text: string;
  keepsTrailingLines: boolean;
}

class UnsupportedLayout extends Error {}

/** The document on disk cannot be updated: it no longer parses, or is not a mapping. */
export class InvalidDocumentError extends Error {}

/**
 * Returns the new document text, or `text` itself when nothing changed.
 * Throws InvalidDocumentError when `text` is not a valid YAML mapping.
 */
export function patchDocument(text: string, previous: PlainObject, next: PlainObject): string {
  const source = withFinalBreak(text);
  const { document } = parseYaml(source);
  const [error] = document.errors;

  if (error)
    throw new InvalidDocumentError(
      `is no longer valid YAML: ${error.message.split('\n')[0] ?? ''}`,
    );
  if (!isMap(document.contents)) throw new InvalidDocumentError('no longer contains a mapping');

  const current = readBlockYaml(source) ?? toPlainObject(document);
  const expected = applyChange(current, previous, next);

  if (deepEqual(current, expected)) return text;

  const patched = tryPatchInPlace(source, document, previous, next);

  if (patched !== undefined && readsAs(patched, expected)) return patched;

  return rewriteDocument(document, expected);
}

function tryPatchInPlace(
  source: string,
  document: Document.Parsed,
  previous: PlainObject,
  next: PlainObject,
) {
  if (hasAliases(document) || !isMap(document.contents)) return undefined;

  try {
    const edits: Edit[] = [];

    patchMap(source, document.contents, previous, next, edits);

    return applyEdits(source, edits);
  } catch (error) {
    if (error instanceof UnsupportedLayout) return undefined;

    throw error;
  }
}

function toPlainObject(document: Document.Parsed): PlainObject {
  const value: unknown = document.toJS({ maxAliasCount: -1 });

  return isPlainObject(value) ? value : {};
}

function readsAs(text: string, expected: PlainObject): boolean {
  const fast = readBlockYaml(text);

  if (fast !== undefined) return deepEqual(fast, expected);

  const { document } = parseYaml(text);

  return document.errors.length === 0 && deepEqual(toPlainObject(document), expected);
}

/** Writes the document again from its values, keeping the order of its top-level keys. */
function rewriteDocument(document: Document.Parsed, expected: PlainObject): string {
  const text = emitMapping(expected, 0, { sortKeys: false }).text;

  if (!readsAs(text, expected)) throw new Error('rewritten api.yaml does not read back as written');

  // Comments before the first key (often a licence or a note) are kept.
  const header = document.commentBefore ? commentLines(document.commentBefore) : '';

  return header + text;
}

function commentLines(comment: string): string {
  return comment
    .split('\n')
    .map((line) => `#${line}\n`)
    .join('');
}

function hasAliases(document: Document.Parsed): boolean {
  let found = false;

  visit(document, {
    Alias: () => {
      found = true;

      return visit.BREAK;
    },
  });

  return found;
}

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value !== 'symbol'
    ? String(pair.key.value)
    : undefined;
}

/** Offset of the start of the line that contains `offset`. */
function lineStart(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just after the line break that ends the line containing `offset - 1`. */
function lineEnd(source: string, offset: number): number {
  if (offset > 0 && source[offset - 1] === '\n') return offset;

  const newline = source.indexOf('\n', offset);

  return newline === -1 ? source.length : newline + 1;
}

interface PairSpan {
  pair: Pair;
  key: string | undefined;
  start: number;
  end: number;
}

/**
 * Finds the text span of each entry of a block mapping, from the start of
 * its key's line to the end of its value's last line. Throws
 * UnsupportedLayout for a mapping this module cannot edit in place.
 */
function spansOf(source: string, map: YAMLMap, column: number): PairSpan[] {
  return map.items.map((pair) => {
    if (!isScalar(pair.key) || !pair.key.range || isAlias(pair.value))
      throw new UnsupportedLayout();
    if (typeof pair.key.value === 'symbol') throw new UnsupportedLayout(); // a `<<` merge key

    const keyOffset = pair.key.range[0];
    const start = lineStart(source, keyOffset);

    if (keyOffset - start !== column || source.slice(start, keyOffset).trim() !== '')
      throw new UnsupportedLayout();

    const valueEnd = (pair.value as { range?: number[] } | null)?.range?.[2] ?? pair.key.range[2];

    return {
      pair,
      key: keyText(pair),
      start,
      end: lineEnd(source, Math.max(valueEnd, pair.key.range[2])),
    };
  });
}

function columnOf(source: string, map: YAMLMap): number {
  const first = map.items[0];

  if (!first || !isScalar(first.key) || !first.key.range) throw new UnsupportedLayout();

  return first.key.range[0] - lineStart(source, first.key.range[0]);
}

function patchMap(
  source: string,
  map: YAMLMap,
  previous: PlainObject,
  next: PlainObject,
  edits: Edit[],
): void {
  if (map.flow || map.items.length === 0) throw new UnsupportedLayout();

  const column = columnOf(source, map);
  const spans = spansOf(source, map, column);
  const insertions: { key: string; value: unknown }[] = [];

  for (const key of changedKeys(previous, next)) {
    const matches = spans.filter((span) => span.key === key);
    const target = matches.at(-1);

    if (!Object.hasOwn(next, key)) {
      for (const span of matches)
        edits.push({ start: span.start, end: span.end, text: '', keepsTrailingLines: false });
    } else if (!target) {
      insertions.push({ key, value: next[key] });
    } else {
      patchEntry(source, target, previous[key], next[key], column, edits);
    }
  }

  addInsertions(spans, insertions, column, edits);
}

function patchEntry(
  source: string,
  target: PairSpan,
  before: unknown,
  after: unknown,
  column: number,
  edits: Edit[],
): void {
  const value = target.pair.value;

  if (
    isPlainObject(before) &&
    isPlainObject(after) &&
    isMap(value) &&
    !value.flow &&
    value.items.length > 0 &&
    !removesEveryEntry(value, before, after)
  ) {
    patchMap(source, value, before, after, edits);

    return;
  }

  const entry = emitEntry(target.key ?? '', after, column, { sortKeys: true });

  edits.push({ start: target.start, end: target.end, ...entry });
}

/**
 * Checks whether the change deletes every entry of `map`, which in place would leave
 * a bare `key:` (null) instead of an empty mapping.
 */
function removesEveryEntry(map: YAMLMap, before: PlainObject, after: PlainObject): boolean {
  if (Object.keys(after).length > 0) return false;

  return map.items.every((pair) => {
    const key = keyText(pair);

    return key !== undefined && Object.hasOwn(before, key);
  });
}

/**
 * Adds new keys where they sort among the existing ones when the mapping's
 * keys are sorted (as PyYAML writes them), else after its last entry.
 */
function addInsertions(
  spans: PairSpan[],
  insertions: { key: string; value: unknown }[],
  column: number,
  edits: Edit[],
): void {
  const keys = spans.map((span) => span.key ?? '');
  const sorted = keys.every((key, index) => index === 0 || (keys[index - 1] ?? '') <= key);
  const groups = new Map<number, { key: string; value: unknown }[]>();
  const last = spans.at(-1);

  if (!last) throw new UnsupportedLayout();

  for (const insertion of insertions) {
    const before = sorted ? spans.find((span) => (span.key ?? '') > insertion.key) : undefined;
    const offset = before ? before.start : last.end;

    groups.set(offset, [...(groups.get(offset) ?? []), insertion]);
  }

  for (const [offset, group] of groups) {
    const entries = Object.fromEntries(group.map(({ key, value }) => [key, value]));
    const emitted = emitMapping(entries, column, { sortKeys: true });

    edits.push({ start: offset, end: offset, ...emitted });
  }
}

/** Applies non-overlapping edits. An insertion sorts before a replacement that starts at its offset. */
function applyEdits(source: string, edits: Edit[]): string {
  const ordered = [...edits].sort(
    (a, b) => a.start - b.start || a.end - a.start - (b.end - b.start),
  );
  let result = '';
  let position = 0;
  let keepsTrailingLines = false;

  for (const edit of ordered) {
    if (edit.start < position) throw new UnsupportedLayout();

    result += gapText(source.slice(position, edit.start), keepsTrailingLines) + edit.text;
    position = edit.end;
    keepsTrailingLines = edit.keepsTrailingLines || (keepsTrailingLines && edit.text === '');
  }

  return result + gapText(source.slice(position), keepsTrailingLines);
}

/** Drops blank lines that would otherwise join a preceding `|+` block. */
function gapText(gap: string, afterKeepBlock: boolean): string {
  return afterKeepBlock ? gap.replace(/^(?:[ \t]*\n)+/, '') : gap;
}
