import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import type { StoredIntegration } from '@beaker-integrations/core';
import { InvalidInputError, StorageError } from '@beaker-integrations/model';
import { FsStore, parseYaml } from '@beaker-integrations/store-fs';
import {
  TRICKY_STRINGS,
  findPython,
  minimalYaml,
  pythonLoad,
  snapshot,
  tempDir,
  writeFolder,
} from './helpers.js';

function newIntegration(overrides: Partial<StoredIntegration> = {}): StoredIntegration {
  return {
    uuid: '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    name: 'Weather API',
    description: 'Forecasts',
    provider: 'adhoc:local',
    slug: 'weather_api',
    datatype: 'api',
    url: null,
    img_url: null,
    source: 'Use {{ spec }}.\n',
    last_updated: null,
    resources: {
      spec: {
        resource_type: 'file',
        resource_id: 'spec',
        integration: '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b',
        name: 'spec',
        filepath: 'docs/spec.md',
        content: '# Spec\r\n',
      },
    },
    ...overrides,
  };
}

async function loadOne(root: string): Promise<{ store: FsStore; integration: StoredIntegration }> {
  const store = new FsStore({ roots: [root] });
  const { integrations } = await store.load();

  return { store, integration: integrations[0] as StoredIntegration };
}

test('create writes a folder named after the slug', async (t) => {
  const root = await tempDir(t);
  const store = new FsStore({ roots: [root] });
  const created = newIntegration();

  await store.load();
  await store.save(null, created);

  const folder = path.join(root, 'specifications/weather_api');
  const text = await readFile(path.join(folder, 'api.yaml'), 'utf8');

  assert.deepEqual(await readdir(path.join(root, 'specifications')), ['weather_api']);
  assert.deepEqual((await readdir(folder)).sort(), ['api.yaml', 'attachments']);
  assert.equal(await readFile(path.join(folder, 'attachments/docs/spec.md'), 'utf8'), '# Spec\r\n');
  assert.doesNotMatch(text, /content/);
  assert.match(text, /^datatype: api\ndescription: Forecasts\nimg_url: null\n/);

  const reloaded = await new FsStore({ roots: [root] }).load();

  assert.deepEqual(reloaded.integrations, [created]);
});

test('create never reuses a folder', async (t) => {
  const base = await tempDir(t);
  const first = path.join(base, 'first');
  const second = path.join(base, 'second');

  await writeFolder(first, 'weather_api', 'disabled\n');
  await writeFolder(second, 'weather_api_2', minimalYaml('Hidden by nothing'));

  const store = new FsStore({ roots: [first, second] });

  await store.load();
  await store.save(null, newIntegration());

  assert.deepEqual((await readdir(path.join(first, 'specifications'))).sort(), [
    'weather_api',
    'weather_api_3',
  ]);
  assert.equal(
    await readFile(path.join(first, 'specifications/weather_api/api.yaml'), 'utf8'),
    'disabled\n',
  );
});

test('remove moves the folder to trash', async (t) => {
  const root = await tempDir(t);
  const store = new FsStore({ roots: [root] });
  const first = newIntegration();
  const second = newIntegration({
    uuid: '0a1b2c3d-0000-4000-8000-000000000002',
    name: 'Weather 2',
  });

  await store.load();
  await store.save(null, first);
  await store.remove(first);
  await store.save(null, second);
  await store.remove(second);

  const trash = (await readdir(path.join(root, 'trash'))).sort();

  assert.deepEqual(await readdir(path.join(root, 'specifications')), []);
  assert.equal(trash.length, 2);
  assert.equal(trash[0], 'weather_api');
  assert.match(trash[1] ?? '', /^weather_api-\d{8}T\d{6}Z$/);
  assert.equal((await new FsStore({ roots: [root] }).load()).integrations.length, 0);
});

