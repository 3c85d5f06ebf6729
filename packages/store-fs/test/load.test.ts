import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import type { Logger } from '@beaker-integrations/core';
import { FsStore, folderUuid } from '@beaker-integrations/store-fs';
import { minimalYaml, tempDir, writeFolder } from './helpers.js';

function recordingLogger(): Logger & { warnings: object[] } {
  const warnings: object[] = [];
  const ignore = () => undefined;

  return {
    warnings,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (fields) => warnings.push(fields),
  };
}

test('load skips a disabled folder', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'disabled_one', 'disabled\n');
  await writeFolder(root, 'kept', minimalYaml('Kept'));

  const logger = recordingLogger();
  const { integrations, problems } = await new FsStore({ roots: [root], logger }).load();

  assert.deepEqual(
    integrations.map((integration) => integration.name),
    ['Kept'],
  );
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.location, path.join(root, 'specifications/disabled_one/api.yaml'));
  assert.match(problems[0]?.message ?? '', /not a mapping.*'disabled'/);
  assert.equal(logger.warnings.length, 1);
});

test('load skips malformed YAML', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'broken', 'name: [unclosed\ndescription: x\n');
  await writeFolder(root, 'fine', minimalYaml('Fine'));

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();

  assert.equal(integrations.length, 1);
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /not valid YAML/);
});

test('load skips a folder without api.yaml', async (t) => {
  const root = await tempDir(t);

  await mkdir(path.join(root, 'specifications/empty'), { recursive: true });

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();

  assert.equal(integrations.length, 0);
  assert.match(problems[0]?.message ?? '', /api\.yaml is missing/);
});

test('load reports a missing name', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'nameless', 'description: x\nsource: y\n');

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();

  assert.equal(integrations.length, 0);
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /missing required field 'name'/);
});

test('load reports wrong field types', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'numeric_name', 'name: 123\ndescription: x\nsource: y\n');
  await writeFolder(root, 'no_source', 'name: A\ndescription: x\n');
  await writeFolder(root, 'null_source', 'name: B\ndescription: x\nsource: null\n');

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();

  assert.deepEqual(
    integrations.map((integration) => integration.name),
    ['B'],
  );
  assert.match(problems[0]?.message ?? '', /missing required field 'source'/);
  assert.match(problems[1]?.message ?? '', /field 'name' must be a non-empty string, not a number/);
});

test('load keeps the last duplicate key', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'dup', minimalYaml('First', 'name: Second\n'));

  const logger = recordingLogger();
  const { integrations, problems } = await new FsStore({ roots: [root], logger }).load();

  assert.equal(integrations[0]?.name, 'Second');
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /duplicate key 'name'/);
  assert.equal(logger.warnings.length, 1);
});

test('load fills defaults', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'plain', minimalYaml('My API!', 'cache_body: true\n'));

  const [integration] = (await new FsStore({ roots: [root] }).load()).integrations;

  assert.equal(integration?.uuid, folderUuid('plain'));
  assert.match(
    integration?.uuid ?? '',
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.equal(integration?.slug, 'my_api_');
  assert.equal(integration?.datatype, 'api');
  assert.equal(integration?.url, null);
  assert.equal(integration?.img_url, null);
  assert.equal(integration?.last_updated, null);
  assert.deepEqual(integration?.resources, {});
  assert.equal(integration?.cache_body, true);
});

test('load serves dates as written', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'dated', minimalYaml('Dated', 'last_updated: 2024-01-01\n'));

  const [integration] = (await new FsStore({ roots: [root] }).load()).integrations;

  assert.equal(integration?.last_updated, '2024-01-01');
});

const RESOURCES = `resources:
  by_type:
    resource_type: file
    name: Spec File
  by_path:
    name: other
    filepath: docs/other.md
  crlf:
    name: crlf
    filepath: crlf.txt
  example:
    code: print(1)
    query: q
  unknown:
    resource_type: dataset
    table: x
  missing:
    name: gone
    filepath: gone.md
  escape:
    name: escape
    filepath: ../api.yaml
`;

