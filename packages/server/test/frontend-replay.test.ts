/**
 * Replays, as raw HTTP, the requests Beaker's web frontend sends when a
 * user browses, creates and edits an integration, then checks the folder
 * the service wrote against the layout Beaker itself reads.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { parse } from 'yaml';

import { REPO_ROOT, copyRoot, startServer, type RunningServer } from './helpers.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

let root: string;
let server: RunningServer;

before(async () => {
  root = await copyRoot(join(REPO_ROOT, 'examples/integrations'));
  server = await startServer(['--data', root]);
});

after(async () => {
  await server?.stop();
});

async function send(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${server.url}/beaker/integrations/notebook_dev_session${path}`, {
    method,
    headers: JSON_HEADERS,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();

  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function pythonSafeLoad(path: string): unknown {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      const script =
        'import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])), default=str))';

      return JSON.parse(
        execFileSync(python, ['-c', script, path], { encoding: 'utf8' }),
      ) as unknown;
    } catch {
      // Try the next interpreter.
    }
  }

  return undefined;
}

test('frontend session from list to delete', async () => {
  const listing = await send('GET', '');

  assert.equal(listing.status, 200);

  const created = await send('POST', '', {
    provider: 'adhoc:specialist_agents',
    name: 'Air Quality Stations',
    description: 'Hourly pollutant readings',
    datatype: 'api',
    url: 'https://aq.example.test',
    img_url: null,
    source: '',
  });

  assert.equal(created.status, 200);

  const integration = created.json as {
    uuid: string;
    slug: string;
    resources: Record<string, unknown>;
  };

  assert.equal(integration.slug, 'air_quality_stations');

  const guide = await send('POST', `/${integration.uuid}/new`, {
    resource_type: 'file',
    filepath: 'guide.md',
    name: 'guide',
    content: '# Stations\nReadings in µg/m³.\n',
  });
  const schema = await send('POST', `/${integration.uuid}/new`, {
    resource_type: 'file',
    filepath: 'schema/openapi.json',
    name: 'schema',
    content: '{"openapi": "3.0.0"}',
  });

  assert.equal(guide.status, 200);
  assert.equal(schema.status, 200);

  // The frontend sends the integration back as it first received it, with
  // a stale, empty resources map that the service must ignore.
  const updated = await send('POST', `/${integration.uuid}`, {
    ...integration,
    source: 'Read {{ guide }} and the schema:\n{{ schema }}\n',
  });

  assert.equal(updated.status, 200);
  assert.equal(Object.keys((updated.json as typeof integration).resources).length, 2);

  const example = await send('POST', `/${integration.uuid}/new`, {
    resource_type: 'example',
    query: 'Latest PM2.5?',
    code: 'fetch("pm25")',
    notes: null,
  });
  const exampleId = (example.json as { resource_id: string }).resource_id;
  const editedExample = await send('POST', `/${integration.uuid}/new/${exampleId}`, {
    resource_type: 'example',
    resource_id: exampleId,
    integration: integration.uuid,
    query: 'Latest PM2.5 reading?',
    code: 'fetch("pm25")\n',
    notes: 'µg/m³',
  });

  assert.equal(editedExample.status, 200);

  const resources = await send('GET', `/${integration.uuid}/all`);

  assert.equal((resources.json as { resources: unknown[] }).resources.length, 3);

  const schemaId = (schema.json as { resource_id: string }).resource_id;
  const deleted = await fetch(
    `${server.url}/beaker/integrations/notebook_dev_session/${integration.uuid}/any/${schemaId}`,
    { method: 'DELETE', headers: JSON_HEADERS },
  );

  assert.equal(deleted.status, 200);
  assert.deepEqual(await deleted.json(), {});

  const folder = join(root, 'specifications/air_quality_stations');
  const text = await readFile(join(folder, 'api.yaml'), 'utf8');
  const stored = parse(text) as Record<string, unknown>;
  const storedResources = stored.resources as Record<string, Record<string, unknown>>;

  assert.deepEqual(Object.keys(stored), [
    'datatype',
    'description',
    'img_url',
    'last_updated',
    'name',
    'provider',
    'resources',
    'slug',
    'source',
    'url',
    'uuid',
  ]);
  assert.equal(stored.provider, 'adhoc:specialist_agents');
  assert.equal(stored.source, 'Read {{ guide }} and the schema:\n{{ schema }}\n');
  assert.match(text, /^source: \|/m, 'multi-line source in block style');
  assert.deepEqual(Object.keys(storedResources).length, 2);

  const storedGuide = storedResources[(guide.json as { resource_id: string }).resource_id]!;

  assert.deepEqual(Object.keys(storedGuide), [
    'filepath',
    'integration',
    'name',
    'resource_id',
    'resource_type',
  ]);
  assert.equal('content' in storedGuide, false, 'content lives in the attachment');
  assert.equal(
    await readFile(join(folder, 'attachments/guide.md'), 'utf8'),
    '# Stations\nReadings in µg/m³.\n',
  );
  assert.equal(storedResources[exampleId]?.notes, 'µg/m³');
  assert.deepEqual(await readdir(folder), ['api.yaml', 'attachments']);

  const python = pythonSafeLoad(join(folder, 'api.yaml'));

  if (python !== undefined) assert.deepEqual(python, stored);
});

test('frontend sends JSON content type on empty GET', async () => {
  const response = await fetch(`${server.url}/beaker/integrations/notebook_dev_session/`, {
    headers: JSON_HEADERS,
  });

  assert.equal(response.status, 200);
});
