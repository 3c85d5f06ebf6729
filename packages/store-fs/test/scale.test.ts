import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import type { StoredIntegration } from '@beaker-integrations/core';
import { FsStore } from '@beaker-integrations/store-fs';
import { tempDir } from './helpers.js';

function folderYaml(index: number): string {
  return `name: Generated integration ${index}
description: A generated integration for load measurements.
source: |
  Call the API at https://example.org/api/${index}.
  Its OpenAPI document is {{ spec }}.
uuid: 00000000-0000-4000-8000-${String(index).padStart(12, '0')}
last_updated: 2024-01-01
resources:
  example_${index}:
    resource_type: example
    query: How many records are there?
    code: |
      import requests
      print(requests.get("https://example.org/api/${index}").json())
    notes: null
  spec_${index}:
    resource_type: file
    name: spec
    filepath: spec.md
`;
}

/** Writes `count` small integration folders, 64 at a time. */
async function generate(root: string, count: number): Promise<void> {
  const indexes = Array.from({ length: count }, (_, index) => index);

  for (let start = 0; start < count; start += 64) {
    await Promise.all(
      indexes.slice(start, start + 64).map(async (index) => {
        const folder = path.join(
          root,
          'specifications',
          `generated_${String(index).padStart(5, '0')}`,
        );

        await mkdir(path.join(folder, 'attachments'), { recursive: true });
        await writeFile(path.join(folder, 'api.yaml'), folderYaml(index));
        await writeFile(path.join(folder, 'attachments/spec.md'), `# Spec ${index}\n`);
      }),
    );
  }
}

async function timeOneSave(store: FsStore, integration: StoredIntegration): Promise<number> {
  const started = performance.now();

  await store.save(integration, { ...integration, description: 'Changed description' });

  return performance.now() - started;
}

test('load of 10,000 folders', async (t) => {
  const large = path.join(await tempDir(t), 'large');
  const small = path.join(await tempDir(t), 'small');

  await generate(large, 10_000);
  await generate(small, 30);

  const store = new FsStore({ roots: [large] });
  const started = performance.now();
  const { integrations, problems } = await store.load();
  const loadMs = performance.now() - started;
  const rssMiB = process.memoryUsage().rss / 2 ** 20;

  t.diagnostic(`load of 10,000 folders: ${loadMs.toFixed(0)} ms, RSS ${rssMiB.toFixed(0)} MiB`);
  assert.equal(integrations.length, 10_000);
  assert.deepEqual(problems, []);
  assert.equal(integrations[9_999]?.name, 'Generated integration 9999');

  const cacheFile = path.join(large, 'parse-cache.bin');

  await new FsStore({ roots: [large], cacheFile }).load();

  const cachedStarted = performance.now();
  const cached = await new FsStore({ roots: [large], cacheFile }).load();
  const cachedMs = performance.now() - cachedStarted;

  t.diagnostic(`load of 10,000 folders with a filled parse cache: ${cachedMs.toFixed(0)} ms`);
  assert.deepEqual(cached.integrations, integrations);

  const smallStore = new FsStore({ roots: [small] });
  const smallIntegrations = (await smallStore.load()).integrations;
  const largeSaveMs = await timeOneSave(store, integrations[5_000] as StoredIntegration);
  const smallSaveMs = await timeOneSave(smallStore, smallIntegrations[15] as StoredIntegration);

  t.diagnostic(
    `one save: ${largeSaveMs.toFixed(1)} ms at 10,000 folders, ${smallSaveMs.toFixed(1)} ms at 30`,
  );

  const reloaded = await new FsStore({ roots: [large] }).load();

  assert.equal(reloaded.integrations[5_000]?.description, 'Changed description');
});
