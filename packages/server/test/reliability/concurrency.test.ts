import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import type { ExampleResource, FileResource, Integration } from '@beaker-integrations/model';
import { FsStore } from '@beaker-integrations/store-fs';
import { parse } from 'yaml';

import type { ProviderConfig } from '../../src/config.js';
import { API, EXAMPLES_ROOT, send, startLocal, tempEntries, type LocalServer } from './support.js';

const METEO = '7d4c2b7e-5a61-4f0e-9a55-6e2f1c9d8a01';
const WRITERS = 50;

interface Outcome {
  /** Status of every request the writer sent. */
  statuses: number[];
  /** Whether the integration update sent with a freshly read ETag was applied (200). */
  taggedApplied: boolean;
  /** Descriptions this writer set and had acknowledged. */
  descriptions: string[];
}

/**
 * Two contexts name the same data root, so the service gives them one
 * provider. One session on each context, 50 writers in parallel on one
 * integration: each adds, updates and deletes its own resources, updates
 * the integration, and sends writes with stale `If-Match` values.
 */
test('fifty writers on two sessions lose nothing', async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'beaker-concurrency-'));
  const root = join(work, 'root');
  let server: LocalServer | undefined;

  try {
    await cp(EXAMPLES_ROOT, root, { recursive: true });

    const provider: ProviderConfig = { type: 'adhoc', slug: 'shared', roots: [root] };

    server = await startLocal([root], {
      contexts: { alpha: [provider], beta: [provider] },
      defaultContext: 'alpha',
    });

    const base = server.base;

    assert.equal(
      (await send(base, 'PUT', '/beaker/sessions/sa', { context: 'alpha' })).status,
      200,
    );
    assert.equal((await send(base, 'PUT', '/beaker/sessions/sb', { context: 'beta' })).status, 200);

    const original = (await send(base, 'GET', `${API}/sa/${METEO}`)).json as Integration;
    const staleTag = (await send(base, 'GET', `${API}/sa/${METEO}`)).headers.get('etag') ?? '';
    const outcomes = await Promise.all(
      Array.from({ length: WRITERS }, (_, index) =>
        runWriter(base, index % 2 === 0 ? 'sa' : 'sb', index, staleTag),
      ),
    );

    for (const [index, outcome] of outcomes.entries()) {
      const unexpected = outcome.statuses.filter((status) => status !== 200 && status !== 412);

      assert.deepEqual(unexpected, [], `writer ${index} statuses`);
    }

    const requests = outcomes.reduce((sum, outcome) => sum + outcome.statuses.length, 0);
    const tagged = outcomes.filter((outcome) => outcome.taggedApplied).length;

    t.diagnostic(`${requests} requests; ${tagged} of ${WRITERS} updates with a fresh ETag applied`);

    const fromA = await send(base, 'GET', `${API}/sa/${METEO}`);
    const fromB = await send(base, 'GET', `${API}/sb/${METEO}`);

    assert.equal(fromA.text, fromB.text, 'both sessions read one copy');

    const memory = fromA.json as Integration;

    checkFinalState(memory, original, outcomes, 'memory');

    await server.close();
    server = undefined;

    const loaded = await new FsStore({ roots: [root] }).load();
    const stored = loaded.integrations.find((item) => item.uuid === METEO);

    assert.deepEqual(loaded.problems, [], 'store loads without problems');
    assert.ok(stored, 'integration on disk');
    checkFinalState(stored, original, outcomes, 'disk');
    assert.deepEqual(
      { ...stored, provider: memory.provider },
      memory,
      'disk equals memory, apart from the informational provider field',
    );

    const yamlText = await readFile(join(root, 'specifications/open_meteo/api.yaml'), 'utf8');

    assert.equal(typeof parse(yamlText), 'object', 'api.yaml parses');
    assert.deepEqual(await tempEntries(root), [], 'no temporary files left');
  } finally {
    await server?.close();
    await rm(work, { recursive: true, force: true });
  }
});

