import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';

import {
  Context,
  MemoryStore,
  SessionManager,
  StoreProvider,
  type IntegrationProvider,
  type StoredIntegration,
} from '@beaker-integrations/core';
import type { Integration, Resource } from '@beaker-integrations/model';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';

import { buildServer } from '../../src/app.js';
import { API, send } from './support.js';

const CALL_TIMEOUT_MS = 300;

function integration(uuid: string, description: string): StoredIntegration {
  return {
    uuid,
    name: uuid,
    description,
    provider: 'adhoc:main',
    slug: uuid,
    datatype: 'api',
    url: null,
    img_url: null,
    source: '',
    last_updated: null,
    resources: {},
  };
}

/** A memory store whose next save can be made to throw or to never finish. */
class FaultyStore extends MemoryStore {
  failNext: Error | undefined;
  hangNext = false;
  private readonly hung: (() => void)[] = [];

  override async save(previous: StoredIntegration | null, next: StoredIntegration) {
    const failure = this.failNext;

    this.failNext = undefined;
    if (failure !== undefined) throw failure;

    if (this.hangNext) {
      this.hangNext = false;
      await new Promise<void>((resolve) => this.hung.push(resolve));
    }

    return super.save(previous, next);
  }

  /** Lets every hung save finish. */
  release(): void {
    for (const resolve of this.hung.splice(0)) resolve();
  }
}

/**
 * A provider written against the SDK interface only, as a third party
 * would write one: read-only, with methods that fail on chosen ids.
 */
class RemoteProvider implements IntegrationProvider {
  readonly providerType = 'remote';
  readonly slug = 'remote';
  readonly displayName = 'Remote';
  readonly mutable = false;
  hangListing = false;
  private readonly never: Promise<never> = new Promise(() => undefined);

  async listIntegrations(): Promise<Integration[]> {
    if (this.hangListing) return this.never;

    return [{ ...integration('remote-ok', 'served'), provider: 'remote:remote' }];
  }

  hasIntegration(integrationId: string): boolean {
    return integrationId.startsWith('remote-');
  }

  async getIntegration(integrationId: string): Promise<Integration> {
    if (integrationId === 'remote-throws') {
      throw new Error('remote catalogue unavailable', {
        cause: new Error('upstream answered 502 Bad Gateway'),
      });
    }

    if (integrationId === 'remote-hangs') return this.never;

    return { ...integration(integrationId, 'served'), provider: 'remote:remote' };
  }

  async listResources(): Promise<Resource[]> {
    return this.never;
  }

  async getResource(): Promise<Resource> {
    throw new TypeError("Cannot read properties of undefined (reading 'resources')");
  }
}

