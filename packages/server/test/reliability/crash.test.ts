import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';

import type { Integration } from '@beaker-integrations/model';
import { parse } from 'yaml';

import { startServer, type RunningServer } from '../helpers.js';
import { API, EXAMPLES_ROOT, tempEntries } from './support.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 22);
const WRITERS = 4;
/** Window after the load starts in which the kill lands, in milliseconds. */
const KILL_AFTER_MS: [number, number] = [40, 600];
const ABSENT = '<absent>';
const ORIGINAL_UUIDS = [
  '7d4c2b7e-5a61-4f0e-9a55-6e2f1c9d8a01',
  '0b8f3e2d-9c71-4a6e-8d24-1f5a7c3e9b02',
  '4a6c8e0f-2b4d-4f6a-9c1e-3d5f7b9d1f03',
];

/** Texts that YAML would read as something else, or that need block scalars. */
const TRICKY_TEXTS = [
  'yes',
  'null',
  '- item',
  'key: value',
  '# not a comment',
  'it\'s "quoted"',
  'trailing spaces   ',
  'line one\nline two\n',
  '  indented\n    more\n',
  'Ünïcödé 天气 ✓',
  '{% file data/x.csv %} and {{ var }}',
  '',
];

/**
 * The state the client may observe for one key: the last acknowledged value,
 * and the value of a request that was in flight when the server was killed.
 */
interface Expectation {
  acked: string;
  pending?: string;
}

type Random = () => number;

/** mulberry32: a small seeded generator, so a failing run can be repeated with CRASH_SEED. */
function seededRandom(seed: number): Random {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;

    let value = Math.imul(state ^ (state >>> 15), 1 | state);

    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);

    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Expected values per key: `int:<uuid>` (present or absent), `desc:<uuid>`
 * and `res:<uuid>:<resource id>` (the resource's content or absent).
 */
class Model {
  readonly keys = new Map<string, Expectation>();
  /** Integrations each writer created and has not removed, by writer. */
  readonly owned: string[][] = Array.from({ length: WRITERS }, () => []);
  acknowledged = 0;

  begin(changes: Record<string, string>): void {
    for (const [key, value] of Object.entries(changes)) {
      const entry = this.keys.get(key) ?? { acked: ABSENT };

      entry.pending = value;
      this.keys.set(key, entry);
    }
  }

  acknowledge(changes: Record<string, string>): void {
    for (const key of Object.keys(changes)) {
      const entry = this.keys.get(key)!;

      entry.acked = entry.pending!;
      delete entry.pending;
    }

    this.acknowledged += 1;
  }

  /**
   * Checks the served state against every expectation, then adopts it as
   * acknowledged. Integration keys are checked first, because the other keys
   * of an integration that is rightly gone are dropped, not checked.
   */
  verify(listing: Record<string, Integration>, round: number): void {
    const keys = [...this.keys.keys()];

    for (const key of [
      ...keys.filter(isIntegrationKey),
      ...keys.filter((k) => !isIntegrationKey(k)),
    ]) {
      const entry = this.keys.get(key)!;
      const uuid = key.split(':')[1]!;

      if (!isIntegrationKey(key) && this.keys.get(`int:${uuid}`)?.acked === ABSENT) {
        this.keys.delete(key);
        continue;
      }

      const actual = observe(listing, key);
      const allowed = entry.pending === undefined ? [entry.acked] : [entry.acked, entry.pending];

      assert.ok(
        allowed.includes(actual),
        `after kill ${round}, ${key} is ${actual}; expected one of ${allowed.join(' | ')}`,
      );
      this.keys.set(key, { acked: actual });
    }

    for (const [writer, uuids] of this.owned.entries()) {
      this.owned[writer] = uuids.filter((uuid) => this.keys.get(`int:${uuid}`)?.acked !== ABSENT);
    }
  }
}

function isIntegrationKey(key: string): boolean {
  return key.startsWith('int:');
}

function observe(listing: Record<string, Integration>, key: string): string {
  const [kind, uuid, resourceId] = key.split(':') as [string, string, string?];
  const integration = Object.hasOwn(listing, uuid) ? listing[uuid] : undefined;

  if (kind === 'int') return integration === undefined ? ABSENT : 'present';
  if (integration === undefined) return ABSENT;
  if (kind === 'desc') return integration.description;

  const resource = Object.hasOwn(integration.resources, resourceId!)
    ? integration.resources[resourceId!]
    : undefined;

  return resource === undefined ? ABSENT : resourceValue(resource);
}

function resourceValue(resource: Record<string, unknown>): string {
  const { resource_type, query, code, name, filepath, content } = resource;

  return JSON.stringify({ resource_type, query, code, name, filepath, content });
}

/** Sends one write, recording it in the model; false once the server is gone. */
async function write(
  model: Model,
  base: string,
  method: string,
  path: string,
  body: unknown,
  changes: Record<string, string>,
): Promise<boolean> {
  model.begin(changes);

  let response: Response;

  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.arrayBuffer();
  } catch {
    return false;
  }

  assert.equal(response.status, 200, `${method} ${path}`);
  model.acknowledge(changes);

  return true;
}

