import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';

import { emitDocument, parseYaml, patchDocument } from '@beaker-integrations/store-fs';
import { TRICKY_STRINGS, findPython, pythonLoad, tempDir } from './helpers.js';

function documentOf(strings: string[]): Record<string, string> {
  return Object.fromEntries(
    strings.map((value, index) => [`k${String(index).padStart(3, '0')}`, value]),
  );
}

test('emitter round trip through own loader', () => {
  const values = documentOf(TRICKY_STRINGS);
  const text = emitDocument(values);
  const { document } = parseYaml(text);

  assert.deepEqual(document.errors, []);
  assert.deepEqual(document.toJS(), values);
});

test('emitter round trip through PyYAML', async (t) => {
  const python = findPython();

  if (!python) return t.skip('python3 with PyYAML is not installed');

  const values = documentOf(TRICKY_STRINGS);
  const file = path.join(await tempDir(t), 'strings.yaml');

  await writeFile(file, emitDocument(values));

  const [loaded] = pythonLoad(python, [file]);

  assert.deepEqual(loaded, values);
});

test('emitter writes long keys explicitly', async (t) => {
  const key = 'k'.repeat(2000);
  const values = { [key]: 'line one\nline two\n', short: { [key]: 1 } };
  const text = emitDocument(values);

  assert.deepEqual(parseYaml(text).document.toJS(), values);

  const python = findPython();

  if (!python) return t.skip('python3 with PyYAML is not installed');

  const file = path.join(await tempDir(t), 'keys.yaml');

  await writeFile(file, text);

  assert.deepEqual(pythonLoad(python, [file])[0], values);
});

test('emitter writes literal blocks and keeps long lines', () => {
  const text = emitDocument({
    code: 'import x\nprint(x)\n',
    long: 'word '.repeat(60).trim(),
    stripped: 'a\nb',
  });

  assert.match(text, /^code: \|\n {2}import x\n {2}print\(x\)\n/m);
  assert.match(text, /^stripped: \|-\n {2}a\n {2}b\n/m);
  assert.match(text, /^long: word( word){59}\n/m);
});

test('emitter quotes typed-looking strings', () => {
  const text = emitDocument({ a: 'no', b: '2024-01-01', c: '1e3', d: 'plain words' });

  assert.match(text, /^a: 'no'$/m);
  assert.match(text, /^b: '2024-01-01'$/m);
  assert.match(text, /^c: '1e3'$/m);
  assert.match(text, /^d: plain words$/m);
});

const PLAIN_SCALARS = `bool_yes: yes
bool_off: Off
letter_y: y
letter_n: n
sci: 1e3
sci_dot: 1.0e+3
hex: 0x1F
octal: 0777
not_octal: 09
thousands: 1_000
sexagesimal: 12:30
sexagesimal_float: 1:30.5
leading_zero_time: 09:30
float: 3.25
dot_only: .
tilde: ~
empty:
date: 2024-01-01
short_date: 2024-1-1
merged:
  <<: {a: 1, b: 2}
  b: 3
`;

test('loader types plain scalars like PyYAML', async (t) => {
  const { document } = parseYaml(PLAIN_SCALARS);
  const ours = document.toJS() as Record<string, unknown>;

  assert.equal(ours.bool_yes, true);
  assert.equal(ours.bool_off, false);
  assert.equal(ours.letter_y, 'y');
  assert.equal(ours.sci, '1e3');
  assert.equal(ours.sci_dot, 1000);
  assert.equal(ours.hex, 31);
  assert.equal(ours.octal, 511);
  assert.equal(ours.not_octal, '09');
  assert.equal(ours.thousands, 1000);
  assert.equal(ours.sexagesimal, 750);
  assert.equal(ours.leading_zero_time, '09:30');
  assert.equal(ours.tilde, null);
  assert.equal(ours.empty, null);
  assert.equal(ours.date, '2024-01-01');
  assert.deepEqual(ours.merged, { a: 1, b: 3 });

  const python = findPython();

  if (!python) return t.skip('python3 with PyYAML is not installed');

  const file = path.join(await tempDir(t), 'scalars.yaml');

  await writeFile(file, PLAIN_SCALARS);

  const [theirs] = pythonLoad(python, [file]);

  assert.deepEqual(ours, theirs);
});

test('loader records duplicate keys, last wins', () => {
  const { document, duplicateKeys } = parseYaml('name: first\nname: second\nother: 1\n');

  assert.deepEqual(document.errors, []);
  assert.deepEqual(duplicateKeys, ['name']);
  assert.equal((document.toJS() as { name: string }).name, 'second');
});