test('load reads file resources and examples', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'res', minimalYaml('Res', RESOURCES), {
    spec_file: 'spec text',
    'docs/other.md': 'other text',
    'crlf.txt': 'a\r\nb\r\n',
  });

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();
  const resources = integrations[0]?.resources ?? {};
  const uuid = integrations[0]?.uuid;

  assert.deepEqual(Object.keys(resources).sort(), [
    'by_path',
    'by_type',
    'crlf',
    'escape',
    'example',
    'missing',
  ]);
  assert.deepEqual(resources.by_type, {
    resource_type: 'file',
    resource_id: 'by_type',
    integration: uuid,
    name: 'Spec File',
    filepath: 'spec_file',
    content: 'spec text',
  });
  assert.equal(resources.by_path?.resource_type, 'file');
  assert.equal((resources.by_path as { content: string }).content, 'other text');
  assert.equal((resources.crlf as { content: string }).content, 'a\r\nb\r\n');
  assert.deepEqual(resources.example, {
    resource_type: 'example',
    resource_id: 'example',
    integration: uuid,
    code: 'print(1)',
    query: 'q',
    notes: null,
  });
  assert.equal((resources.missing as { content: string }).content, '');
  assert.equal((resources.escape as { content: string }).content, '');

  const messages = problems.map((problem) => problem.message).join('\n');

  assert.match(messages, /resource 'unknown' has unknown type the string 'dataset'/);
  assert.match(messages, /attachment 'attachments\/gone\.md' is missing/);
  assert.match(messages, /filepath '\.\.\/api\.yaml' contains a '\.\.' segment/);
  assert.equal(problems.length, 3);
});

test('load does not follow attachment symlinks out', async (t) => {
  const root = await tempDir(t);
  const outside = path.join(root, 'secret.txt');

  await writeFile(outside, 'secret');

  const folder = await writeFolder(
    root,
    'linked',
    minimalYaml('Linked', 'resources:\n  f:\n    resource_type: file\n    name: f\n'),
    {
      keep: 'x',
    },
  );

  await symlink(outside, path.join(folder, 'attachments/f'));

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();

  assert.equal((integrations[0]?.resources.f as { content: string }).content, '');
  assert.match(problems[0]?.message ?? '', /leads outside the attachments folder/);
});

test('load returns duplicate uuids in folder order', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'b_second', minimalYaml('Second', 'uuid: same-id\n'));
  await writeFolder(root, 'a_first', minimalYaml('First', 'uuid: same-id\n'));

  const { integrations } = await new FsStore({ roots: [root] }).load();

  assert.deepEqual(
    integrations.map((integration) => integration.name),
    ['First', 'Second'],
  );
});

test('load hides later roots by folder name', async (t) => {
  const base = await tempDir(t);
  const user = path.join(base, 'user');
  const packaged = path.join(base, 'packaged');

  await writeFolder(user, 'shared', minimalYaml('User copy'));
  await writeFolder(packaged, 'shared', minimalYaml('Packaged copy'));
  await writeFolder(packaged, 'only_packaged', minimalYaml('Only packaged'));

  const store = new FsStore({ roots: [user, packaged] });
  const { integrations } = await store.load();

  assert.equal(store.key, `fs:${user}|${packaged}`);
  assert.deepEqual(
    integrations.map((integration) => integration.name),
    ['Only packaged', 'User copy'],
  );
});