/** Sends random writes to the writer's own integrations until the server stops responding. */
async function runWriter(model: Model, base: string, writer: number, random: Random) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = () => `${pick(TRICKY_TEXTS)}${random().toString(36).slice(2)}`;
  const session = `${API}/crash_${writer}`;
  let alive = true;

  while (alive) {
    const owned = model.owned[writer]!;
    const roll = random();

    if (owned.length === 0 || roll < 0.08) {
      const uuid = randomUUID();
      const description = text();

      owned.push(uuid);
      alive = await write(
        model,
        base,
        'POST',
        session,
        { uuid, name: `Crash ${writer} ${uuid.slice(0, 8)}`, description, source: text() },
        { [`int:${uuid}`]: 'present', [`desc:${uuid}`]: description },
      );
      continue;
    }

    const uuid = pick(owned);
    const resources = [...model.keys.keys()]
      .filter((key) => key.startsWith(`res:${uuid}:`) && model.keys.get(key)!.acked !== ABSENT)
      .map((key) => key.split(':')[2]!);

    if (roll < 0.12 && owned.length > 1) {
      owned.splice(owned.indexOf(uuid), 1);
      alive = await write(model, base, 'DELETE', `${session}/${uuid}`, undefined, {
        [`int:${uuid}`]: ABSENT,
      });
    } else if (roll < 0.3) {
      const description = text();

      alive = await write(
        model,
        base,
        'POST',
        `${session}/${uuid}`,
        { description },
        {
          [`desc:${uuid}`]: description,
        },
      );
    } else if (roll < 0.55 || resources.length === 0) {
      const resource = randomResource(random, text, uuid);

      alive = await write(model, base, 'POST', `${session}/${uuid}/new`, resource, {
        [`res:${uuid}:${resource.resource_id}`]: resourceValue(resource),
      });
    } else if (roll < 0.85) {
      alive = await updateResource(model, base, `${session}/${uuid}`, uuid, pick(resources), text);
    } else {
      const resourceId = pick(resources);

      alive = await write(
        model,
        base,
        'DELETE',
        `${session}/${uuid}/any/${resourceId}`,
        undefined,
        {
          [`res:${uuid}:${resourceId}`]: ABSENT,
        },
      );
    }
  }
}

function randomResource(random: Random, text: () => string, uuid: string) {
  const resourceId = randomUUID();

  if (random() < 0.5) {
    return {
      resource_type: 'example',
      resource_id: resourceId,
      integration: uuid,
      query: text(),
      code: text(),
      name: undefined,
      filepath: undefined,
      content: undefined,
    };
  }

  // Attachments of up to 64 KiB, so that some kills land while one is being written.
  const size = Math.floor(random() * 64 * 1024);

  return {
    resource_type: 'file',
    resource_id: resourceId,
    integration: uuid,
    query: undefined,
    code: undefined,
    name: `notes ${resourceId.slice(0, 8)}`,
    filepath: `docs/${resourceId.slice(0, 8)}.md`,
    content: `${text()}\n${'x'.repeat(size)}\n`,
  };
}

async function updateResource(
  model: Model,
  base: string,
  path: string,
  uuid: string,
  resourceId: string,
  text: () => string,
): Promise<boolean> {
  const key = `res:${uuid}:${resourceId}`;
  const current = JSON.parse(model.keys.get(key)!.acked) as Record<string, unknown>;
  const change = current.resource_type === 'file' ? { content: `${text()}\n` } : { code: text() };
  const next = resourceValue({ ...current, ...change });

  return write(model, base, 'POST', `${path}/new/${resourceId}`, change, { [key]: next });
}

/** Parses every `api.yaml` under the root, failing on any that is not a YAML mapping. */
async function assertDocumentsParse(root: string, round: number): Promise<number> {
  const specifications = join(root, 'specifications');
  let count = 0;

  for (const name of await readdir(specifications)) {
    const document: unknown = parse(await readFile(join(specifications, name, 'api.yaml'), 'utf8'));

    assert.equal(typeof document, 'object', `after kill ${round}, ${name}/api.yaml is a mapping`);
    assert.ok(document !== null, `after kill ${round}, ${name}/api.yaml is not empty`);
    count += 1;
  }

  return count;
}

/**
 * Runs the real CLI as a child process under four concurrent writers and
 * kills it with SIGKILL at a random moment, again and again. After each
 * restart every api.yaml parses, every write acknowledged before the kill
 * is served, and no temporary file is left or listed as an integration.
 */
test('sigkill under write load loses nothing', async (t) => {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
  const random = seededRandom(seed);
  const work = await mkdtemp(join(tmpdir(), 'beaker-crash-'));
  const root = join(work, 'root');
  const model = new Model();
  let server: RunningServer | undefined;
  let leftovers = 0;

  t.diagnostic(`seed ${seed} (set CRASH_SEED to repeat), ${KILLS} kills`);

  try {
    await cp(EXAMPLES_ROOT, root, { recursive: true });

    for (let round = 0; round <= KILLS; round++) {
      server = await startServer(['--data', root]);

      const listing = (await (await fetch(`${server.url}${API}/check`)).json()) as {
        integrations: Record<string, Integration>;
      };
      const folders = await assertDocumentsParse(root, round);
      const served = Object.keys(listing.integrations);

      model.verify(listing.integrations, round);
      assert.deepEqual(await tempEntries(root), [], `after kill ${round}, no temporary files`);
      assert.equal(served.length, folders, `after kill ${round}, one integration per folder`);

      for (const uuid of served) {
        const known = ORIGINAL_UUIDS.includes(uuid) || model.keys.has(`int:${uuid}`);

        assert.ok(known, `after kill ${round}, ${uuid} was created by a writer`);
      }

      if (round === KILLS) break;

      const load = Array.from({ length: WRITERS }, (_, writer) =>
        runWriter(model, server!.url, writer, random),
      );
      const [low, high] = KILL_AFTER_MS;

      await sleep(low + random() * (high - low));
      await server.stop('SIGKILL');
      server = undefined;
      await Promise.all(load);
      leftovers += (await tempEntries(root)).length;
    }

    t.diagnostic(
      `${model.acknowledged} writes acknowledged; ${leftovers} temporary files found after kills and removed on restart`,
    );
  } finally {
    await server?.stop('SIGKILL');
    await rm(work, { recursive: true, force: true });
  }
});
