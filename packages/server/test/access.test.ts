import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Context, MemoryStore, SessionManager, StoreProvider } from '@beaker-integrations/core';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';

import { buildServer } from '../src/app.js';

const TOKEN = 'correct-horse-battery-staple';
const ORIGIN = 'https://notebook.example.org';

describe('access control', () => {
  let app: FastifyInstance;
  let base: string;

  before(async () => {
    const provider = new StoreProvider({
      store: new MemoryStore(),
      providerType: 'adhoc',
      slug: 'main',
      displayName: 'Main',
    });

    await provider.load();

    const contexts = new Map([
      ['default', new Context({ name: 'default', providers: [provider] })],
    ]);

    app = buildServer({
      logger: pino({ level: 'silent' }),
      sessions: new SessionManager({ contexts, defaultContext: 'default' }),
      storeProviders: [provider],
      callTimeoutMs: 1000,
      token: TOKEN,
      corsOrigins: [ORIGIN],
      webRoot: false,
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await app.close();
  });

  test('api routes require the token', async () => {
    const cases: [string | undefined, number][] = [
      [undefined, 401],
      ['Bearer wrong-token-of-some-length', 401],
      [`Basic ${TOKEN}`, 401],
      [`Bearer ${TOKEN}x`, 401],
      [`Bearer ${TOKEN}`, 200],
      [`bearer ${TOKEN}`, 200],
    ];

    for (const [authorization, status] of cases) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const response = await fetch(`${base}/beaker/integrations/s1`, { headers });

      assert.equal(response.status, status, String(authorization));
    }
  });

  test('unauthorized answer is problem json', async () => {
    const response = await fetch(`${base}/beaker/sessions`);
    const body = (await response.json()) as { code: string };

    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="beaker-integrations"');
    assert.equal(body.code, 'unauthorized');
  });

  test('health stays open', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });

  test('cors only for listed origins', async () => {
    const allowed = await fetch(`${base}/beaker/integrations/s1`, {
      headers: { origin: ORIGIN, authorization: `Bearer ${TOKEN}` },
    });
    const other = await fetch(`${base}/beaker/integrations/s1`, {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` },
    });

    assert.equal(allowed.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  test('preflight answered for listed origins', async () => {
    const allowed = await fetch(`${base}/beaker/integrations/s1`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    const other = await fetch(`${base}/beaker/integrations/s1`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });

    assert.equal(allowed.status, 204);
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /if-match/);
    assert.equal(other.status, 403);
  });
});