test('load ignores dot folders and removes temp files', async (t) => {
  const root = await tempDir(t);
  const folder = await writeFolder(root, 'real', minimalYaml('Real'));

  await writeFolder(root, '.hidden', minimalYaml('Hidden'));
  await writeFolder(root, '.beaker-tmp-0123456789abcdef', minimalYaml('Half created'));
  await writeFile(path.join(folder, '.beaker-tmp-fedcba9876543210'), 'name: partial');

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();

  assert.deepEqual(
    integrations.map((integration) => integration.name),
    ['Real'],
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(await readdir(folder), ['api.yaml']);
  assert.deepEqual((await readdir(path.join(root, 'specifications'))).sort(), ['.hidden', 'real']);
});

test('prompt instructions join files by name', async (t) => {
  const base = await tempDir(t);
  const first = path.join(base, 'first');
  const second = path.join(base, 'second');

  await mkdir(path.join(first, 'prompts'), { recursive: true });
  await mkdir(path.join(second, 'prompts'), { recursive: true });
  await writeFile(path.join(first, 'prompts/b.md'), 'B from first\n');
  await writeFile(path.join(second, 'prompts/b.md'), 'B from second\n');
  await writeFile(path.join(second, 'prompts/a.md'), 'A from second\n');
  await writeFile(path.join(second, 'prompts/.hidden'), 'hidden');

  assert.equal(
    await new FsStore({ roots: [first, second] }).promptInstructions(),
    'A from second\n\nB from first',
  );
  assert.equal(
    await new FsStore({ roots: [path.join(base, 'none')] }).promptInstructions(),
    undefined,
  );
});

test('resolveDataFile cases', async (t) => {
  const base = await tempDir(t);
  const first = path.join(base, 'first');
  const second = path.join(base, 'second');

  await mkdir(path.join(first, 'data/folder'), { recursive: true });
  await mkdir(path.join(second, 'data'), { recursive: true });
  await writeFile(path.join(first, 'data/folder/file.csv'), 'x');
  await writeFile(path.join(second, 'data/later.csv'), 'x');
  await writeFile(path.join(base, 'outside.csv'), 'x');
  await symlink(path.join(base, 'outside.csv'), path.join(first, 'data/link.csv'));
  await symlink(path.join(first, 'data/folder/file.csv'), path.join(first, 'data/inside.csv'));

  const store = new FsStore({ roots: [first, second] });

  assert.equal(store.resolveDataFile('folder/file.csv'), path.join(first, 'data/folder/file.csv'));
  assert.equal(store.resolveDataFile('folder'), path.join(first, 'data/folder'));
  assert.equal(store.resolveDataFile(''), path.join(first, 'data'));
  assert.equal(store.resolveDataFile('later.csv'), path.join(second, 'data/later.csv'));
  assert.equal(store.resolveDataFile('inside.csv'), path.join(first, 'data/inside.csv'));
  assert.equal(store.resolveDataFile('missing.csv'), undefined);
  assert.equal(store.resolveDataFile('../outside.csv'), undefined);
  assert.equal(store.resolveDataFile('folder/../../outside.csv'), undefined);
  assert.equal(store.resolveDataFile(path.join(base, 'outside.csv')), undefined);
  assert.equal(store.resolveDataFile('link.csv'), undefined);
  assert.equal(store.resolveDataFile('folder/file.csv/x'), undefined);
});

test('load rejects self-referencing alias', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'loop', minimalYaml('Loop', 'extra: &loop\n  self: *loop\n'));
  await writeFolder(
    root,
    'shared',
    minimalYaml('Shared', 'first: &a\n  k: a shared value\nsecond: *a\n'),
  );

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();

  assert.deepEqual(
    integrations.map((integration) => integration.name),
    ['Shared'],
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /alias refers to a mapping or list that contains it/);
  assert.deepEqual(integrations[0]?.second, { k: 'a shared value' });
});

test('load reads final blocks like PyYAML', async (t) => {
  const root = await tempDir(t);
  // Each file ends without a line break; the values are PyYAML's.
  const cases: [string, string][] = [
    ['|\n  clip', 'clip'],
    ['|+\n  keep', 'keep'],
    ['>\n  folded\n  lines', 'folded lines'],
    ['|+\n  kept\n\n  ', 'kept\n\n'],
    ['|\n  spaces\n     ', 'spaces\n   '],
    ['|-\n  strip', 'strip'],
  ];

  for (const [index, [block]] of cases.entries()) {
    await writeFolder(
      root,
      `case_${index}`,
      `name: Case ${index}\ndescription: d\nsource: ${block}`,
    );
  }

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();
  const sources = new Map(
    integrations.map((integration) => [integration.name, integration.source]),
  );

  assert.deepEqual(problems, []);

  for (const [index, [block, expected]] of cases.entries()) {
    assert.equal(sources.get(`Case ${index}`), expected, JSON.stringify(block));
  }
});
