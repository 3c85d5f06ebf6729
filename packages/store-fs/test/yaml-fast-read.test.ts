import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { stringify } from 'yaml';

import { emitDocument, parseYaml, readBlockYaml } from '@beaker-integrations/store-fs';
import { TRICKY_STRINGS, findPython, pythonLoad, tempDir } from './helpers.js';

/*
 * The fast reader must give exactly what the `yaml` package gives, or give
 * up. Every check below compares the two on the same text: real folders,
 * documents written by PyYAML, by this package's emitter and by the `yaml`
 * package in several styles, and random edits of all of those.
 */

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CORPUS = path.join(REPO, '..', 'shared', 'corpus', 'biome', 'adhoc_data', 'specifications');
const EXAMPLES = path.join(REPO, 'examples', 'integrations', 'specifications');

type Outcome = 'fast' | 'fallback';

/** Reads `text` both ways and fails unless the fast reader gave up or agreed exactly. */
function agree(text: string): Outcome {
  const fast = readBlockYaml(text);

  if (fast === undefined) return 'fallback';

  const { document, duplicateKeys } = parseYaml(text);

  assert.deepEqual(
    document.errors.map((error) => error.message),
    [],
    `the fast reader accepted text the yaml package rejects:\n${text}`,
  );
  assert.deepEqual(duplicateKeys, [], `the fast reader accepted duplicate keys:\n${text}`);
  assert.deepStrictEqual(
    fast,
    document.toJS({ maxAliasCount: 100 }),
    `the readers disagree on:\n${text}`,
  );

  return 'fast';
}

function apiYamlTexts(root: string): string[] {
  if (!existsSync(root)) return [];

  return readdirSync(root)
    .map((name) => path.join(root, name, 'api.yaml'))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, 'utf8'));
}

/** Pieces that stress YAML scalars: indicators, comment starts, typed words, breaks and spaces. */
const PIECES = [
  ' ',
  '  ',
  '#',
  ' #',
  ': ',
  ':',
  '-',
  '- ',
  '? ',
  "'",
  "''",
  '"',
  '\\',
  '\\n',
  '\n',
  '\n\n',
  '\n  ',
  '  \n',
  '\t',
  '|',
  '>',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a',
  '*a',
  '!',
  '!!str',
  '%',
  '@',
  '`',
  '---',
  '...',
  'yes',
  'No',
  'ON',
  '~',
  'null',
  'true',
  '0',
  '1',
  '07',
  '0x1F',
  '0b101',
  '1_000',
  '1:30',
  '190:20:30.15',
  '.5',
  '1.5e+3',
  '.inf',
  '-.INF',
  '.NaN',
  '2001-12-14',
  '2001-12-14 21:59:43.10 -5',
  '=',
  '<<',
  'é',
  '😀',
  '\u00a0',
  '\u0085',
  '\u2028',
  '\r',
  '\r\n',
  '\x07',
  'word',
  'two words',
  'x'.repeat(90),
];

const textArbitrary = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.constantFrom(...TRICKY_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.lorem({ maxCount: 30 }),
);

const keyArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/) },
  { weight: 1, arbitrary: textArbitrary.filter((key) => key !== '__proto__') },
);

const scalarArbitrary = fc.oneof(
  { weight: 6, arbitrary: textArbitrary },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const { document: documentArbitrary } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArbitrary,
    tie('list'),
    tie('document'),
  ),
  list: fc.array(tie('value'), { maxLength: 4 }),
  document: fc.dictionary(keyArbitrary, tie('value'), { maxKeys: 6 }),
}));

/** Draws a seeded sample of random documents. The JSON round trip drops -0, which no writer keeps. */
function sampleDocuments(count: number, seed: number): Record<string, unknown>[] {
  return fc
    .sample(documentArbitrary, { numRuns: count, seed })
    .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);
}

