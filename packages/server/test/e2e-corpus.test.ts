import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  ConflictApiError,
  IntegrationsClient,
  type InvalidInputApiError,
  NotFoundApiError,
  PayloadTooLargeApiError,
  PreconditionFailedApiError,
  ReadOnlyApiError,
} from '@beaker-integrations/client';
import type {
  ExampleResource,
  FileResource,
  Integration,
  Resource,
} from '@beaker-integrations/model';
import { parse } from 'yaml';

import {
  CORPUS_DATA,
  CORPUS_MISSING,
  GOLDENS,
  copyRoot,
  startServer,
  tempDir,
  type RunningServer,
} from './helpers.js';

interface Golden {
  uuid: string;
  chars: number;
  examples: number;
}

describe('end to end on the corpus', { skip: CORPUS_MISSING }, () => {
  let root: string;
  let readOnlyRoot: string;
  let server: RunningServer;
  let client: IntegrationsClient;
  let index: Record<string, Golden>;

  before(async () => {
    root = await copyRoot(CORPUS_DATA);
    readOnlyRoot = await copyRoot(join(import.meta.dirname, '../../../examples/integrations'));

    const config = join(await tempDir(), 'config.yaml');

    await writeFile(
      config,
      [
        'server:',
        '  body_limit: 2000000',
        'contexts:',
        '  default:',
        '    providers:',
        '      - type: adhoc',
        '        slug: specialist_agents',
        '        display_name: Specialist agents',
        `        roots: [${JSON.stringify(root)}]`,
        '      - type: adhoc',
        '        slug: examples',
        '        display_name: Bundled examples',
        `        roots: [${JSON.stringify(readOnlyRoot)}]`,
        '        read_only: true',
      ].join('\n'),
    );

    server = await startServer(['--config', config]);
    client = new IntegrationsClient({ baseUrl: server.url, sessionId: 'e2e_session' });
    index = JSON.parse(await readFile(join(GOLDENS, 'index.json'), 'utf8')) as Record<
      string,
      Golden
    >;
  });

  after(async () => {
    await server?.stop();
  });

  test('listing has every folder and example', async () => {
    const listing = await client.listIntegrations();

    assert.equal(listing.notModified, false);
    if (listing.notModified) return;

    const integrations = Object.values(listing.integrations);

    assert.equal(integrations.length, 20 + 3);

    for (const [folder, golden] of Object.entries(index)) {
      const integration: Integration | undefined = listing.integrations[golden.uuid];

      assert.ok(integration, `${folder} is listed`);
      assert.equal(integration.provider, 'adhoc:specialist_agents');

      const examples: Resource[] = Object.values(integration.resources).filter(
        (r) => r.resource_type === 'example',
      );

      assert.equal(examples.length, golden.examples, `${folder} example count`);
      assert.equal('location' in integration, false, 'no server paths');
    }
  });

  test('listing answers If-None-Match with 304', async () => {
    const first = await client.listIntegrations();
    const second = await client.listIntegrations({ ifNoneMatch: first.etag! });

    assert.ok(first.etag);
    assert.equal(second.notModified, true);
  });

  test('summary view drops content and code', async () => {
    const listing = await client.listIntegrations({ view: 'summary' });

    assert.equal(listing.notModified, false);
    if (listing.notModified) return;

    for (const integration of Object.values(listing.integrations)) {
      for (const resource of Object.values(integration.resources)) {
        assert.equal('content' in resource, false);
        assert.equal('code' in resource, false);
      }
    }
  });

  test('rendered output equals the goldens', async () => {
    const dataFolder = join(root, 'data');

    for (const [folder, golden] of Object.entries(index)) {
      const rendered = await client.renderIntegration(golden.uuid);
      const expectedSource = await readFile(join(GOLDENS, `${folder}.rendered.txt`), 'utf8');
      const expectedExamples = JSON.parse(
        await readFile(join(GOLDENS, `${folder}.examples.json`), 'utf8'),
      ) as Record<string, string>;
      const actualExamples = Object.fromEntries(
        Object.entries(rendered.examples).map(([id, code]) => [
          id,
          code.replaceAll(dataFolder, '/DATA'),
        ]),
      );

      assert.equal(
        rendered.source.replaceAll(dataFolder, '/DATA'),
        expectedSource,
        `${folder} source`,
      );
      assert.deepEqual(actualExamples, expectedExamples, `${folder} examples`);
    }
  });

  test('single integration and resource reads', async () => {
    const { uuid } = index.ahs!;
    const integration = await client.getIntegration(uuid);

    assert.equal(integration.value.name, 'Census American Housing Survey (AHS)');
    assert.ok(integration.etag);

    const all = await client.listResources(uuid);
    const files = await client.listResources(uuid, 'file');
    const examples = await client.listResources(uuid, 'example');
    const none = await client.listResources(uuid, 'other');

    assert.equal(all.length, files.length + examples.length);
    assert.equal(examples.length, index.ahs!.examples);
    assert.deepEqual(none, []);

    const file = files[0] as FileResource;
    const fetched = await client.getResource(uuid, file.resource_id, 'file');

    assert.deepEqual(fetched.value, file);
    assert.ok(fetched.etag);

    const onDisk = await readFile(
      join(root, 'specifications/ahs/attachments', file.filepath),
      'utf8',
    );

    assert.equal(file.content, onDisk);
  });

  test('unknown ids are 404', async () => {
    const { uuid } = index.ahs!;

    await assert.rejects(client.getIntegration('no-such-integration'), NotFoundApiError);
    await assert.rejects(client.getResource(uuid, 'no-such-resource'), NotFoundApiError);
    await assert.rejects(
      client.addIntegration({ provider: 'adhoc:nope', name: 'x', description: '' }),
      NotFoundApiError,
    );
  });

  test('read-only provider answers 405', async () => {
    const providers = await client.listProviders();

    assert.deepEqual(providers.examples, {
      provider_type: 'adhoc',
      display_name: 'Bundled examples',
      mutable: false,
    });

    const iris = '4a6c8e0f-2b4d-4f6a-9c1e-3d5f7b9d1f03';

    await assert.rejects(client.updateIntegration(iris, { description: 'x' }), ReadOnlyApiError);
    await assert.rejects(
      client.addIntegration({ provider: 'examples', name: 'x', description: '' }),
      ReadOnlyApiError,
    );
  });

  test('create, edit and delete through the client', async () => {
    const created = await client.addIntegration({
      provider: 'adhoc:specialist_agents',
      name: 'Tide Tables',
      description: 'High and low water times',
      source: 'See {{ tides }}',
    });

    assert.equal(created.value.slug, 'tide_tables');

    const file = await client.addResource(created.value.uuid, {
      resource_type: 'file',
      name: 'tides',
      content: 'Ebbe und Flut — 潮汐\n',
    });
    const example = await client.addResource(created.value.uuid, {
      resource_type: 'example',
      query: 'When is high water?',
      code: 'print("noon")',
    });
    const rendered = await client.renderIntegration(created.value.uuid);

    assert.equal(rendered.source, 'See Ebbe und Flut — 潮汐\n');
    assert.deepEqual(rendered.problems, []);

    const folder = join(root, 'specifications/tide_tables');
    const stored = parse(await readFile(join(folder, 'api.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;

    assert.equal(stored.name, 'Tide Tables');
    assert.equal(
      await readFile(join(folder, 'attachments/tides'), 'utf8'),
      'Ebbe und Flut — 潮汐\n',
    );

    const updated = await client.updateResource(created.value.uuid, example.value.resource_id, {
      resource_type: 'example',
      notes: 'UTC',
    });

    assert.equal((updated.value as ExampleResource).notes, 'UTC');

    await client.removeResource(created.value.uuid, file.value.resource_id);
    assert.equal((await client.listResources(created.value.uuid)).length, 1);

    await client.removeIntegration(created.value.uuid);
    await assert.rejects(client.getIntegration(created.value.uuid), NotFoundApiError);
    assert.equal((await readdir(join(root, 'specifications'))).includes('tide_tables'), false);
  });

  test('duplicate slug answers 409', async () => {
    await assert.rejects(
      client.addIntegration({
        provider: 'specialist_agents',
        name: 'Census American Housing Survey (AHS)',
        description: 'again',
      }),
      ConflictApiError,
    );
  });

  test('stale If-Match answers 412', async () => {
    const { uuid } = index.gras!;
    const first = await client.getIntegration(uuid);

    await client.updateIntegration(uuid, { description: 'edited once' }, { ifMatch: first.etag });
    await assert.rejects(
      client.updateIntegration(uuid, { description: 'stale edit' }, { ifMatch: first.etag }),
      PreconditionFailedApiError,
    );
    assert.equal((await client.getIntegration(uuid)).value.description, 'edited once');
  });

  test('oversized body answers 413', async () => {
    const { uuid } = index.gras!;

    await assert.rejects(
      client.addResource(uuid, {
        resource_type: 'file',
        name: 'big',
        content: 'x'.repeat(2_100_000),
      }),
      PayloadTooLargeApiError,
    );
  });

  test('bad input answers 400 naming the field', async () => {
    const { uuid } = index.gras!;

    await assert.rejects(
      client.addResource(uuid, { resource_type: 'file', name: 'evil', filepath: '../../x' }),
      (error: InvalidInputApiError) => error.field === 'filepath',
    );
    await assert.rejects(
      client.addIntegration({ provider: 'specialist_agents', name: '', description: '' }),
      (error: InvalidInputApiError) => error.field === 'name',
    );
  });

  test('sessions share one store', async () => {
    const other = client.forSession('another_session');
    const { uuid } = index.nsch!;

    await client.updateIntegration(uuid, { description: 'seen by all' });
    assert.equal((await other.getIntegration(uuid)).value.description, 'seen by all');

    const sessions = await client.listSessions();
    const ids = sessions.map((session) => session.session_id);

    assert.ok(ids.includes('e2e_session'));
    assert.ok(ids.includes('another_session'));
  });

  test('openapi lists every route', async () => {
    const document = await client.openApi();
    const paths = document.paths as Record<string, Record<string, unknown>>;
    const expected: [string, string][] = [
      ['/beaker/integrations/{session_id}', 'get'],
      ['/beaker/integrations/{session_id}', 'post'],
      ['/beaker/integrations/{session_id}/{integration_id}', 'get'],
      ['/beaker/integrations/{session_id}/{integration_id}', 'post'],
      ['/beaker/integrations/{session_id}/{integration_id}', 'delete'],
      ['/beaker/integrations/{session_id}/{integration_id}/{resource_type}', 'get'],
      ['/beaker/integrations/{session_id}/{integration_id}/{resource_type}', 'post'],
      ['/beaker/integrations/{session_id}/{integration_id}/{resource_type}/{resource_id}', 'get'],
      ['/beaker/integrations/{session_id}/{integration_id}/{resource_type}/{resource_id}', 'post'],
      [
        '/beaker/integrations/{session_id}/{integration_id}/{resource_type}/{resource_id}',
        'delete',
      ],
      ['/beaker/providers/{session_id}', 'get'],
      ['/beaker/rendered/{session_id}/{integration_id}', 'get'],
      ['/beaker/sessions', 'get'],
      ['/beaker/sessions/{session_id}', 'put'],
      ['/beaker/openapi.json', 'get'],
      ['/healthz', 'get'],
    ];

    assert.equal(document.openapi, '3.1.0');

    for (const [path, method] of expected) {
      assert.ok(paths[path]?.[method], `${method.toUpperCase()} ${path} documented`);
    }
  });

  test('health reports stores', async () => {
    const health = await client.health();

    assert.equal(health.status, 'ok');
    assert.equal(health.stores.length, 2);
  });
});