test('update keeps extra fields and dates', async (t) => {
  const root = await tempDir(t);

  await writeFolder(
    root,
    'extra',
    minimalYaml('Extra', 'cache_body: true\nlast_updated: 2024-01-01\n'),
  );

  const { store, integration } = await loadOne(root);

  await store.save(integration, { ...integration, name: 'x' });

  const text = await readFile(path.join(root, 'specifications/extra/api.yaml'), 'utf8');

  assert.equal(
    text,
    minimalYaml('Extra', 'cache_body: true\nlast_updated: 2024-01-01\n').replace(
      'name: Extra',
      'name: x',
    ),
  );

  const { integration: reloaded } = await loadOne(root);

  assert.equal(reloaded.cache_body, true);
  assert.equal(reloaded.name, 'x');
});

test('update keeps unknown resources', async (t) => {
  const root = await tempDir(t);
  const yaml = minimalYaml('Res', 'resources:\n  odd:\n    resource_type: dataset\n    table: t\n');

  await writeFolder(root, 'res', yaml);

  const { store, integration } = await loadOne(root);
  const example = {
    resource_type: 'example',
    resource_id: 'ex',
    integration: integration.uuid,
    query: 'q',
    code: 'c',
    notes: null,
  } as const;

  await store.save(integration, { ...integration, resources: { ex: example } });

  const text = await readFile(path.join(root, 'specifications/res/api.yaml'), 'utf8');
  const data = parseYaml(text).document.toJS() as { resources: Record<string, unknown> };

  assert.deepEqual(Object.keys(data.resources).sort(), ['ex', 'odd']);
  assert.deepEqual(data.resources.odd, { resource_type: 'dataset', table: 't' });
});

test('update writes tricky strings PyYAML reads back', async (t) => {
  const root = await tempDir(t);

  await writeFolder(root, 'tricky', minimalYaml('Tricky'));

  const { store, integration } = await loadOne(root);
  const resources: StoredIntegration['resources'] = {};

  for (const [index, value] of TRICKY_STRINGS.entries()) {
    const id = `r${String(index).padStart(3, '0')}`;

    resources[id] = {
      resource_type: 'example',
      resource_id: id,
      integration: integration.uuid,
      query: value,
      code: value,
      notes: value,
    };
  }

  const next = { ...integration, description: TRICKY_STRINGS.join('|'), resources };

  await store.save(integration, next);

  const { integration: reloaded } = await loadOne(root);

  assert.deepEqual(reloaded, next);

  const python = findPython();

  if (!python) return t.skip('python3 with PyYAML is not installed');

  const [data] = pythonLoad(python, [path.join(root, 'specifications/tricky/api.yaml')]) as {
    description: string;
    resources: Record<string, { code: string; query: string; notes: string }>;
  }[];

  assert.equal(data?.description, next.description);

  for (const [id, resource] of Object.entries(resources)) {
    if (resource.resource_type !== 'example') continue;

    assert.equal(data?.resources[id]?.code, resource.code, id);
    assert.equal(data?.resources[id]?.query, resource.query, id);
    assert.equal(data?.resources[id]?.notes, resource.notes, id);
  }
});

test('update writes changed attachments only', async (t) => {
  const root = await tempDir(t);
  const yaml = minimalYaml(
    'Files',
    'resources:\n  a:\n    name: a\n    filepath: a.md\n  b:\n    name: b\n    filepath: b.md\n',
  );
  const folder = await writeFolder(root, 'files', yaml, { 'a.md': 'A', 'b.md': 'B' });
  const { store, integration } = await loadOne(root);
  const resources = structuredClone(integration.resources);

  (resources.a as { content: string }).content = 'A2';
  (resources.b as { filepath: string }).filepath = 'sub/dir/b.md';

  await rm(path.join(folder, 'attachments/b.md'));
  await store.save(integration, { ...integration, resources });

  assert.equal(await readFile(path.join(folder, 'attachments/a.md'), 'utf8'), 'A2');
  assert.equal(await readFile(path.join(folder, 'attachments/sub/dir/b.md'), 'utf8'), 'B');
  assert.deepEqual((await readdir(folder)).sort(), ['api.yaml', 'attachments']);
  assert.match(await readFile(path.join(folder, 'api.yaml'), 'utf8'), /filepath: sub\/dir\/b\.md/);
});

