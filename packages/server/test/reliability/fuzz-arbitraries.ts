import fc from 'fast-check';

/*
 * Generators of request bodies for the fuzz test: mostly valid, with texts
 * that are hard to store in YAML, and a small share of invalid values.
 */

const TRICKY_TEXTS = [
  '',
  'yes',
  'No',
  'null',
  '~',
  '0x1F',
  '1e3',
  '2024-01-01',
  '- item',
  'key: value',
  '# hash',
  '&anchor *alias',
  '!tag text',
  '"double" and \'single\'',
  'trailing space ',
  ' leading space',
  'tab\there',
  'line one\nline two',
  'ends with newline\n',
  'two newlines\n\n',
  '\n starts with newline',
  'crlf\r\nline',
  'lone \r return',
  'nul \u0000 char',
  'bell \u0007 and escape \u001b',
  'next line \u0085 and line separator \u2028',
  '\ufeffbyte order mark',
  'Ünïcödé — 天气 — 🌦️',
  '{{ variable }} and {% raw %}',
  '${db_labels}',
  '|\n  block',
  '>- folded',
  '---',
  '...',
];

/** Texts that JSON can carry but UTF-8 files cannot: lone UTF-16 surrogates. */
const UNPAIRED_SURROGATES = ['\ud800', 'a\udfffb'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_TEXTS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

/** Ids valid in a path, some of which YAML would read as numbers, booleans or null. */
const ID_POOL = [
  'r1',
  'r2',
  'r3',
  '123',
  '007',
  'true',
  'null',
  'yes',
  '1e3',
  '0x1F',
  '-1',
  '1_000',
];

const NAMES = [
  'Alpha',
  'alpha',
  'ALPHA',
  ' alpha ',
  'alpha!',
  'Beta API',
  'beta-api',
  'Beta_API',
  'Γάμμα Σ',
  '天气 API',
  'Ünïcödé — Data.Set v2',
  'İstanbul',
  'emoji 🌦️',
  '   ',
];

const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.string({ minLength: 0, maxLength: 24 }) },
);

export const UUID_POOL = [
  '11111111-1111-4111-8111-111111111111',
  'custom_uuid',
  '42',
  'true',
  'Null',
];

/** Values for fields the API keeps without knowing them. */
const extraValue = fc.oneof(
  text,
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.constantFrom('a', 'b', 'yes', '1'), text, { maxKeys: 2, noNullPrototype: true }),
);

/** Generates a valid value most of the time, else one that breaks a field rule. */
function mostly<T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 19, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/** Fields of an integration body, each present or not. */
export const integrationFields = fc.record(
  {
    name,
    description: mostly(text, fc.constant(7)),
    slug: mostly(
      fc.constantFrom('alpha', 'ALPHA', 'beta_api', 'custom-slug', 'ü_slug', 'open_meteo'),
      fc.constantFrom('bad slug', '', 'dot.ted'),
    ),
    datatype: mostly(fc.constantFrom('api', 'database', 'dataset'), fc.constant('spreadsheet')),
    url: mostly(fc.oneof(text, fc.constant(null)), fc.constant(5)),
    img_url: fc.oneof(text, fc.constant(null)),
    source: fc.oneof({ weight: 8, arbitrary: text }, { weight: 1, arbitrary: fc.constant(null) }),
    last_updated: mostly(
      fc.constantFrom('2024-01-01', '2024-01-31T12:00:00Z', '2024-01-31 12:00', null),
      fc.constant('yesterday'),
    ),
    x_note: extraValue,
  },
  { requiredKeys: [] },
);

export const selector = fc.record({
  index: fc.nat(),
  missing: fc.nat({ max: 19 }).map((n) => n === 0),
});

export type Selector = { index: number; missing: boolean };

export type TagMode = 'none' | 'stale' | 'fresh' | 'star';

export const tagMode = fc.constantFrom<TagMode>(
  'none',
  'none',
  'none',
  'none',
  'stale',
  'fresh',
  'star',
);

export const exampleBody = fc.record(
  {
    resource_type: mostly(fc.constant('example'), fc.constantFrom('video', 5)),
    resource_id: mostly(fc.constantFrom(...ID_POOL), fc.constantFrom('a.b', 'ü', '')),
    query: mostly(text, fc.constant(3)),
    code: mostly(text, fc.constant(null)),
    notes: fc.oneof(text, fc.constant(null)),
    integration: fc.constant('some-other-integration'),
  },
  { requiredKeys: ['query', 'code'] },
);

const FILE_NAMES = ['Notes', 'read me', 'Data', 'docs/c', 'notes', 'Ünï file'];

const FILEPATHS = ['notes.md', 'docs/a.md', 'docs/b.md', './data.txt', 'docs//b.md', 'docs/./c.md'];

const BAD_FILEPATHS = ['../escape.md', '/etc/passwd', 'docs/../../x', 'C:\\x', 'docs/', '.', ' '];

export const fileBody = fc.record(
  {
    resource_type: mostly(fc.constant('file'), fc.constant('example')),
    resource_id: fc.constantFrom(...ID_POOL),
    name: mostly(fc.constantFrom(...FILE_NAMES), fc.constant('')),
    filepath: mostly(fc.constantFrom(...FILEPATHS), fc.constantFrom(...BAD_FILEPATHS)),
    content: fc.oneof(
      { weight: 8, arbitrary: text },
      { weight: 1, arbitrary: fc.constantFrom(...UNPAIRED_SURROGATES) },
      {
        weight: 1,
        arbitrary: fc.nat({ max: 20_000 }).map((size) => `large ${'#'.repeat(size)}\n`),
      },
    ),
  },
  { requiredKeys: ['name'] },
);

/** Path type segment: a placeholder, the body's own type, or the other type. */
export const pathType = fc.constantFrom('new', 'new', 'any', 'all', 'file', 'example');

/** A resource update: content fields, and now and then a resource_type or resource_id. */
export const resourcePatch = fc
  .tuple(
    fc.record(
      {
        query: text,
        code: mostly(text, fc.constant(4)),
        notes: fc.oneof(text, fc.constant(null)),
        name: fc.constantFrom(...FILE_NAMES),
        filepath: mostly(fc.constantFrom(...FILEPATHS), fc.constantFrom(...BAD_FILEPATHS)),
        content: text,
      },
      { requiredKeys: [] },
    ),
    fc.option(
      fc.record(
        {
          resource_type: fc.constantFrom('file', 'example'),
          resource_id: fc.constantFrom(...ID_POOL),
        },
        { requiredKeys: [] },
      ),
      { freq: 8 },
    ),
  )
  .map(([fields, identity]) => ({ ...fields, ...(identity ?? {}) }));
