import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { getHeapSnapshot, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { FsStore } from '@beaker-integrations/store-fs';
import { tempDir, writeFolder } from './helpers.js';

/** Runs V8's `gc()`, which a new context gets once `--expose-gc` is set. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function heapSnapshotText(): Promise<string> {
  const chunks: string[] = [];

  for await (const chunk of getHeapSnapshot()) chunks.push(String(chunk));

  return chunks.join('');
}

/**
 * Returns an api.yaml whose first line is a comment with `marker`, so the marker is
 * in memory only while the file's text is. Its scalars are plain, quoted and
 * single-line literal, each long enough to be a view of the text in V8.
 */
function apiYaml(marker: string, extra: string): string {
  return [
    `# ${marker}`,
    'name: A plain scalar long enough',
    "description: 'A quoted scalar long enough'",
    'source: |',
    '  A literal block of a single line',
    extra,
  ].join('\n');
}

test('load keeps no file text', async (t) => {
  const root = await tempDir(t);
  const marker = `marker-${randomUUID()}`;

  await writeFolder(root, 'fast', apiYaml(`${marker}-fast`, ''));
  // A flow sequence is outside the fast reader's subset, so the `yaml` package reads this one.
  await writeFolder(root, 'slow', apiYaml(`${marker}-slow`, 'tags: [first tag of the list]\n'));

  const { integrations } = await new FsStore({ roots: [root] }).load();

  assert.deepEqual(
    integrations.map((integration) => integration.description),
    ['A quoted scalar long enough', 'A quoted scalar long enough'],
  );

  collectGarbage();

  const heap = await heapSnapshotText();

  assert.equal(heap.includes(`# ${marker}-fast`), false, 'the fast reader kept the text');
  assert.equal(heap.includes(`# ${marker}-slow`), false, 'the yaml package path kept the text');
  assert.equal(integrations.length, 2);
});

test('loaded scalars copied exactly', async (t) => {
  const root = await tempDir(t);
  const unicode = 'Ünïcödé — 天气 and emoji 😀 outside the BMP';

  await writeFolder(root, 'fast', `name: ${unicode}\ndescription: |\n  ${unicode}\nsource: fast\n`);
  // The fast reader leaves escapes of lone surrogates to the `yaml` package.
  await writeFolder(
    root,
    'slow',
    'name: "a lone \\ud800 surrogate, kept as it is"\ndescription: d\nsource: slow\n',
  );

  const { integrations } = await new FsStore({ roots: [root] }).load();
  const byFolder = new Map(integrations.map((integration) => [integration.source, integration]));

  assert.equal(byFolder.get('fast')?.name, unicode);
  assert.equal(byFolder.get('fast')?.description, `${unicode}\n`);
  assert.equal(byFolder.get('slow')?.name, 'a lone \ud800 surrogate, kept as it is');
});
