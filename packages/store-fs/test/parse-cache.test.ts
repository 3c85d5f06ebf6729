import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout } from 'node:timers/promises';

import { FsStore } from '@beaker-integrations/store-fs';
import { ParseCache } from '../src/parse-cache.js';
import { minimalYaml, tempDir, writeFolder } from './helpers.js';

/** A parse function that returns the file's text and counts its calls. */
function counter(file: string) {
  const calls = { count: 0 };
  const parse = () => {
    calls.count++;

    return { value: readFileSync(file, 'utf8'), duplicateKeys: [] };
  };

  return { calls, parse };
}

/** A fixed modification time, in seconds, so that an edit can keep it. */
const FIXED_TIME = 1_700_000_000;

async function setup(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const file = path.join(dir, 'api.yaml');
  const cacheFile = path.join(dir, 'cache', 'parsed.bin');

  await writeFile(file, 'name: one\n');
  await utimes(file, FIXED_TIME, FIXED_TIME);

  // The cache compares change times with its creation time in milliseconds.
  await setTimeout(10);

  return { file, cacheFile };
}

test('parse cache reuses an unchanged file', async (t) => {
  const { file, cacheFile } = await setup(t);
  const first = new ParseCache(cacheFile, 0n);
  const { calls, parse } = counter(file);

  assert.deepEqual(first.read(file, parse), { value: 'name: one\n', duplicateKeys: [] });
  assert.equal(await first.save(), undefined);

  const second = new ParseCache(cacheFile, 0n);

  assert.deepEqual(second.read(file, parse), { value: 'name: one\n', duplicateKeys: [] });
  assert.equal(calls.count, 1);
});

test('parse cache notices same-size edits', async (t) => {
  const { file, cacheFile } = await setup(t);
  const { calls, parse } = counter(file);
  const first = new ParseCache(cacheFile, 0n);

  first.read(file, parse);
  await first.save();

  await writeFile(file, 'name: two\n');
  await utimes(file, FIXED_TIME, FIXED_TIME);

  assert.equal((await stat(file)).mtimeMs, FIXED_TIME * 1000);
  assert.deepEqual(new ParseCache(cacheFile, 0n).read(file, parse), {
    value: 'name: two\n',
    duplicateKeys: [],
  });
  assert.equal(calls.count, 2);
});

test('parse cache skips recently changed files', async (t) => {
  const { file, cacheFile } = await setup(t);
  const { calls, parse } = counter(file);
  const first = new ParseCache(cacheFile);

  first.read(file, parse);
  await first.save();
  new ParseCache(cacheFile).read(file, parse);

  assert.equal(calls.count, 2);
});

test('parse cache ignores a corrupt file', async (t) => {
  const { file, cacheFile } = await setup(t);
  const { calls, parse } = counter(file);
  const first = new ParseCache(cacheFile, 0n);

  first.read(file, parse);
  await first.save();
  await writeFile(cacheFile, (await readFile(cacheFile)).subarray(0, 20));

  assert.deepEqual(new ParseCache(cacheFile, 0n).read(file, parse), {
    value: 'name: one\n',
    duplicateKeys: [],
  });
  assert.equal(calls.count, 2);
});

test('store with cache file loads the same', async (t) => {
  const root = await tempDir(t);
  const cacheFile = path.join(root, 'cache.bin');
  const folder = await writeFolder(
    root,
    'cached',
    minimalYaml('Cached', 'resources:\n  f:\n    name: f\n    filepath: f.md\n'),
    {
      'f.md': 'first',
    },
  );

  const first = await new FsStore({ roots: [root], cacheFile }).load();
  const second = await new FsStore({ roots: [root], cacheFile }).load();

  assert.deepEqual(second, first);

  await writeFile(path.join(folder, 'attachments/f.md'), 'second');
  await writeFile(path.join(folder, 'api.new'), minimalYaml('Renamed'));
  await rename(path.join(folder, 'api.new'), path.join(folder, 'api.yaml'));

  const third = await new FsStore({ roots: [root], cacheFile }).load();

  assert.equal(third.integrations[0]?.name, 'Renamed');
  assert.deepEqual(third.integrations[0]?.resources, {});
});