/** Sends one writer's requests in order, each after the previous response. */
async function runWriter(
  base: string,
  session: string,
  index: number,
  staleTag: string,
): Promise<Outcome> {
  const statuses: number[] = [];
  const descriptions: string[] = [];
  const path = `${API}/${session}/${METEO}`;
  const call = async (method: string, url: string, body?: unknown, ifMatch?: string) => {
    const reply = await send(base, method, url, body, ifMatch ? { 'if-match': ifMatch } : {});

    statuses.push(reply.status);

    return reply;
  };

  await call('POST', `${path}/new`, example(index, 'keep', 'v1'));
  await call('POST', `${path}/file`, {
    resource_id: `w${index}-file`,
    name: `writer ${index} notes`,
    filepath: `writers/w${index}.md`,
    content: `file v1 of writer ${index}\n`,
  });
  await call('POST', `${path}/new/w${index}-keep`, { code: `v2 of writer ${index}` });
  await call('POST', `${path}/example`, example(index, 'gone', 'temporary'));
  await call('DELETE', `${path}/any/w${index}-gone`);

  const description = `description from writer ${index}`;
  const described = await call('POST', path, { description, [`writer_${index}`]: 'done' });

  if (described.status === 200) descriptions.push(description);

  const read = await call('GET', `${path}/example/w${index}-keep`);
  const resourceTag = read.headers.get('etag') ?? '';

  await call('POST', `${path}/new/w${index}-keep`, { code: `v3 of writer ${index}` }, resourceTag);

  const staleResource = await call(
    'POST',
    `${path}/new/w${index}-keep`,
    { code: `stale v4 of writer ${index}` },
    resourceTag,
  );

  assert.equal(staleResource.status, 412, `writer ${index}: reused resource ETag refused`);

  const staleIntegration = await call('POST', path, { [`stale_${index}`]: 'applied' }, staleTag);

  assert.equal(staleIntegration.status, 412, `writer ${index}: stale integration ETag refused`);

  const fresh = (await call('GET', path)).headers.get('etag') ?? '';
  const tagged = await call('POST', path, { [`tagged_${index}`]: 'applied' }, fresh);

  await call('POST', `${path}/new/w${index}-file`, { content: `file v2 of writer ${index}\n` });

  return { statuses, taggedApplied: tagged.status === 200, descriptions };
}

function example(index: number, role: string, code: string) {
  return {
    resource_type: 'example',
    resource_id: `w${index}-${role}`,
    query: `query ${role} of writer ${index}`,
    code,
  };
}

function checkFinalState(
  integration: Integration,
  original: Integration,
  outcomes: Outcome[],
  where: string,
): void {
  const fields = integration as Record<string, unknown>;
  const resources = integration.resources;

  for (const resourceId of Object.keys(original.resources)) {
    assert.deepEqual(
      resources[resourceId],
      original.resources[resourceId],
      `${where}: ${resourceId}`,
    );
  }

  for (const [index, outcome] of outcomes.entries()) {
    const keep = resources[`w${index}-keep`] as ExampleResource | undefined;
    const file = resources[`w${index}-file`] as FileResource | undefined;

    assert.equal(keep?.code, `v3 of writer ${index}`, `${where}: writer ${index} example`);
    assert.equal(file?.content, `file v2 of writer ${index}\n`, `${where}: writer ${index} file`);
    assert.equal(resources[`w${index}-gone`], undefined, `${where}: writer ${index} deleted`);
    assert.equal(fields[`writer_${index}`], 'done', `${where}: writer ${index} field`);
    assert.equal(fields[`stale_${index}`], undefined, `${where}: writer ${index} stale write`);
    assert.equal(
      fields[`tagged_${index}`],
      outcome.taggedApplied ? 'applied' : undefined,
      `${where}: writer ${index} tagged write`,
    );
  }

  const acknowledged = outcomes.flatMap((outcome) => outcome.descriptions);

  assert.ok(acknowledged.includes(integration.description), `${where}: description acknowledged`);
  assert.equal(
    Object.keys(resources).length,
    Object.keys(original.resources).length + 2 * WRITERS,
    `${where}: resource count`,
  );
}
