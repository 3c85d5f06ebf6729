import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  Context,
  MemoryStore,
  StoreProvider,
  callInContext,
  type StoredIntegration,
} from '@beaker-integrations/core';
import {
  InvalidInputError,
  NotFoundError,
  ReadOnlyError,
  TimeoutError,
  type Integration,
} from '@beaker-integrations/model';

function stored(uuid: string, name: string): StoredIntegration {
  return {
    uuid,
    name,
    description: `${name} description`,
    provider: 'ignored:value',
    slug: name.toLowerCase(),
    datatype: 'api',
    url: null,
    img_url: null,
    source: 'Hello {{ guide }}',
    last_updated: null,
    resources: {
      r1: {
        resource_type: 'file',
        resource_id: 'r1',
        integration: uuid,
        name: 'guide',
        filepath: 'guide.md',
        content: 'the guide',
      },
    },
  };
}

async function provider(slug: string, items: StoredIntegration[], readOnly = false) {
  const instance = new StoreProvider({
    store: new MemoryStore(items),
    providerType: 'adhoc',
    slug,
    displayName: slug.toUpperCase(),
    readOnly,
  });

  await instance.load();

  return instance;
}

async function twoProviderContext() {
  const first = await provider('first', [stored('u1', 'Alpha'), stored('dup', 'Beta')]);
  const second = await provider('second', [stored('dup', 'Gamma'), stored('u3', 'Delta')], true);

  return new Context({ name: 'default', providers: [first, second] });
}

describe('context', () => {
  test('listing merges providers, first wins', async () => {
    const context = await twoProviderContext();
    const listing = await context.listIntegrations();

    assert.deepEqual(Object.keys(listing), ['u1', 'dup', 'u3']);
    assert.equal(listing.dup?.name, 'Beta');
    assert.equal(listing.u3?.provider, 'adhoc:second');
  });

  test('listing json is cached until a write', async () => {
    const context = await twoProviderContext();
    const before = await context.listing();
    const again = await context.listing();

    assert.equal(again, before);

    const [first] = context.providerList as StoreProvider[];

    await first!.updateIntegration('u1', { description: 'new' });

    const after = await context.listing();

    assert.notEqual(after.etag, before.etag);
    assert.equal(
      (JSON.parse(after.json) as { integrations: Record<string, Integration> }).integrations.u1
        ?.description,
      'new',
    );
  });

  test('revision stamp stays until a change', async () => {
    const context = await twoProviderContext();
    const [first, second] = context.providerList as StoreProvider[];
    const stamp = context.revisionStamp();

    assert.deepEqual(stamp, [first!.revision, second!.revision]);
    assert.equal(context.unchangedSince(stamp), true);

    await second!.load();

    assert.equal(context.unchangedSince(stamp), false);
    assert.equal(context.unchangedSince(context.revisionStamp()!), true);
    assert.equal(context.unchangedSince([first!.revision]), false);
  });

  test('no stamp without provider revisions', async () => {
    const first = await provider('first', [stored('u1', 'Alpha')]);
    const plain = Object.create(first, { revision: { value: undefined } }) as StoreProvider;
    const context = new Context({ name: 'default', providers: [plain] });

    assert.equal(context.revisionStamp(), undefined);
  });

  test('summary view omits content and code', async () => {
    const context = await twoProviderContext();
    const { json } = await context.listing('summary');
    const parsed = JSON.parse(json) as { integrations: Record<string, Integration> };
    const resource = parsed.integrations.u1?.resources.r1 as Record<string, unknown>;

    assert.equal(resource.content, undefined);
    assert.equal(resource.name, 'guide');
  });

  test('providers listed by slug', async () => {
    const context = await twoProviderContext();

    assert.deepEqual(context.listProviders(), {
      first: { provider_type: 'adhoc', display_name: 'FIRST', mutable: true },
      second: { provider_type: 'adhoc', display_name: 'SECOND', mutable: false },
    });
  });

  test('duplicate provider slugs rejected', async () => {
    const a = await provider('same', []);
    const b = await provider('same', []);

    assert.throws(() => new Context({ name: 'x', providers: [a, b] }), InvalidInputError);
  });

  test('render uses file resources', async () => {
    const context = await twoProviderContext();
    const rendered = await context.render('u1');

    assert.equal(rendered.uuid, 'u1');
    assert.deepEqual(rendered.examples, {});
  });
});

