import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, open, rm, statfs, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';

import type { ProviderConfig } from '../../src/config.js';
import {
  API,
  EXAMPLES_ROOT,
  mount,
  send,
  snapshot,
  startLocal,
  tempEntries,
  unmount,
  type LocalServer,
  type Reply,
} from './support.js';

const METEO = '7d4c2b7e-5a61-4f0e-9a55-6e2f1c9d8a01';
const WORLD_BANK = '0b8f3e2d-9c71-4a6e-8d24-1f5a7c3e9b02';
const IRIS = '4a6c8e0f-2b4d-4f6a-9c1e-3d5f7b9d1f03';

/** Bytes left free on the full tmpfs: room for a small api.yaml, not for a large attachment. */
const FREE_BYTES = 24 * 1024;
const LARGE_TEXT = 'z'.repeat(256 * 1024);

interface Fixture {
  work: string;
  /** The data root that the fault is applied to. */
  faulty: string;
  /** A second data root on an ordinary temp folder. */
  healthy: string;
  server?: LocalServer;
}

/** Builds two roots (copies of the examples) and a service with one provider on each. */
async function setUp(t: TestContext, onTmpfs: boolean): Promise<Fixture | undefined> {
  const work = await mkdtemp(join(tmpdir(), 'beaker-store-faults-'));
  const fixture: Fixture = { work, faulty: join(work, 'faulty'), healthy: join(work, 'healthy') };

  t.after(async () => {
    await fixture.server?.close();
    if (onTmpfs) unmount(fixture.faulty);
    await rm(work, { recursive: true, force: true });
  });

  await mkdir(fixture.faulty);

  if (onTmpfs && !mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', fixture.faulty])) {
    t.skip('mounting a tmpfs is not permitted here (needs root); fault test skipped');
    return undefined;
  }

  await cp(EXAMPLES_ROOT, fixture.faulty, { recursive: true });
  await cp(EXAMPLES_ROOT, fixture.healthy, { recursive: true });

  return fixture;
}

async function startOn(fixture: Fixture): Promise<LocalServer> {
  const faulty: ProviderConfig = { type: 'adhoc', slug: 'faulty', roots: [fixture.faulty] };
  const healthy: ProviderConfig = { type: 'adhoc', slug: 'healthy', roots: [fixture.healthy] };

  fixture.server = await startLocal([fixture.faulty], {
    contexts: { default: [faulty, healthy] },
  });

  return fixture.server;
}

function assertStorageFailure(reply: Reply, pattern: RegExp, label: string): void {
  const problem = reply.json as { code?: string; detail?: string };

  assert.equal(reply.status, 503, `${label}: ${reply.text}`);
  assert.equal(problem.code, 'storage_failure', label);
  assert.match(problem.detail ?? '', pattern, label);
}

/** Returns the served integrations of the faulty provider, as JSON text. */
async function faultyListing(base: string): Promise<string> {
  const listing = (await send(base, 'GET', `${API}/s1`)).json as {
    integrations: Record<string, { provider: string }>;
  };
  const own = Object.entries(listing.integrations).filter(
    ([, integration]) => integration.provider === 'adhoc:faulty',
  );

  return JSON.stringify(own);
}

/**
 * Checks that writes to the healthy root still succeed and reads of both
 * roots are served, which is what "keeps serving everything else" means here.
 */
async function assertOthersServed(base: string): Promise<void> {
  const created = await send(base, 'POST', `${API}/s1`, {
    provider: 'healthy',
    name: `Still writable ${Date.now()}`,
    description: 'created while the other root fails',
  });

  assert.equal(created.status, 200, created.text);
  assert.equal((await send(base, 'GET', `${API}/s1`)).status, 200);
  assert.equal((await send(base, 'GET', `${API}/s1/${IRIS}`)).status, 200);
}

test('read-only root rejects writes cleanly', async (t) => {
  const fixture = await setUp(t, true);

  if (fixture === undefined) return;
  if (!mount(['-o', 'remount,ro', fixture.faulty])) {
    t.skip('remounting read-only is not permitted here; fault test skipped');
    return;
  }

  const server = await startOn(fixture);
  const base = server.base;
  // The healthy root contains the same uuids, so the faulty provider, listed first, owns them.
  const before = { files: await snapshot(fixture.faulty), listing: await faultyListing(base) };
  const notWritable = /is not writable/;
  const writes: [string, string, unknown][] = [
    ['POST', `${API}/s1/${METEO}`, { description: 'changed' }],
    ['POST', `${API}/s1/${METEO}/new`, { resource_type: 'example', query: 'q', code: 'c' }],
    ['POST', `${API}/s1/${METEO}/new`, { resource_type: 'file', name: 'n', content: 'text' }],
    [
      'POST',
      `${API}/s1/${METEO}/new`,
      { resource_type: 'file', name: 'n', filepath: 'sub/n.md', content: 'text' },
    ],
    ['POST', `${API}/s1/${WORLD_BANK}/file/3c9e1b7a-2f4d-4e8b-b6a0-5d1c7e9f0a21`, { content: 'x' }],
    ['DELETE', `${API}/s1/${METEO}/any/8a2d4e61-7c3b-4b9a-a1f2-2c5e9d0b7f12`, undefined],
    ['DELETE', `${API}/s1/${WORLD_BANK}`, undefined],
    ['POST', `${API}/s1`, { provider: 'faulty', name: 'New on read-only', description: '' }],
  ];

  for (const [method, path, body] of writes) {
    const reply = await send(base, method, path, body);

    assertStorageFailure(reply, notWritable, `${method} ${path}`);
    assert.match((reply.json as { detail: string }).detail, new RegExp(fixture.faulty));
  }

  const health = await send(base, 'GET', '/healthz');

  assert.equal(health.status, 503);
  assert.match(health.text, /cannot be written/);
  assert.equal(health.text.includes(fixture.faulty), false, 'health shows no folder path');
  assert.deepEqual(await snapshot(fixture.faulty), before.files, 'files unchanged');
  assert.equal(await faultyListing(base), before.listing, 'served integrations unchanged');
  await assertOthersServed(base);
});