describe('provider faults', () => {
  let app: FastifyInstance;
  let base: string;
  let logs = '';
  const store = new FaultyStore([
    integration('fragile', 'before'),
    integration('steady', 'before'),
  ]);
  const remote = new RemoteProvider();

  before(async () => {
    const provider = new StoreProvider({
      store,
      providerType: 'adhoc',
      slug: 'main',
      displayName: 'Main',
    });

    await provider.load();

    const context = new Context({ name: 'default', providers: [provider, remote] });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs += chunk.toString();
        done();
      },
    });

    app = buildServer({
      logger: pino({ level: 'info' }, sink),
      sessions: new SessionManager({
        contexts: new Map([['default', context]]),
        defaultContext: 'default',
      }),
      storeProviders: [provider],
      callTimeoutMs: CALL_TIMEOUT_MS,
      webRoot: false,
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    store.release();
    remote.hangListing = false;
    await app.close();
  });

  function assertInternalError(reply: Awaited<ReturnType<typeof send>>, label: string) {
    const problem = reply.json as { code: string; request_id: string; detail: string };

    assert.equal(reply.status, 500, `${label}: ${reply.text}`);
    assert.equal(problem.code, 'internal_error', label);
    assert.equal(problem.request_id, reply.headers.get('x-request-id'), label);
    assert.match(problem.detail, new RegExp(problem.request_id), label);

    return problem.request_id;
  }

  /** Parses the log records of one request. */
  function logsOf(requestId: string): { msg: string; err?: { message: string; stack: string } }[] {
    return logs
      .split('\n')
      .filter((line) => line.includes(`"request_id":"${requestId}"`))
      .map((line) => JSON.parse(line) as { msg: string; err?: { message: string; stack: string } });
  }

  test('thrown save is 500 and changes nothing', async () => {
    store.failNext = new Error('write failed: disk controller reset');

    const reply = await send(base, 'POST', `${API}/s1/fragile`, { description: 'after' });
    const requestId = assertInternalError(reply, 'failed save');
    const failure = logsOf(requestId).find((record) => record.msg === 'request failed');

    assert.equal(reply.text.includes('disk controller'), false, 'cause not sent to the client');
    assert.match(failure?.err?.message ?? '', /disk controller reset/, 'cause logged');

    const current = (await send(base, 'GET', `${API}/s1/fragile`)).json as Integration;

    assert.equal(current.description, 'before', 'memory unchanged');

    const retried = await send(base, 'POST', `${API}/s1/fragile`, { description: 'retried' });

    assert.equal(retried.status, 200, 'lock released after the failure');
  });

  test('sdk provider errors are 500 with cause', async () => {
    const thrown = await send(base, 'GET', `${API}/s1/remote-throws`);
    const thrownId = assertInternalError(thrown, 'thrown');
    const record = logsOf(thrownId).find((item) => item.msg === 'request failed');

    assert.match(record?.err?.stack ?? '', /remote catalogue unavailable/);
    assert.match(record?.err?.stack ?? '', /upstream answered 502/, 'nested cause logged');

    const typeError = await send(base, 'GET', `${API}/s1/remote-x/example/r1`);

    assertInternalError(typeError, 'type error');
    assert.equal(typeError.text.includes('Cannot read'), false, 'message not sent to the client');
  });

  test('hanging calls are 504 after the timeout', async () => {
    for (const path of [`${API}/s1/remote-hangs`, `${API}/s1/remote-ok/all`]) {
      const started = performance.now();
      const reply = await send(base, 'GET', path);
      const elapsed = performance.now() - started;

      assert.equal(reply.status, 504, `${path}: ${reply.text}`);
      assert.equal((reply.json as { code: string }).code, 'timeout', path);
      assert.ok(elapsed >= CALL_TIMEOUT_MS - 5, `${path} answered after ${elapsed} ms`);
    }

    assert.equal((await send(base, 'GET', `${API}/s1/remote-ok`)).status, 200, 'still serving');
  });

  test('hanging save is 504 and others served', async () => {
    store.hangNext = true;

    const reply = await send(base, 'POST', `${API}/s1/fragile`, { description: 'slow' });

    assert.equal(reply.status, 504, reply.text);

    const read = await send(base, 'GET', `${API}/s1/fragile`);
    const other = await send(base, 'POST', `${API}/s1/steady`, { description: 'during hang' });
    const queued = await send(base, 'POST', `${API}/s1/fragile`, { description: 'queued' });

    assert.equal(read.status, 200, 'reads of the hung integration served');
    assert.equal((read.json as Integration).description, 'retried', 'hung write not visible');
    assert.equal(other.status, 200, 'writes to other integrations served');
    assert.equal(queued.status, 504, 'writes queued behind the hung one time out too');

    // A write that timed out may still complete: 504 means the outcome is unknown.
    store.release();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const settled = (await send(base, 'GET', `${API}/s1/fragile`)).json as Integration;

    assert.equal(settled.description, 'queued', 'both writes applied in order once released');
  });

  test('listing with a hanging provider is 504', async () => {
    remote.hangListing = true;

    try {
      // The client gives up on its own, so a listing that never responds fails here.
      const signal = AbortSignal.timeout(CALL_TIMEOUT_MS * 10);
      const reply = await fetch(`${base}${API}/s2`, { signal });

      assert.equal(reply.status, 504);
      assert.equal((await send(base, 'GET', `${API}/s2/fragile`)).status, 200, 'still serving');
    } finally {
      remote.hangListing = false;
    }
  });
});
