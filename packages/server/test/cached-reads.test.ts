import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { pino } from 'pino';

import { configFromRoots, resolveConfig } from '../src/config.js';
import { createService, type Service } from '../src/service.js';
import { REPO_ROOT, copyRoot, removeDir } from './helpers.js';

const PREFIX = '/beaker/integrations/cached';

interface Answer {
  status: number;
  body: string;
  etag: string | undefined;
  type: string | undefined;
}

/** Starts the service on a copy of the example folders, listening on loopback. */
async function startService(options: { token?: string } = {}): Promise<{
  service: Service;
  origin: string;
  root: string;
}> {
  const root = await copyRoot(join(REPO_ROOT, 'examples/integrations'));
  const config = { ...resolveConfig(configFromRoots([root])), token: options.token };
  const service = await createService(config, pino({ level: 'warn' }));
  const origin = await service.app.listen({ host: '127.0.0.1', port: 0 });

  return { service, origin, root };
}

/** Sends a GET over the socket, where the cached reads run before Fastify. */
async function overSocket(origin: string, path: string, etag?: string): Promise<Answer> {
  const headers: Record<string, string> = etag === undefined ? {} : { 'if-none-match': etag };
  const response = await fetch(origin + path, { headers });

  return {
    status: response.status,
    body: await response.text(),
    etag: response.headers.get('etag') ?? undefined,
    type: response.headers.get('content-type') ?? undefined,
  };
}

/** Sends a GET with `node:http`, which keeps the header names' case as given. */
async function rawGet(
  origin: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; requestId: string | undefined }> {
  return await new Promise((resolve, reject) => {
    const sent = request(origin + path, { headers }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          requestId: response.headers['x-request-id'] as string | undefined,
        }),
      );
    });

    sent.on('error', reject);
    sent.end();
  });
}

/** Through Fastify's routes only: `inject` never reaches the HTTP server. */
async function throughRoutes(service: Service, path: string): Promise<Answer> {
  const response = await service.app.inject({ method: 'GET', url: path });

  return {
    status: response.statusCode,
    body: response.body,
    etag: response.headers.etag,
    type: response.headers['content-type'] as string | undefined,
  };
}

describe('cached reads', () => {
  let service: Service;
  let origin: string;
  let root: string;
  let paths: string[];

  before(async () => {
    ({ service, origin, root } = await startService());

    const listing = (await (await fetch(origin + PREFIX)).json()) as {
      integrations: Record<
        string,
        { uuid: string; resources: Record<string, { resource_type: string }> }
      >;
    };
    const integration = Object.values(listing.integrations)[0]!;
    const [resourceId, resource] = Object.entries(integration.resources)[0]!;

    paths = [
      PREFIX,
      `${PREFIX}/`,
      `${PREFIX}/${integration.uuid}`,
      `${PREFIX}/${integration.uuid}/`,
      `${PREFIX}/${integration.uuid}/${resource.resource_type}/${resourceId}`,
      `${PREFIX}/${integration.uuid}/new/${resourceId}`,
      `${PREFIX}/${integration.uuid}/${resource.resource_type === 'file' ? 'example' : 'file'}/${resourceId}`,
      `${PREFIX}/${integration.uuid}/all`,
      `${PREFIX}/missing-integration`,
      `${PREFIX}/${integration.uuid}/example/missing-resource`,
      `${PREFIX}?view=summary`,
      `${PREFIX}/bad%2Fid`,
    ];
  });

  after(async () => {
    await service.close();
    await removeDir(root);
  });

  test('answers as the routes do', async () => {
    for (const path of paths) {
      const cached = await overSocket(origin, path);
      const routed = await throughRoutes(service, path);

      assert.equal(cached.status, routed.status, `status of ${path}`);
      assert.equal(cached.type, routed.type, `content type of ${path}`);
      assert.equal(cached.etag, routed.etag, `etag of ${path}`);

      if (routed.status === 200) assert.equal(cached.body, routed.body, `body of ${path}`);
    }
  });

  test('echoes a plain request id', async () => {
    const generatedIds = new Set<string>();

    for (const path of paths.slice(0, 5)) {
      const response = await fetch(origin + path, { headers: { 'x-request-id': 'cached-1' } });
      const generated = await fetch(origin + path);

      await response.arrayBuffer();
      await generated.arrayBuffer();
      assert.equal(response.headers.get('x-request-id'), 'cached-1', `request id of ${path}`);

      const id = generated.headers.get('x-request-id') ?? '';

      assert.match(id, /^[0-9a-f]{12}-[0-9a-z]+$/, `new id of ${path}`);
      generatedIds.add(id);
    }

    assert.equal(generatedIds.size, 5);
  });

  test('answers 304 for a held etag', async () => {
    for (const path of paths.slice(0, 5)) {
      const first = await overSocket(origin, path);
      const again = await overSocket(origin, path, first.etag);

      assert.equal(again.status, 304, `status of ${path}`);
      assert.equal(again.etag, first.etag, `etag of ${path}`);
      assert.equal(again.body, '', `body of ${path}`);
    }
  });

  test('reads header names in any case', async () => {
    const path = paths[2]!;
    const first = await overSocket(origin, path);
    const echoed = await rawGet(origin, path, { 'X-Request-ID': 'cased-1' });
    const unchanged = await rawGet(origin, path, { 'IF-NONE-MATCH': first.etag ?? '' });

    assert.equal(echoed.status, 200);
    assert.equal(echoed.requestId, 'cased-1');
    assert.equal(unchanged.status, 304);
  });

  test('sees a write at once', async () => {
    const listing = (await (await fetch(origin + PREFIX)).json()) as {
      integrations: Record<string, { uuid: string }>;
    };
    const uuid = Object.keys(listing.integrations)[0]!;
    const before = await overSocket(origin, `${PREFIX}/${uuid}`);
    const write = await fetch(`${origin}${PREFIX}/${uuid}`, {
      method: 'POST',
      body: JSON.stringify({ description: 'changed by the cached reads test' }),
    });
    const after = await overSocket(origin, `${PREFIX}/${uuid}`);
    const listed = await overSocket(origin, PREFIX);

    assert.equal(write.status, 200);
    assert.notEqual(after.etag, before.etag);
    assert.match(after.body, /changed by the cached reads test/);
    assert.match(listed.body, /changed by the cached reads test/);
  });

  test('sees a resource write at once', async () => {
    const path = paths[4]!;
    const before = await overSocket(origin, path);
    const again = await overSocket(origin, path);
    const write = await fetch(origin + path, {
      method: 'POST',
      body: JSON.stringify({ name: 'renamed by the cached reads test' }),
    });
    const after = await overSocket(origin, path);

    assert.equal(again.etag, before.etag);
    assert.equal(write.status, 200, await write.text());
    assert.notEqual(after.etag, before.etag);
    assert.match(after.body, /renamed by the cached reads test/);
  });

  test('token still required', async () => {
    const guarded = await startService({ token: 'a-token-of-sixteen-or-more' });

    try {
      const denied = await overSocket(guarded.origin, PREFIX);

      assert.equal(denied.status, 401);
    } finally {
      await guarded.service.close();
      await removeDir(guarded.root);
    }
  });
});
