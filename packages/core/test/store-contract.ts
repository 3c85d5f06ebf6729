/**
 * The behaviour every IntegrationStore must show through a StoreProvider.
 * Each store's test file calls `describeStoreContract` with a factory; the
 * same cases then run against the memory, filesystem and later stores.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  type ExampleResource,
  type FileResource,
} from '@beaker-integrations/model';
import { StoreProvider, type IntegrationStore } from '@beaker-integrations/core';

export interface StoreFixture {
  /** A store over fresh, empty storage. */
  store: IntegrationStore;
  /** A second store object over the same storage, as after a restart. */
  reopen(): Promise<IntegrationStore> | IntegrationStore;
  cleanup(): Promise<void>;
}

async function open(store: IntegrationStore): Promise<StoreProvider> {
  const provider = new StoreProvider({
    store,
    providerType: 'adhoc',
    slug: 'contract',
    displayName: 'Contract',
  });

  await provider.load();

  return provider;
}

async function withFixture(
  makeFixture: () => Promise<StoreFixture>,
  body: (provider: StoreProvider, reload: () => Promise<StoreProvider>) => Promise<void>,
): Promise<void> {
  const fixture = await makeFixture();

  try {
    const provider = await open(fixture.store);

    await body(provider, async () => open(await fixture.reopen()));
  } finally {
    await fixture.cleanup();
  }
}

const basePayload = {
  name: 'Weather API',
  description: 'Forecasts by city',
  source: 'Use {{ guide }} and {% file weather/data.csv %}',
};