const CHARACTERS = fc.constantFrom(
  'a',
  'Z',
  '0',
  '1',
  ' ',
  '\t',
  '\n',
  '\r',
  ':',
  '#',
  '-',
  '?',
  "'",
  '"',
  '\\',
  '|',
  '>',
  '{',
  '[',
  ',',
  '&',
  '*',
  '!',
  '%',
  '@',
  '`',
  '.',
  '~',
  'é',
  '天',
  '😀',
  '\x00',
  '\x85',
  '\u2028',
  '\ufeff',
);

const STRINGS = fc.array(CHARACTERS, { maxLength: 24 }).map((parts) => parts.join(''));

test('emitter property: any string reads back', async (t) => {
  const samples = fc.sample(STRINGS, { numRuns: 400, seed: 20240101 });

  fc.assert(
    fc.property(STRINGS, (value) => {
      const { document } = parseYaml(emitDocument({ value }));

      return document.errors.length === 0 && (document.toJS() as { value: string }).value === value;
    }),
    { numRuns: 2000 },
  );

  const python = findPython();

  if (!python) return t.skip('python3 with PyYAML is not installed');

  const file = path.join(await tempDir(t), 'samples.yaml');

  await writeFile(file, emitDocument(documentOf(samples)));

  const [theirs] = pythonLoad(python, [file]);

  assert.deepEqual(theirs, documentOf(samples));
});

const EXISTING = `# Maintained by hand.
name: Old name  # shown in the list
description: |
  Two lines
  of text.
last_updated: 2024-01-01
resources:
  r1:
    code: print(1)
    query: q
    resource_type: example
  r2:
    resource_type: dataset
source: "double quoted\\
  \\ folded"
`;

test('patch rewrites only changed entries', () => {
  const previous = {
    name: 'Old name',
    description: 'Two lines\nof text.\n',
    last_updated: '2024-01-01',
  };
  const next = { ...previous, name: 'New name' };
  const patched = patchDocument(EXISTING, previous, next);

  assert.equal(patched, EXISTING.replace('name: Old name  # shown in the list', 'name: New name'));
});

test('patch edits one resource field in place', () => {
  const resource = { code: 'print(1)', query: 'q', resource_type: 'example' };
  const previous = { resources: { r1: resource } };
  const next = { resources: { r1: { ...resource, code: 'print(2)\nprint(3)\n' } } };
  const patched = patchDocument(EXISTING, previous, next);

  assert.equal(
    patched,
    EXISTING.replace('    code: print(1)\n', '    code: |\n      print(2)\n      print(3)\n'),
  );
});

test('patch inserts sorted keys and deletes removed ones', () => {
  const resource = { code: 'print(1)', query: 'q', resource_type: 'example' };
  const previous = { resources: { r1: resource }, name: 'Old name' };
  const next = {
    resources: { r1: resource, r0: { ...resource, notes: null } },
    name: 'Old name',
    img_url: 'x.png',
  };
  const patched = patchDocument(EXISTING, previous, next);
  const { document } = parseYaml(patched);
  const data = document.toJS() as Record<string, Record<string, unknown>>;

  // The top-level keys are not sorted, so the new key goes last.
  assert.match(patched, /\nimg_url: x\.png\n$/);
  assert.match(patched, /^ {2}r0:\n {4}code: print\(1\)\n {4}notes: null\n/m);
  assert.deepEqual(Object.keys(data.resources ?? {}), ['r0', 'r1', 'r2']);

  const removed = patchDocument(EXISTING, previous, { ...previous, resources: {} });

  assert.doesNotMatch(removed, /r1:/);
  assert.match(removed, /r2:\n {4}resource_type: dataset\n/);
});

test('patch inserts a key in sorted order', () => {
  const patched = patchDocument('a: 1\nc: 3\n', { a: 1, c: 3 }, { a: 1, b: 2, c: 3 });

  assert.equal(patched, 'a: 1\nb: 2\nc: 3\n');
});

test('patch empties a mapping in place', () => {
  const text = '# note\nname: a\nresources:\n  r1:\n    code: x\n';
  const patched = patchDocument(
    text,
    { name: 'a', resources: { r1: { code: 'x' } } },
    { name: 'a', resources: {} },
  );

  assert.equal(patched, '# note\nname: a\nresources: {}\n');
});

test('patch keeps blank lines out of a keep block', () => {
  const text = 'a: 1\n\nb: 2\n';
  const patched = patchDocument(text, { a: 1 }, { a: 'x\n\n' });
  const data = parseYaml(patched).document.toJS() as Record<string, unknown>;

  assert.deepEqual(data, { a: 'x\n\n', b: 2 });
});

test('patch rewrites flow documents whole', () => {
  const patched = patchDocument('{name: a, extra: [1, 2]}\n', { name: 'a' }, { name: 'b' });
  const data = parseYaml(patched).document.toJS() as Record<string, unknown>;

  assert.deepEqual(data, { name: 'b', extra: [1, 2] });
});