function withFile(integration: StoredIntegration, filepath: string, name = 'f'): StoredIntegration {
  const file = {
    resource_type: 'file',
    resource_id: 'f',
    integration: integration.uuid,
    name,
    filepath,
    content: 'pwned',
  } as const;

  return { ...integration, resources: { ...integration.resources, f: file } };
}

test('file paths that leave attachments are rejected', async (t) => {
  const base = await tempDir(t);
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside');

  await mkdir(outside);

  const plain = await writeFolder(root, 'plain', minimalYaml('Plain'), { 'keep.md': 'k' });
  const linkedDir = await writeFolder(root, 'linked_dir', minimalYaml('Linked dir'));

  await symlink(outside, path.join(plain, 'attachments/out'));
  await symlink(path.join(outside, 'file.md'), path.join(plain, 'attachments/dangling.md'));
  await symlink(outside, path.join(linkedDir, 'attachments'));

  const store = new FsStore({ roots: [root] });
  const { integrations } = await store.load();
  const before = await snapshot(base);
  const [linked, plainIntegration] = integrations as [StoredIntegration, StoredIntegration];
  const cases: [StoredIntegration, string][] = [
    [plainIntegration, '../x'],
    [plainIntegration, '/tmp/x'],
    [plainIntegration, '../api.yaml'],
    [plainIntegration, 'out/file.md'],
    [plainIntegration, 'dangling.md'],
    [plainIntegration, 'keep.md/inner'],
    [linked, 'file.md'],
  ];

  for (const [integration, filepath] of cases) {
    await assert.rejects(
      store.checkFilePath(integration, filepath),
      InvalidInputError,
      `checkFilePath ${filepath}`,
    );
    await assert.rejects(
      store.save(integration, withFile(integration, filepath)),
      InvalidInputError,
      `save ${filepath}`,
    );
  }

  assert.deepEqual(await snapshot(base), before);
});

test('file path inside attachments is accepted', async (t) => {
  const root = await tempDir(t);
  const folder = await writeFolder(root, 'plain', minimalYaml('Plain'), { 'real/keep.md': 'k' });

  await symlink(path.join(folder, 'attachments/real'), path.join(folder, 'attachments/alias'));

  const { store, integration } = await loadOne(root);

  await store.checkFilePath(integration, 'alias/new.md');
  await store.save(integration, withFile(integration, 'alias/new.md'));

  assert.equal(await readFile(path.join(folder, 'attachments/real/new.md'), 'utf8'), 'pwned');
});

test('create rejects a default filepath that leaves', async (t) => {
  const root = await tempDir(t);
  const store = new FsStore({ roots: [root] });
  const integration = newIntegration();

  await store.load();
  await assert.rejects(
    store.save(null, withFile(integration, '../api.yaml', '../api.yaml')),
    InvalidInputError,
  );
  assert.deepEqual(await readdir(root), []);
});

test('save of a deleted folder fails cleanly', async (t) => {
  const root = await tempDir(t);
  const folder = await writeFolder(root, 'gone', minimalYaml('Gone'));
  const { store, integration } = await loadOne(root);

  await rm(folder, { recursive: true });

  await assert.rejects(store.save(integration, { ...integration, name: 'x' }), (error: unknown) => {
    assert.ok(error instanceof StorageError);
    assert.match(error.message, /gone/);

    return true;
  });
  await assert.rejects(store.remove(integration), StorageError);
});

test('create fails when specifications is a file', async (t) => {
  const root = await tempDir(t);

  await writeFile(path.join(root, 'specifications'), 'not a folder');

  const store = new FsStore({ roots: [root] });

  await store.load();
  await assert.rejects(store.save(null, newIntegration()), StorageError);
});

function mount(args: string[]): boolean {
  return spawnSync('mount', args, { stdio: 'ignore' }).status === 0;
}