const PYTHON_DUMP = `
import json, sys, yaml
values = json.load(sys.stdin)
styles = [
    dict(),
    dict(width=24),
    dict(default_style='"'),
    dict(default_style="'", width=30),
    dict(default_style='|'),
    dict(allow_unicode=True, indent=4),
    dict(default_flow_style=None),
]
print(json.dumps([yaml.safe_dump(value, **style) for value in values for style in styles]))
`;

function pythonDump(python: string, values: unknown[]): string[] {
  const run = spawnSync(python, ['-c', PYTHON_DUMP], {
    input: JSON.stringify(values),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });

  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);

  return JSON.parse(run.stdout) as string[];
}

function countOutcomes(texts: string[]): Record<Outcome, number> {
  const counts = { fast: 0, fallback: 0 };

  for (const text of texts) counts[agree(text)]++;

  return counts;
}

test('reads every corpus and example folder without falling back', () => {
  const texts = [...apiYamlTexts(CORPUS), ...apiYamlTexts(EXAMPLES)];

  assert.ok(texts.length >= 3, 'no api.yaml found');

  for (const text of texts) assert.equal(agree(text), 'fast');
});

test('agrees with the yaml package on documents PyYAML writes in seven styles', (t) => {
  const python = findPython();

  if (!python) return t.skip('python3 with PyYAML is not installed');

  const texts = pythonDump(python, sampleDocuments(300, 20261204));

  countOutcomes(texts);

  // Flow style, tags and explicit keys fall back. In the default style, which
  // Beaker writes, an empty document and the random keys that need an
  // explicit `? ` entry (long or multi-line) fall back, about half here.
  const defaultStyle = countOutcomes(texts.filter((_, index) => index % 7 === 0));

  assert.ok(defaultStyle.fast > 120, `only ${defaultStyle.fast} of 300 read fast`);
});

test('agrees with the yaml package on documents this package writes', () => {
  const texts = sampleDocuments(500, 7).map((value) => emitDocument(value));
  const counts = countOutcomes(texts);

  assert.ok(counts.fast > texts.length * 0.7, `only ${counts.fast} of ${texts.length} read fast`);
});

test('agrees with the yaml package on documents it writes in several styles', () => {
  const styles = [
    {},
    { lineWidth: 20, minContentWidth: 0 },
    { blockQuote: 'literal' as const },
    { defaultStringType: 'QUOTE_SINGLE' as const },
    { defaultStringType: 'QUOTE_DOUBLE' as const, lineWidth: 30 },
    { indentSeq: false, indent: 4 },
  ];
  const texts = sampleDocuments(200, 11).flatMap((value) =>
    styles.map((style) => stringify(value, { version: '1.1', ...style })),
  );

  countOutcomes(texts);
});

/** Random edits: insert a piece, delete a span, or change a line's indentation. */
function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const choice = random();

  if (choice < 0.5) {
    const piece = PIECES[Math.floor(random() * PIECES.length)] ?? '';

    return text.slice(0, at) + piece + text.slice(at);
  }
  if (choice < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));

  const lineStart = text.lastIndexOf('\n', at - 1) + 1;

  return random() < 0.5
    ? text.slice(0, lineStart) + ' ' + text.slice(lineStart)
    : text.slice(0, lineStart) + text.slice(lineStart).replace(/^ /, '');
}