export function describeStoreContract(
  name: string,
  makeFixture: () => Promise<StoreFixture>,
): void {
  describe(`store contract: ${name}`, () => {
    test('empty store lists nothing', () =>
      withFixture(makeFixture, async (provider) => {
        assert.deepEqual(await provider.listIntegrations(), []);
      }));

    test('added integration survives reload', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const created = await provider.addIntegration({ ...basePayload, url: 'https://x.test' });

        assert.equal(created.slug, 'weather_api');
        assert.equal(created.datatype, 'api');
        assert.equal(created.provider, 'adhoc:contract');

        const reloaded = await reload();

        assert.deepEqual(await reloaded.getIntegration(created.uuid), created);
      }));

    test('extra fields kept through update', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const created = await provider.addIntegration({
          ...basePayload,
          cache_body: { a: [1, 2] },
        });
        const updated = await provider.updateIntegration(created.uuid, { description: 'changed' });

        assert.deepEqual(updated.cache_body, { a: [1, 2] });

        const reloaded = await (await reload()).getIntegration(created.uuid);

        assert.equal(reloaded.description, 'changed');
        assert.deepEqual(reloaded.cache_body, { a: [1, 2] });
      }));

    test('resources persist with exact text', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const { uuid } = await provider.addIntegration(basePayload);
        const content = 'Ünïcödé ✓ 天气\r\nline two\n\ttabbed  \n';
        const file = (await provider.addResource(uuid, {
          resource_type: 'file',
          name: 'guide',
          filepath: 'docs/guide.md',
          content,
        })) as FileResource;
        const example = (await provider.addResource(uuid, {
          resource_type: 'example',
          query: 'How warm is it?',
          code: 'print(1)\n',
        })) as ExampleResource;

        assert.equal(example.notes, null);

        const reloaded = await reload();
        const files = await reloaded.listResources(uuid, 'file');
        const examples = await reloaded.listResources(uuid, 'example');

        assert.equal(files.length, 1);
        assert.equal(examples.length, 1);
        assert.equal((files[0] as FileResource).content, content);
        assert.deepEqual(await reloaded.getResource(uuid, file.resource_id), file);
        assert.deepEqual(await reloaded.getResource(uuid, example.resource_id), example);
      }));

    test('resource update and removal persist', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const { uuid } = await provider.addIntegration(basePayload);
        const kept = await provider.addResource(uuid, {
          resource_type: 'example',
          query: 'q1',
          code: 'c1',
        });
        const dropped = await provider.addResource(uuid, {
          resource_type: 'example',
          query: 'q2',
          code: 'c2',
        });

        await provider.updateResource(uuid, kept.resource_id, { notes: 'checked' });
        await provider.removeResource(uuid, dropped.resource_id);

        const reloaded = await reload();
        const resources = await reloaded.listResources(uuid);

        assert.equal(resources.length, 1);
        assert.equal((resources[0] as ExampleResource).notes, 'checked');
        await assert.rejects(reloaded.getResource(uuid, dropped.resource_id), NotFoundError);
      }));

    test('duplicate slug is a conflict', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const first = await provider.addIntegration(basePayload);

        await assert.rejects(
          provider.addIntegration({ ...basePayload, description: 'other' }),
          ConflictError,
        );

        const reloaded = await reload();
        const all = await reloaded.listIntegrations();

        assert.equal(all.length, 1);
        assert.equal(all[0]?.uuid, first.uuid);
        assert.equal(all[0]?.description, basePayload.description);
      }));

    test('duplicate file name is a conflict', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const { uuid } = await provider.addIntegration(basePayload);

        await provider.addResource(uuid, { resource_type: 'file', name: 'guide', content: 'one' });
        await assert.rejects(
          provider.addResource(uuid, {
            resource_type: 'file',
            name: 'guide',
            filepath: 'other.md',
            content: 'two',
          }),
          ConflictError,
        );

        assert.equal((await (await reload()).listResources(uuid)).length, 1);
      }));

    test('removed integration is gone after reload', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const { uuid } = await provider.addIntegration(basePayload);

        await provider.removeIntegration(uuid);

        await assert.rejects(provider.getIntegration(uuid), NotFoundError);
        await assert.rejects((await reload()).getIntegration(uuid), NotFoundError);
      }));

    test('slug freed by removal is reusable', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const first = await provider.addIntegration(basePayload);

        await provider.removeIntegration(first.uuid);

        const second = await provider.addIntegration(basePayload);

        assert.equal(second.slug, first.slug);
        assert.equal((await (await reload()).listIntegrations()).length, 1);
      }));

    test('fifty concurrent resource adds all land', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const { uuid } = await provider.addIntegration(basePayload);
        const added = await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            provider.addResource(uuid, {
              resource_type: 'example',
              query: `question ${index}`,
              code: `answer(${index})`,
            }),
          ),
        );
        const ids = new Set(added.map((resource) => resource.resource_id));

        assert.equal(ids.size, 50);
        assert.equal((await provider.listResources(uuid)).length, 50);

        const reloaded = await (await reload()).listResources(uuid);

        assert.deepEqual(new Set(reloaded.map((resource) => resource.resource_id)), ids);
      }));

    test('stale If-Match changes nothing', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const { uuid } = await provider.addIntegration(basePayload);
        const staleTag = provider.integrationTag(uuid);

        await provider.updateIntegration(uuid, { description: 'first' }, { ifMatch: staleTag });
        await assert.rejects(
          provider.updateIntegration(uuid, { description: 'second' }, { ifMatch: staleTag }),
          PreconditionFailedError,
        );

        assert.equal((await (await reload()).getIntegration(uuid)).description, 'first');
      }));

    test('invalid payload changes nothing', () =>
      withFixture(makeFixture, async (provider, reload) => {
        const { uuid } = await provider.addIntegration(basePayload);

        await assert.rejects(provider.updateIntegration(uuid, { name: '   ' }), InvalidInputError);
        await assert.rejects(
          provider.addResource(uuid, { resource_type: 'file', name: 'x', filepath: '../x' }),
          InvalidInputError,
        );

        const reloaded = await (await reload()).getIntegration(uuid);

        assert.equal(reloaded.name, basePayload.name);
        assert.deepEqual(reloaded.resources, {});
      }));
  });
}
