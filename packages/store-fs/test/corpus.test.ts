import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import type { StoredIntegration } from '@beaker-integrations/core';
import { FsStore, parseYaml } from '@beaker-integrations/store-fs';
import { CORPUS, findPython, pythonLoad, tempDir } from './helpers.js';

const SPECIFICATIONS = path.join(CORPUS, 'specifications');

type Resources = Record<string, Record<string, unknown>>;

/** Resource counts by type, read from api.yaml with the classification rules of Beaker's folders. */
function countResources(resources: Resources): { file: number; example: number } {
  const counts = { file: 0, example: 0 };

  for (const resource of Object.values(resources)) {
    if (
      resource.resource_type === 'file' ||
      (resource.resource_type == null && resource.filepath != null)
    )
      counts.file++;
    else if (
      resource.resource_type === 'example' ||
      (resource.resource_type == null && resource.code != null)
    )
      counts.example++;
  }

  return counts;
}

test('corpus loads in place', async (t) => {
  if (!existsSync(SPECIFICATIONS)) return t.skip(`corpus not found at ${CORPUS}`);

  const { integrations, problems } = await new FsStore({ roots: [CORPUS] }).load();
  const folders = (await readdir(SPECIFICATIONS)).sort();

  assert.equal(integrations.length, 20);
  assert.deepEqual(problems, []);

  for (const [index, folder] of folders.entries()) {
    const text = await readFile(path.join(SPECIFICATIONS, folder, 'api.yaml'), 'utf8');
    const document = parseYaml(text).document.toJS() as { uuid: string; resources: Resources };
    const integration = integrations[index] as StoredIntegration;
    const resources = Object.values(integration.resources);

    assert.equal(integration.uuid, document.uuid, folder);
    assert.deepEqual(
      {
        file: resources.filter((resource) => resource.resource_type === 'file').length,
        example: resources.filter((resource) => resource.resource_type === 'example').length,
      },
      countResources(document.resources),
      folder,
    );

    for (const resource of resources) {
      if (resource.resource_type !== 'file') continue;

      const bytes = await readFile(
        path.join(SPECIFICATIONS, folder, 'attachments', resource.filepath),
        'utf8',
      );

      assert.equal(resource.content, bytes, `${folder}/${resource.filepath}`);
    }
  }
});

async function copyCorpus(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const root = path.join(await tempDir(t), 'adhoc_data');

  await cp(CORPUS, root, { recursive: true });

  return root;
}

async function apiFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();

  for (const folder of await readdir(path.join(root, 'specifications'))) {
    const file = path.join(root, 'specifications', folder, 'api.yaml');

    files.set(file, await readFile(file, 'utf8'));
  }

  return files;
}

test('corpus unchanged save keeps files', async (t) => {
  if (!existsSync(SPECIFICATIONS)) return t.skip(`corpus not found at ${CORPUS}`);

  const root = await copyCorpus(t);
  const store = new FsStore({ roots: [root] });
  const before = await store.load();
  const filesBefore = await apiFiles(root);

  for (const integration of before.integrations) await store.save(integration, integration);

  const after = await new FsStore({ roots: [root] }).load();

  assert.deepEqual(after, before);
  assert.deepEqual(await apiFiles(root), filesBefore);
});

/** Edits a top-level field, each example's code and each file's content. */
function edited(integration: StoredIntegration): StoredIntegration {
  const resources = structuredClone(integration.resources);

  for (const resource of Object.values(resources)) {
    if (resource.resource_type === 'example') resource.code = `${resource.code}\n# edited: yes\n`;
    else resource.content = `${resource.content}\nedited\r\n`;
  }

  return { ...integration, description: `${integration.description} (edited: no)`, resources };
}

test('corpus edited save reads back', async (t) => {
  if (!existsSync(SPECIFICATIONS)) return t.skip(`corpus not found at ${CORPUS}`);

  const root = await copyCorpus(t);
  const store = new FsStore({ roots: [root] });
  const { integrations } = await store.load();
  const filesBefore = await apiFiles(root);
  const python = findPython();
  const pythonBefore = python ? pythonLoad(python, [...filesBefore.keys()]) : [];
  const expected = integrations.map(edited);

  for (const [index, integration] of integrations.entries()) {
    await store.save(integration, expected[index] as StoredIntegration);
  }

  const after = await new FsStore({ roots: [root] }).load();

  assert.deepEqual(after.integrations, expected);

  if (!python) return t.skip('python3 with PyYAML is not installed: PyYAML check skipped');

  const pythonAfter = pythonLoad(python, [...filesBefore.keys()]) as Record<string, unknown>[];

  for (const [index, original] of (pythonBefore as Record<string, unknown>[]).entries()) {
    const resources = structuredClone(original.resources) as Resources;

    for (const resource of Object.values(resources)) {
      if (typeof resource.code === 'string') resource.code = `${resource.code}\n# edited: yes\n`;
    }

    const want = {
      ...original,
      description: `${String(original.description)} (edited: no)`,
      resources,
    };

    assert.deepEqual(pythonAfter[index], want, [...filesBefore.keys()][index]);
  }
});