/** A small seeded generator, so a failure names a text that can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);

    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);

    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

test('gives up or agrees on 6,000 randomly edited documents', () => {
  const random = seededRandom(42);
  const originals = [
    ...apiYamlTexts(EXAMPLES),
    ...sampleDocuments(150, 3).map((value) => emitDocument(value)),
    ...sampleDocuments(150, 5).map((value) => stringify(value, { version: '1.1', lineWidth: 24 })),
  ];
  const counts = { fast: 0, fallback: 0 };

  for (let round = 0; round < 6_000; round++) {
    let text = originals[round % originals.length] ?? '';

    for (let edit = 0; edit < 1 + (round % 3); edit++) text = mutate(text, random);

    counts[agree(text)]++;
  }

  assert.ok(counts.fast > 500, `only ${counts.fast} edited documents read fast`);
});

const SUPPORTED: [string, string][] = [
  ['plain types', 'a: yes\nb: 0x1F\nc: 1_000\nd: 1:30\ne: .inf\nf: ~\ng: 2001-12-14\n'],
  ['folded plain', 'a: one\n  two\n\n  three\nb: x\n'],
  ['plain with a comment', 'a: value # note\nb: c#d\n'],
  ['double-quoted escapes', 'a: "tab\\t nl\\n uni\\u00e9 \\U0001F600 \\x41 \\/ \\_"\n'],
  ['double-quoted folding', 'a: "one \\\n  \\ two\n  three\n\n  four  \n  five"\n'],
  ['single-quoted folding', "a: 'it''s\n  folded\n\n  here '\n"],
  ['literal chomping', 'a: |\n  x\n\nb: |-\n  y\n\n\nc: |+\n  z\n\n\nd: x\n'],
  ['literal indicator', 'a: |2-\n    indented\n  line\nb:\n  c: |2\n     deeper\n'],
  ['literal with a comment header', 'a: | # note\n  x\n'],
  ['indentless sequence', 'a:\n- 1\n- b: 2\n  c: 3\n-\n  d: 4\ne: []\nf: {}\n'],
  ['nested', 'a:\n  b:\n    - x\n    - - y\n'],
  ['quoted keys', '"a b": 1\n\'c: d\': 2\n'],
  ['comments and blank lines', '# top\n\na: 1 # one\n  # indented comment\n\nb: 2\n'],
  ['negative zero and base 60', 'a: -00\nb: 1:5:0.03\nc: -0x0\n'],
  ['long folded quotes', `a: "${'x \n '.repeat(5000)}"\nb: '${'y \n '.repeat(5000)}'\n`],
];

const UNSUPPORTED: [string, string][] = [
  ['anchor and alias', 'a: &x 1\nb: *x\n'],
  ['merge key', 'a: {x: 1}\n<<: {y: 2}\n'],
  ['duplicate key', 'a: 1\na: 2\n'],
  ['tag', 'a: !!str 1\n'],
  ['flow mapping', 'a: {x: 1}\n'],
  ['folded block', 'a: >\n  x\n'],
  ['tab indentation', 'a:\n\tb: 1\n'],
  ['document marker', '---\na: 1\n'],
  ['number key', '1: a\n'],
  ['carriage return', 'a: 1\r\n'],
  ['root sequence', '- a\n'],
  ['bad indentation', 'a: 1\n  b: 2\n'],
  ['explicit key', '? a\n: 1\n'],
  ['unterminated quote', 'a: "x\n'],
  ['literal at the end without a line break', 'a: |\n  x'],
  ['kept literal ending in spaces without a line break', 'a: |+\n x\n '],
  ['implicit key over 1,000 characters', `${'k'.repeat(1025)}: 1\n`],
  ['quoted key over 1,000 characters', `"${'k'.repeat(1023)}": 1\n`],
  ['sequences nested 985 deep', `a:\n${'- '.repeat(985)}x\n`],
  ['sequences nested 3,516 deep', `a:\n${'- '.repeat(3516)}x\n`],
];

test('reads the supported forms exactly as the yaml package does', () => {
  for (const [name, text] of SUPPORTED) assert.equal(agree(text), 'fast', name);
});

test('gives up on forms outside the subset', () => {
  for (const [name, text] of UNSUPPORTED) assert.equal(readBlockYaml(text), undefined, name);
});

test('reads numbers as PyYAML does', async (t) => {
  const python = findPython();

  if (!python) return t.skip('python3 with PyYAML is not installed');

  const text = 'a: -00\nb: 1:5:0.03\nc: -0b101\nd: 0x1F\ne: 190:20:30.15\nf: -1_000\ng: 017\n';
  const file = path.join(await tempDir(t), 'numbers.yaml');

  await writeFile(file, text);

  const [expected] = pythonLoad(python, [file]);

  assert.deepStrictEqual(readBlockYaml(text), expected);
  assert.equal(Object.is((readBlockYaml(text) as { a: number }).a, -0), false);
});
