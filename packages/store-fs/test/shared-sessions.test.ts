import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { Context, SessionManager, StoreProvider, callInContext } from '@beaker-integrations/core';
import type { Integration, Resource } from '@beaker-integrations/model';
import { FsStore } from '@beaker-integrations/store-fs';
import { parse } from 'yaml';

test('two sessions add fifty resources concurrently', async () => {
  const root = await mkdtemp(join(tmpdir(), 'beaker-sessions-'));
  const provider = new StoreProvider({
    store: new FsStore({ roots: [root] }),
    providerType: 'adhoc',
    slug: 'shared',
    displayName: 'Shared',
  });

  await provider.load();

  const contexts = new Map([
    ['default', new Context({ name: 'default', providers: [provider] })],
    ['other', new Context({ name: 'other', providers: [provider] })],
  ]);
  const sessions = new SessionManager({ contexts, defaultContext: 'default' });
  const first = sessions.get('first').context;
  const second = sessions.create('second', 'other').context;
  const created = (await callInContext(first, {
    target: 'provider:shared',
    function: 'add_integration',
    args: [{ name: 'Shared Target', description: 'written by two sessions', source: '' }],
  })) as Integration;

  const writes = Array.from({ length: 50 }, (_, index) =>
    callInContext(index % 2 === 0 ? first : second, {
      target: `integration:${created.uuid}`,
      function: 'add_resource',
      args: [created.uuid, { resource_type: 'example', query: `q${index}`, code: `c${index}` }],
    }),
  );
  const added = (await Promise.all(writes)) as Resource[];
  const ids = added.map((resource) => resource.resource_id).sort();

  const inFirst = Object.keys((await first.listIntegrations())[created.uuid]!.resources).sort();
  const inSecond = Object.keys((await second.listIntegrations())[created.uuid]!.resources).sort();

  assert.deepEqual(inFirst, ids);
  assert.deepEqual(inSecond, ids);

  const onDisk = parse(
    await readFile(join(root, 'specifications/shared_target/api.yaml'), 'utf8'),
  ) as {
    resources: Record<string, unknown>;
  };

  assert.deepEqual(Object.keys(onDisk.resources).sort(), ids);
});