/** Fills the file system of `folder` until about FREE_BYTES are left. */
async function fillUp(folder: string): Promise<string> {
  const filler = join(folder, 'filler');
  const handle = await open(filler, 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  let written = 0;

  try {
    for (;;) {
      await handle.write(chunk);
      written += chunk.length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }

  await handle.truncate(Math.max(0, written - FREE_BYTES));
  await handle.close();

  return filler;
}

test('full disk fails writes without half files', async (t) => {
  const fixture = await setUp(t, true);

  if (fixture === undefined) return;

  const server = await startOn(fixture);
  const base = server.base;
  const filler = await fillUp(fixture.faulty);
  const free = await statfs(fixture.faulty);

  t.diagnostic(`${free.bavail * free.bsize} bytes free on the full tmpfs`);

  const before = { files: await snapshot(fixture.faulty), listing: await faultyListing(base) };
  const noSpace = /no space left.*ENOSPC/;
  const attachment = {
    resource_type: 'file',
    resource_id: 'large-file',
    name: 'large',
    filepath: 'large/data.md',
    content: LARGE_TEXT,
  };
  const writes: [string, unknown][] = [
    [`${API}/s1/${METEO}/new`, attachment],
    [`${API}/s1/${METEO}`, { source: LARGE_TEXT }],
    [`${API}/s1/${METEO}/new/8a2d4e61-7c3b-4b9a-a1f2-2c5e9d0b7f12`, { code: LARGE_TEXT }],
    [
      `${API}/s1`,
      {
        provider: 'faulty',
        name: 'Too large to fit',
        description: '',
        resources: { f1: { ...attachment, resource_id: 'f1' } },
      },
    ],
  ];

  for (const [path, body] of writes) {
    assertStorageFailure(await send(base, 'POST', path, body), noSpace, path);
  }

  assert.deepEqual(await snapshot(fixture.faulty), before.files, 'no file half-written');
  assert.deepEqual(await tempEntries(fixture.faulty), [], 'no temporary files left');
  assert.equal(await faultyListing(base), before.listing, 'served integrations unchanged');

  const small = await send(base, 'POST', `${API}/s1/${IRIS}`, { description: 'fits' });

  assert.equal(small.status, 200, `small write on the full root: ${small.text}`);
  await assertOthersServed(base);

  await unlink(filler);

  const retried = await send(base, 'POST', `${API}/s1/${METEO}/new`, attachment);

  assert.equal(retried.status, 200, `retry after space is freed: ${retried.text}`);
});

test('deleted folder fails its writes only', async (t) => {
  const fixture = await setUp(t, false);

  if (fixture === undefined) return;

  const server = await startOn(fixture);
  const base = server.base;
  const folder = join(fixture.faulty, 'specifications/open_meteo');

  await rm(folder, { recursive: true });

  const before = await snapshot(fixture.work);
  const gone = /open_meteo or a file in it no longer exists/;
  const writes: [string, string, unknown][] = [
    ['POST', `${API}/s1/${METEO}`, { description: 'changed' }],
    ['POST', `${API}/s1/${METEO}/new`, { resource_type: 'example', query: 'q', code: 'c' }],
    [
      'POST',
      `${API}/s1/${METEO}/new`,
      { resource_type: 'file', name: 'n', filepath: 'sub/n.md', content: 'text' },
    ],
    ['POST', `${API}/s1/${METEO}/file/1f0c6a52-3b1e-4d38-9d7c-0b6f0f6f2a11`, { content: 'x' }],
    ['DELETE', `${API}/s1/${METEO}`, undefined],
  ];

  for (const [method, path, body] of writes) {
    assertStorageFailure(await send(base, method, path, body), gone, `${method} ${path}`);
  }

  assert.deepEqual(await snapshot(fixture.work), before, 'nothing recreated or written');

  const other = await send(base, 'POST', `${API}/s1/${WORLD_BANK}`, { description: 'still fine' });

  assert.equal(other.status, 200, other.text);
  await assertOthersServed(base);
});