describe('callInContext', () => {
  test('context functions', async () => {
    const context = await twoProviderContext();
    const listing = (await callInContext(context, {
      target: 'context',
      function: 'list_integrations',
    })) as Record<string, Integration>;
    const providers = await callInContext(context, {
      target: 'context',
      function: 'list_providers',
    });

    assert.equal(Object.keys(listing).length, 3);
    assert.deepEqual(Object.keys(providers as object), ['first', 'second']);
  });

  test('provider targets with type or bare slug', async () => {
    const context = await twoProviderContext();

    for (const target of ['provider:adhoc:first', 'provider:first']) {
      const integration = (await callInContext(context, {
        target,
        function: 'get_integration',
        args: ['u1'],
      })) as Integration;

      assert.equal(integration.name, 'Alpha');
    }

    await assert.rejects(
      callInContext(context, {
        target: 'provider:other:first',
        function: 'get_integration',
        args: ['u1'],
      }),
      NotFoundError,
    );
  });

  test('integration target finds owner', async () => {
    const context = await twoProviderContext();
    const resources = await callInContext(context, {
      target: 'integration:u3',
      function: 'list_resources',
      kwargs: { resource_type: 'file' },
    });

    assert.equal((resources as unknown[]).length, 1);

    await assert.rejects(
      callInContext(context, {
        target: 'integration:u3',
        function: 'get_integration',
        args: ['u1'],
      }),
      InvalidInputError,
    );
  });

  test('delete_resource is an alias', async () => {
    const context = await twoProviderContext();
    const result = await callInContext(context, {
      target: 'integration:u1',
      function: 'delete_resource',
      args: ['u1', 'r1'],
    });

    assert.deepEqual(result, {});
    await assert.rejects(
      callInContext(context, {
        target: 'integration:u1',
        function: 'get_resource',
        args: ['u1', 'r1'],
      }),
      NotFoundError,
    );
  });

  test('unknown names are not found', async () => {
    const context = await twoProviderContext();
    const cases = [
      { target: 'context', function: 'constructor' },
      { target: 'context', function: '__proto__' },
      { target: 'provider:first', function: 'load' },
      { target: 'provider:first', function: 'toString' },
      { target: 'provider:first', function: 'hasOwnProperty' },
      { target: 'provider:nope', function: 'list_integrations' },
      { target: 'integration:missing', function: 'get_integration' },
      { target: 'somewhere', function: 'list_integrations' },
    ];

    for (const call of cases) {
      await assert.rejects(callInContext(context, call), NotFoundError, JSON.stringify(call));
    }
  });

  test('write on read-only provider rejected', async () => {
    const context = await twoProviderContext();

    await assert.rejects(
      callInContext(context, {
        target: 'integration:u3',
        function: 'update_integration',
        args: ['u3', { description: 'x' }],
      }),
      ReadOnlyError,
    );
    await assert.rejects(
      callInContext(context, {
        target: 'provider:second',
        function: 'add_integration',
        args: [{ name: 'n', description: '' }],
      }),
      ReadOnlyError,
    );
  });

  test('bad arguments are invalid input', async () => {
    const context = await twoProviderContext();
    const cases = [
      { target: 'provider:first', function: 'get_integration', args: [] },
      { target: 'provider:first', function: 'get_integration', args: [42] },
      { target: 'provider:first', function: 'get_integration', args: ['a', 'b'] },
      { target: 'provider:first', function: 'get_integration', kwargs: { nope: 1 } },
      { target: 'provider:first', function: 'add_integration', args: [[1, 2]] },
    ];

    for (const call of cases) {
      await assert.rejects(callInContext(context, call), InvalidInputError, JSON.stringify(call));
    }
  });

  test('slow provider times out', async () => {
    const slow = await provider('slow', [stored('s1', 'Slow')]);

    slow.getIntegration = () => new Promise(() => undefined);

    const context = new Context({ name: 'x', providers: [slow] });

    await assert.rejects(
      callInContext(
        context,
        { target: 'provider:slow', function: 'get_integration', args: ['s1'] },
        { timeoutMs: 20 },
      ),
      TimeoutError,
    );
  });
});
