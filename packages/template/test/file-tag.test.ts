import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { renderTemplate } from '@beaker-integrations/template';

let dataFolder = '';
const requested: string[] = [];

// Resolves inside a real temporary data folder and records every request.
function resolveFile(path: string): string | undefined {
  requested.push(path);

  const absolute = path === '' ? dataFolder : join(dataFolder, path);

  return existsSync(absolute) ? absolute : undefined;
}

function render(template: string): { text: string | null; kinds: string[] } {
  requested.length = 0;

  const result = renderTemplate(template, { variables: {}, resolveFile });

  return { text: result.text, kinds: result.problems.map((problem) => problem.kind) };
}

before(async () => {
  dataFolder = await mkdtemp(join(tmpdir(), 'template-data-'));
  await mkdir(join(dataFolder, 'census-nsch'));
  await writeFile(join(dataFolder, 'census-nsch', 'codebook.csv'), 'a,b\n');
  await writeFile(join(dataFolder, '1999_2000_DEMOGRAPHICS.xpt'), 'x');
  await writeFile(join(dataFolder, 'with space.csv'), 'x');
});

after(async () => {
  await rm(dataFolder, { recursive: true, force: true });
});

test('file tag resolves a file', () => {
  const { text, kinds } = render("read('{% file census-nsch/codebook.csv %}')");

  assert.equal(text, `read('${dataFolder}/census-nsch/codebook.csv')`);
  assert.deepEqual(kinds, []);
});

test('file tag keeps raw path text', () => {
  assert.equal(
    render('{% file 1999_2000_DEMOGRAPHICS.xpt %}').text,
    `${dataFolder}/1999_2000_DEMOGRAPHICS.xpt`,
  );
  assert.equal(render('{% file with space.csv %}').text, `${dataFolder}/with space.csv`);
});

test('file tag drops trailing slash', () => {
  assert.equal(render('{% file census-nsch/ %}').text, `${dataFolder}/census-nsch`);
  assert.deepEqual(requested, ['census-nsch']);
});

test('file tag with empty path', () => {
  assert.equal(render('{% file %}').text, dataFolder);
  assert.equal(render('{% file  %}').text, dataFolder);
  assert.equal(render('{%file%}').text, dataFolder);
  assert.deepEqual(requested, ['']);
});

test('file tag normalises path', () => {
  assert.equal(
    render('{% file ./census-nsch//codebook.csv %}').text,
    `${dataFolder}/census-nsch/codebook.csv`,
  );
  assert.deepEqual(requested, ['census-nsch/codebook.csv']);
  assert.equal(
    render('{% file census-nsch/x/../codebook.csv %}').text,
    `${dataFolder}/census-nsch/codebook.csv`,
  );
  assert.deepEqual(requested, ['census-nsch/codebook.csv']);
});

test('file tag whitespace control', () => {
  assert.equal(render('a  {%- file census-nsch -%}  \n b').text, `a${dataFolder}/census-nschb`);
  assert.equal(render('a {%- file census-nsch-%} b').text, `a${dataFolder}/census-nschb`);
  assert.equal(render('a {%+ file census-nsch +%} b').text, `a ${dataFolder}/census-nsch b`);
});

test('file tag inside if', () => {
  const template = '{% if x %}{% file census-nsch %}{% else %}none{% endif %}';

  assert.equal(
    renderTemplate(template, { variables: { x: '1' }, resolveFile }).text,
    `${dataFolder}/census-nsch`,
  );
  assert.equal(renderTemplate(template, { variables: {}, resolveFile }).text, 'none');
});

test('file tag missing file', () => {
  const { text, kinds } = render('{% file  census-nsch/missing.csv  %}');

  assert.equal(text, 'census-nsch/missing.csv');
  assert.deepEqual(kinds, ['unresolved_file']);
});

test('file tag rejects absolute path', () => {
  const { text, kinds } = render('{% file /etc/passwd %}');

  assert.equal(text, '/etc/passwd');
  assert.deepEqual(kinds, ['unresolved_file']);
  assert.deepEqual(requested, []);
});

test('file tag rejects leaving the folder', () => {
  for (const path of ['../x', 'a/../../x', '..', 'census-nsch/../../etc/passwd', 'a\\..\\..\\x']) {
    const { text, kinds } = render(`{% file ${path} %}`);

    assert.equal(text, path, path);
    assert.deepEqual(kinds, ['unresolved_file'], path);
    assert.deepEqual(requested, [], path);
  }
});

test('file tag without close', () => {
  const result = renderTemplate('a\n{% file x', { variables: {}, resolveFile });

  assert.equal(result.text, null);
  assert.equal(result.problems[0]?.kind, 'syntax_error');
  assert.equal(result.problems[0]?.line, 2);
});

test('filename tag is not a file tag', () => {
  const result = renderTemplate('{% filename x %}', { variables: {}, resolveFile });

  assert.equal(result.text, null);
  assert.equal(result.problems[0]?.message, "Encountered unknown tag 'filename'.");
});