test('read-only root fails with StorageError', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'store-fs-ro-'));

  t.after(async () => {
    spawnSync('umount', [root]);
    await rm(root, { recursive: true, force: true });
  });

  if (!mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', root]))
    return t.skip('mount is not permitted here');

  await writeFolder(root, 'frozen', minimalYaml('Frozen'), { 'a.md': 'A' });

  if (!mount(['-o', 'remount,ro', root])) return t.skip('remount read-only is not permitted here');

  const { store, integration } = await loadOne(root);
  const before = await snapshot(root);

  await assert.rejects(store.save(integration, { ...integration, name: 'x' }), (error: unknown) => {
    assert.ok(error instanceof StorageError);
    assert.match(
      error.message,
      new RegExp(`folder ${path.join(root, 'specifications/frozen')} is not writable`),
    );

    return true;
  });
  await assert.rejects(store.save(null, newIntegration()), /specifications is not writable/);
  await assert.rejects(store.remove(integration), StorageError);
  assert.deepEqual(await store.health(), {
    writable: false,
    detail: `folder ${path.join(root, 'specifications')} is not writable (EROFS)`,
  });
  assert.deepEqual(await snapshot(root), before);
});

test('health of a writable root', async (t) => {
  const root = await tempDir(t);

  assert.deepEqual(await new FsStore({ roots: [root] }).health(), { writable: true });
});

test('writes leave no temp files', async (t) => {
  const root = await tempDir(t);
  const folder = await writeFolder(root, 'clean', minimalYaml('Clean'), { 'a.md': 'A' });
  const { store, integration } = await loadOne(root);

  await store.save(integration, withFile({ ...integration, name: 'y' }, 'b.md'));
  await store.save(null, newIntegration());

  assert.deepEqual((await readdir(folder)).sort(), ['api.yaml', 'attachments']);
  assert.deepEqual((await readdir(path.join(folder, 'attachments'))).sort(), ['a.md', 'b.md']);
  assert.deepEqual((await readdir(path.join(root, 'specifications'))).sort(), [
    'clean',
    'weather_api',
  ]);
});

test('planted temp file is ignored and removed', async (t) => {
  const root = await tempDir(t);
  const folder = await writeFolder(root, 'clean', minimalYaml('Clean'));

  await writeFile(path.join(folder, '.beaker-tmp-00aa00aa00aa00aa'), 'name: [half written');
  await mkdir(path.join(root, 'specifications/.beaker-tmp-11bb11bb11bb11bb'));
  await writeFile(
    path.join(root, 'specifications/.beaker-tmp-11bb11bb11bb11bb/api.yaml'),
    minimalYaml('Half'),
  );

  const { integrations, problems } = await new FsStore({ roots: [root] }).load();

  assert.equal(integrations.length, 1);
  assert.deepEqual(problems, []);
  assert.deepEqual(await readdir(folder), ['api.yaml']);
  assert.deepEqual(await readdir(path.join(root, 'specifications')), ['clean']);
});

test('write keeps final block value', async (t) => {
  const root = await tempDir(t);
  const folder = await writeFolder(
    root,
    'no_final_break',
    'name: No Final Break\ndescription: d\nsource: |\n  Use the API',
  );
  const { store, integration } = await loadOne(root);

  assert.equal(integration.source, 'Use the API', 'read as PyYAML reads it');

  await store.save(integration, { ...integration, description: 'changed' });

  const written = await readFile(path.join(folder, 'api.yaml'), 'utf8');
  const reloaded = await loadOne(root);

  assert.ok(written.endsWith('\n'), 'the written file ends with a line break');
  assert.equal(reloaded.integration.source, 'Use the API');
  assert.equal(reloaded.integration.description, 'changed');

  const python = findPython();

  if (python !== null) {
    const [pyyaml] = pythonLoad(python, [path.join(folder, 'api.yaml')]) as [{ source: string }];

    assert.equal(pyyaml.source, 'Use the API');
  }
});
