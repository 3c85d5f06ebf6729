import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { Context, callInContext, isMutable } from '@beaker-integrations/core';
import { NotFoundError, ReadOnlyError, type Integration } from '@beaker-integrations/model';

import { StaticProvider } from '../../../examples/providers/static-provider.js';

const root = new URL('../../../', import.meta.url);

function catalogue() {
  return new StaticProvider('catalogue', 'Public datasets', [
    {
      uuid: 'c0ffee00-0000-4000-8000-000000000001',
      name: 'River gauges',
      provider: '',
      description: 'Daily river levels',
      slug: 'river_gauges',
      datatype: 'dataset',
      url: null,
      img_url: null,
      source: 'Levels are in {{ units }}.',
      last_updated: '2024-01-01',
      resources: {
        units: {
          resource_type: 'file',
          resource_id: 'units',
          integration: 'c0ffee00-0000-4000-8000-000000000001',
          name: 'units',
          filepath: 'units.txt',
          content: 'metres',
        },
      },
    },
  ]);
}

test('sdk example registered in context', async () => {
  const provider = catalogue();
  const context = new Context({ name: 'default', providers: [provider] });
  const listing = (await callInContext(context, {
    target: 'context',
    function: 'list_integrations',
  })) as Record<string, Integration>;
  const uuid = 'c0ffee00-0000-4000-8000-000000000001';

  assert.equal(isMutable(provider), false);
  assert.equal(listing[uuid]?.provider, 'static:catalogue');
  assert.equal((await context.render(uuid)).source, 'Levels are in metres.');
  await assert.rejects(
    callInContext(context, { target: `integration:${uuid}`, function: 'remove_integration' }),
    ReadOnlyError,
  );
  await assert.rejects(
    callInContext(context, {
      target: `integration:${uuid}`,
      function: 'get_resource',
      args: [uuid, 'x'],
    }),
    NotFoundError,
  );
});

test('sdk docs embed the example verbatim', async () => {
  const page = await readFile(new URL('docs/providers.md', root), 'utf8');
  const example = await readFile(new URL('examples/providers/static-provider.ts', root), 'utf8');

  assert.ok(page.includes(example.trim()), 'docs/providers.md must contain static-provider.ts');
});
