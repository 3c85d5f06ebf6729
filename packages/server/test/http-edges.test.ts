import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Writable } from 'node:stream';

import {
  Context,
  MemoryStore,
  SessionManager,
  StoreProvider,
  type StoredIntegration,
} from '@beaker-integrations/core';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';

import { buildServer } from '../src/app.js';

const UUID = '11111111-1111-4111-8111-111111111111';

function seed(): StoredIntegration {
  return {
    uuid: UUID,
    name: 'Seeded',
    description: 'seed',
    provider: 'x',
    slug: 'seeded',
    datatype: 'api',
    url: null,
    img_url: null,
    source: 'hello',
    last_updated: null,
    resources: {
      ex1: {
        resource_type: 'example',
        resource_id: 'ex1',
        integration: UUID,
        query: 'q',
        code: 'c',
        notes: null,
      },
    },
  };
}

class ThrowingProvider extends StoreProvider {
  override async getIntegration(integrationId: string) {
    if (integrationId === 'boom') throw new Error('disk on fire at /secret/path');
    if (integrationId === 'hang') return new Promise<never>(() => undefined);

    return super.getIntegration(integrationId);
  }

  override hasIntegration(integrationId: string): boolean {
    return (
      integrationId === 'boom' || integrationId === 'hang' || super.hasIntegration(integrationId)
    );
  }
}

describe('http edges', () => {
  let app: FastifyInstance;
  let base: string;
  let logs = '';

  before(async () => {
    const provider = new ThrowingProvider({
      store: new MemoryStore([seed()]),
      providerType: 'adhoc',
      slug: 'main',
      displayName: 'Main',
    });

    await provider.load();

    const contexts = new Map([
      ['default', new Context({ name: 'default', providers: [provider] })],
    ]);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs += chunk.toString();
        done();
      },
    });

    app = buildServer({
      logger: pino({ level: 'info' }, sink),
      sessions: new SessionManager({ contexts, defaultContext: 'default' }),
      storeProviders: [provider],
      callTimeoutMs: 300,
      bodyLimit: 64 * 1024,
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await app.close();
  });

  const url = (path: string) => `${base}/beaker/integrations/s1${path}`;

  async function problem(response: Response) {
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);

    return (await response.json()) as {
      status: number;
      code: string;
      field?: string;
      detail: string;
      request_id: string;
    };
  }

  test('trailing slash accepted on every route', async () => {
    for (const path of ['/', `/${UUID}/`, `/${UUID}/all/`, `/${UUID}/example/ex1/`]) {
      const response = await fetch(url(path));

      assert.equal(response.status, 200, path);
    }

    assert.equal((await fetch(`${base}/beaker/providers/s1/`)).status, 200);
    assert.equal((await fetch(`${base}/beaker/sessions/`)).status, 200);
  });

  test('ids outside the pattern rejected', async () => {
    const cases = [`/a%2Fb`, `/${UUID}/all/a.b`, `/%C3%BC`, `/${UUID}/all/%20`, `/${UUID}/fi.le`];

    for (const path of cases) {
      const response = await fetch(url(path));
      const body = await problem(response);

      assert.equal(response.status, 400, path);
      assert.ok(body.field, `${path} names a field`);
    }

    const session = await fetch(`${base}/beaker/integrations/bad.session`);

    assert.equal((await problem(session)).field, 'session_id');
  });

  test('bodies that are not objects rejected', async () => {
    for (const body of ['[1,2]', '"text"', '42', 'null', '{"a":', 'not json']) {
      const response = await fetch(url(''), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      const details = await problem(response);

      assert.equal(response.status, 400, body);
      assert.equal(details.field, 'body');
    }
  });

  test('json parsed whatever the content type', async () => {
    const body = JSON.stringify({ name: 'Text Typed', description: '' });

    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await fetch(url(''), {
        method: 'POST',
        body,
        headers: { 'content-type': type },
      });

      if (type === 'text/plain') assert.equal(response.status, 200, type);
      else assert.equal(response.status, 409, type);
    }
  });

  test('prototype keys rejected at any depth', async () => {
    for (const body of [
      '{"__proto__": {"x": 1}}',
      '{"name":"n","description":"","a":{"b":[{"constructor":1}]}}',
      '{"prototype": 1}',
    ]) {
      const response = await fetch(url(`/${UUID}`), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });

      assert.equal(response.status, 400, body);
    }

    const after = (await (await fetch(url(`/${UUID}`))).json()) as Record<string, unknown>;

    assert.equal(after.a, undefined);
  });

  test('path and body types must agree', async () => {
    const contradicting = await fetch(url(`/${UUID}/file`), {
      method: 'POST',
      body: JSON.stringify({ resource_type: 'example', query: 'q', code: 'c' }),
      headers: { 'content-type': 'application/json' },
    });

    assert.equal(contradicting.status, 400);
    assert.equal((await problem(contradicting)).field, 'resource_type');

    const wrongId = await fetch(url(`/${UUID}/new/ex1`), {
      method: 'POST',
      body: JSON.stringify({ resource_type: 'example', resource_id: 'other' }),
      headers: { 'content-type': 'application/json' },
    });

    assert.equal(wrongId.status, 400);
    assert.equal((await problem(wrongId)).field, 'resource_id');
  });

  test('empty delete body with json type accepted', async () => {
    const created = await fetch(url(`/${UUID}/new`), {
      method: 'POST',
      body: JSON.stringify({ resource_type: 'example', query: 'q2', code: 'c2' }),
      headers: { 'content-type': 'application/json' },
    });
    const { resource_id } = (await created.json()) as { resource_id: string };
    const deleted = await fetch(url(`/${UUID}/any/${resource_id}`), {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    });

    assert.equal(deleted.status, 200);
    assert.deepEqual(await deleted.json(), {});
  });

  test('etags and conditional reads', async () => {
    const first = await fetch(url(`/${UUID}`));
    const etag = first.headers.get('etag');

    assert.ok(etag);

    const again = await fetch(url(`/${UUID}`), { headers: { 'if-none-match': etag } });

    assert.equal(again.status, 304);

    const resource = await fetch(url(`/${UUID}/example/ex1`));

    assert.ok(resource.headers.get('etag'));
  });

  test('unknown route is problem json 404', async () => {
    const response = await fetch(`${base}/beaker/nowhere`);
    const body = await problem(response);

    assert.equal(response.status, 404);
    assert.equal(body.code, 'route_not_found');
  });

  test('provider error is 500 with request id', async () => {
    const response = await fetch(url('/boom'), { headers: { 'x-request-id': 'req-boom-1' } });
    const body = await problem(response);

    assert.equal(response.status, 500);
    assert.equal(body.request_id, 'req-boom-1');
    assert.equal(body.detail.includes('/secret/path'), false, 'no internals leak');
    assert.match(logs, /"request_id":"req-boom-1"/);
    assert.match(logs, /disk on fire/);
  });

  test('hanging provider is 504 and server keeps serving', async () => {
    const response = await fetch(url('/hang'));

    assert.equal(response.status, 504);
    assert.equal((await problem(response)).code, 'timeout');
    assert.equal((await fetch(url(`/${UUID}`))).status, 200);
  });

  test('body over the limit is 413', async () => {
    const response = await fetch(url(`/${UUID}`), {
      method: 'POST',
      body: JSON.stringify({ description: 'x'.repeat(70 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });

    assert.equal(response.status, 413);
    assert.equal((await problem(response)).code, 'payload_too_large');
  });
});
