import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { isLoopbackHost } from '../../src/loopback.js';
import { redactUrl } from '../../src/request-log.js';
import { runToEnd, startServer, type RunningServer } from '../helpers.js';
import { API, EXAMPLES_ROOT, send, snapshot, startLocal, type LocalServer } from './support.js';

const TOKEN = 'reliability-token-0123456789';
const METEO = '7d4c2b7e-5a61-4f0e-9a55-6e2f1c9d8a01';
const METEO_EXAMPLE = '8a2d4e61-7c3b-4b9a-a1f2-2c5e9d0b7f12';

/** A body that every write route would accept, so a 401 is the only reason for refusal. */
const ANY_BODY = {
  name: 'Written without a token',
  description: 'changed',
  resource_type: 'example',
  query: 'q',
  code: 'c',
};

async function copyExamples(): Promise<{ work: string; root: string }> {
  const work = await mkdtemp(join(tmpdir(), 'beaker-access-'));
  const root = join(work, 'root');

  await cp(EXAMPLES_ROOT, root, { recursive: true });

  return { work, root };
}

async function status(server: RunningServer, token?: string): Promise<number> {
  const headers: Record<string, string> =
    token === undefined ? {} : { authorization: `Bearer ${token}` };

  return (await fetch(`${server.url}${API}/s1`, { headers })).status;
}

/** Waits up to five seconds for the child's output to match, since its pipe lags behind responses. */
async function waitForOutput(server: RunningServer, pattern: RegExp): Promise<void> {
  for (let attempt = 0; attempt < 100 && !pattern.test(server.output()); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  assert.match(server.output(), pattern);
}

test('token query parameter redacted', () => {
  assert.equal(redactUrl(`/?token=${TOKEN}`), '/?token=[redacted]');
  assert.equal(redactUrl(`/a?x=1&TOKEN=${TOKEN}#top`), '/a?x=1&TOKEN=[redacted]#top');
  assert.equal(
    redactUrl('/beaker/integrations/s1?view=summary'),
    '/beaker/integrations/s1?view=summary',
  );
});

test('loopback host detection', () => {
  for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
    assert.equal(isLoopbackHost(host), true, host);
  }

  for (const host of ['0.0.0.0', '::', '10.0.0.5', '127.example.com', 'example.org', '']) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});

describe('cli access settings', () => {
  let work: string;
  let root: string;

  before(async () => {
    ({ work, root } = await copyExamples());
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('listens on loopback without cors', async () => {
    const server = await startServer(['--data', root]);

    try {
      const response = await fetch(`${server.url}${API}/s1`, {
        headers: { origin: 'https://notebook.example.org' },
      });
      const preflight = await fetch(`${server.url}${API}/s1`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://notebook.example.org',
          'access-control-request-method': 'POST',
        },
      });

      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(response.status, 200, 'no token configured');
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.equal(preflight.status, 403);
      assert.doesNotMatch(server.output(), /beyond loopback/);
    } finally {
      await server.stop();
    }
  });

  test('token from file, environment or config', async () => {
    const tokenFile = join(work, 'token');
    const configFile = join(work, 'config.json');

    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    await writeFile(
      configFile,
      JSON.stringify({
        server: { token: TOKEN },
        contexts: { default: { providers: [{ type: 'adhoc', slug: 'main', roots: [root] }] } },
      }),
    );

    const ways: [string, string[], NodeJS.ProcessEnv][] = [
      ['--token-file', ['--data', root, '--token-file', tokenFile], {}],
      ['environment', ['--data', root], { BEAKER_INTEGRATIONS_TOKEN: TOKEN }],
      ['config file', ['--config', configFile], {}],
    ];

    for (const [label, args, env] of ways) {
      const server = await startServer([...args, '--log-level', 'info'], env);

      try {
        const viaQuery = await fetch(`${server.url}${API}/s1?token=${TOKEN}`);

        assert.equal(await status(server), 401, `${label}: no token`);
        assert.equal(await status(server, `${TOKEN}x`), 401, `${label}: wrong token`);
        assert.equal(viaQuery.status, 401, `${label}: token in the query string`);
        assert.equal(await status(server, TOKEN), 200, `${label}: right token`);

        // The web UI takes its token from a `?token=` link; the page request is logged too.
        await fetch(`${server.url}/?token=${TOKEN}`);
        await waitForOutput(server, /"url":"\/\?token=\[redacted\]"/);
        assert.equal(server.output().includes(TOKEN), false, `${label}: token not logged`);
      } finally {
        await server.stop();
      }
    }
  });

  test('short token rejected at start', async () => {
    const result = await runToEnd(['serve', '--data', root, '--port', '0'], {
      BEAKER_INTEGRATIONS_TOKEN: 'short',
    });

    assert.equal(result.code, 2);
    assert.match(result.stderr, /at least 16 characters/);
  });

  test('warns beyond loopback without token', async () => {
    // Binds every interface for a moment; the test only talks to 127.0.0.1.
    const open = await startServer(['--data', root, '--host', '0.0.0.0']);

    try {
      assert.match(open.output(), /listening beyond loopback without a token/);
    } finally {
      await open.stop();
    }

    const guarded = await startServer(['--data', root, '--host', '0.0.0.0'], {
      BEAKER_INTEGRATIONS_TOKEN: TOKEN,
    });

    try {
      assert.doesNotMatch(guarded.output(), /beyond loopback/);
    } finally {
      await guarded.stop();
    }
  });
});

describe('token on every route', () => {
  let work: string;
  let server: LocalServer;

  before(async () => {
    const copy = await copyExamples();

    work = copy.work;
    server = await startLocal([copy.root], { token: TOKEN });
  });

  after(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  test('every api route requires it', async (t) => {
    const document = await send(server.base, 'GET', '/beaker/openapi.json', undefined, {
      authorization: `Bearer ${TOKEN}`,
    });
    const paths = (document.json as { paths: Record<string, Record<string, unknown>> }).paths;
    const before = await snapshot(work);
    let routes = 0;

    for (const [template, operations] of Object.entries(paths)) {
      const path = template
        .replace('{session_id}', 's1')
        .replace('{integration_id}', METEO)
        .replace('{resource_type}', 'example')
        .replace('{resource_id}', METEO_EXAMPLE);

      for (const method of Object.keys(operations).map((name) => name.toUpperCase())) {
        const body = method === 'POST' || method === 'PUT' ? ANY_BODY : undefined;
        const protectedRoute = path.startsWith('/beaker/');
        const missing = await send(server.base, method, path, body);
        const wrong = await send(server.base, method, path, body, {
          authorization: `Bearer ${TOKEN.slice(0, -1)}`,
        });

        if (!protectedRoute) continue;

        routes += 1;
        assert.equal(missing.status, 401, `${method} ${path} without a token`);
        assert.equal(wrong.status, 401, `${method} ${path} with a wrong token`);
      }
    }

    t.diagnostic(`${routes} protected routes checked`);
    assert.ok(routes >= 14, `${routes} protected routes checked`);
    assert.deepEqual(await snapshot(work), before, 'nothing written without the token');
    assert.equal((await send(server.base, 'GET', '/healthz')).status, 200, 'health stays open');
  });
});
