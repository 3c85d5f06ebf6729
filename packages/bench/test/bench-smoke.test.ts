import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  configFromRoots,
  createService,
  resolveConfig,
  type Service,
} from '@beaker-integrations/server';
import { pino } from 'pino';

import { cpuSeconds } from '../src/processes.js';
import {
  createBareServer,
  evaluateTargets,
  fetchResponses,
  generateStore,
  measureWrites,
  median,
  parseWrkOutput,
  percentile,
  type GeneratedIntegration,
} from '../src/index.js';

const FOLDERS = 25;
const PREFIX = '/beaker/integrations/smoke';

const WRK_OUTPUT = `Running 1s test @ http://127.0.0.1:8000/beaker/integrations/bench
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.00us  120.50us   3.10ms   90.00%
    Req/Sec    38.12k     1.20k   40.00k    70.00%
  Latency Distribution
     50%  380.00us
     75%  450.00us
     90%  520.00us
     99%    1.25ms
  38000 requests in 1.00s, 20.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:  37950.12
Transfer/sec:     19.90MB
`;

describe('bench smoke', () => {
  let root: string;
  let generated: GeneratedIntegration[];
  let service: Service;
  let origin: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'beaker-bench-smoke-'));
    generated = generateStore(root, FOLDERS);
    service = await createService(resolveConfig(configFromRoots([root])), pino({ level: 'warn' }));
    origin = await service.app.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await service.close();
    await rm(root, { recursive: true, force: true });
  });

  test('generator writes every folder', () => {
    const folders = readdirSync(join(root, 'specifications'));
    const first = join(root, 'specifications', generated[0]!.folder);

    assert.equal(folders.length, FOLDERS);
    assert.equal(new Set(generated.map((item) => item.uuid)).size, FOLDERS);
    assert.ok(existsSync(join(first, 'api.yaml')));
    assert.ok(existsSync(join(first, 'attachments', 'documentation.md')));
  });

  test('generated store loads cleanly', async () => {
    const response = await fetch(origin + PREFIX);
    const listing = (await response.json()) as {
      integrations: Record<
        string,
        { resources: Record<string, { resource_type: string; content?: string }> }
      >;
    };
    const one = listing.integrations[generated[0]!.uuid];
    const file = one?.resources[generated[0]!.fileResourceId];

    assert.equal(response.status, 200);
    assert.equal(Object.keys(listing.integrations).length, FOLDERS);
    assert.deepEqual(service.providers[0]?.loadProblems, []);
    assert.equal(Object.keys(one?.resources ?? {}).length, 3);
    assert.match(file?.content ?? '', /^# Generated Service 0/);
  });

  test('bare server sends identical bytes', async () => {
    const { uuid, exampleResourceIds } = generated[3]!;
    const paths = [
      PREFIX,
      `${PREFIX}/${uuid}`,
      `${PREFIX}/${uuid}/example/${exampleResourceIds[0]}`,
    ];
    const bare = createBareServer(await fetchResponses(origin, paths));

    bare.listen(0, '127.0.0.1');
    await once(bare, 'listening');

    const bareOrigin = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

    try {
      for (const path of paths) {
        const real = await fetch(origin + path);
        const copy = await fetch(bareOrigin + path);

        assert.equal(copy.status, 200, path);
        assert.deepEqual(
          Buffer.from(await copy.arrayBuffer()),
          Buffer.from(await real.arrayBuffer()),
          path,
        );
        assert.equal(copy.headers.get('etag'), real.headers.get('etag'), path);
        assert.equal(copy.headers.get('content-type'), real.headers.get('content-type'), path);
        assert.deepEqual(headerNames(copy.headers), headerNames(real.headers), path);
      }

      const missing = await fetch(`${bareOrigin}${PREFIX}/unknown`);

      assert.equal(missing.status, 404);
    } finally {
      bare.close();
    }
  });

  test('bare server rejects failed fetch', async () => {
    await assert.rejects(
      fetchResponses(origin, [`${PREFIX}/unknown-integration`]),
      /returned status 404/,
    );
  });

  test('writes add distinct examples', async () => {
    const { uuid } = generated[5]!;
    const result = await measureWrites({
      origin,
      writes: 6,
      connections: 2,
      next: (n) => ({
        path: `${PREFIX}/${uuid}/example`,
        body: JSON.stringify({
          resource_type: 'example',
          query: `query ${n}`,
          code: `print(${n})`,
        }),
      }),
    });
    const examples = (await (await fetch(`${origin}${PREFIX}/${uuid}/example`)).json()) as {
      resources: unknown[];
    };

    assert.equal(result.failures, 0);
    assert.equal(result.writes, 6);
    assert.ok(result.p99Ms >= result.p50Ms);
    assert.equal(examples.resources.length, 2 + 6);
  });

  test('wrk output parses', () => {
    const result = parseWrkOutput(WRK_OUTPUT);

    assert.equal(result.requestsPerSecond, 37950.12);
    assert.equal(result.p50Ms, 0.38);
    assert.equal(result.p99Ms, 1.25);
    assert.equal(result.failures, 6);
    assert.throws(() => parseWrkOutput('unable to connect'), /no Requests\/sec/);
  });

  test('median and percentile', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99), 10);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5), 5);
  });

  test('targets judge measurements', () => {
    const rows = evaluateTargets({
      reads: [
        { ...readRow('listing-corpus', 1), ratio: 0.85 },
        { ...readRow('integration-corpus', 16), ratio: 0.5 },
      ],
      writes: [
        {
          scenario: 'add-example-30',
          connections: 1,
          writes: 1,
          requestsPerSecond: 1,
          p50Ms: 2,
          p99Ms: 3,
          failures: 0,
          load: 0,
        },
        {
          scenario: 'add-example-10000',
          connections: 1,
          writes: 1,
          requestsPerSecond: 1,
          p50Ms: 4,
          p99Ms: 5,
          failures: 0,
          load: 0,
        },
      ],
      startups: [],
      memory: [],
    });
    const verdict = (prefix: string) => rows.find((row) => row.target.startsWith(prefix))?.verdict;

    assert.equal(verdict('Listing on the real corpus'), 'met');
    assert.equal(verdict('GET of one integration'), 'missed');
    assert.equal(verdict('GET of one resource'), 'not measured');
    assert.equal(verdict('Adding one example: median'), 'met');
    assert.equal(verdict('Adding one example at 10,000'), 'missed');
  });
});

function readRow(scenario: string, connections: number) {
  return {
    scenario,
    path: '/',
    connections,
    realRps: 1,
    bareRps: 1,
    ratio: 1,
    realP50Ms: 1,
    realP99Ms: 1,
    bareP50Ms: 1,
    bareP99Ms: 1,
    realCpuUs: 15,
    bareCpuUs: 13,
    failures: 0,
    load: 0,
  };
}

test('cpuSeconds grows while a process computes', () => {
  const before = cpuSeconds(process.pid);
  const until = performance.now() + 100;
  let spins = 0;

  while (performance.now() < until) spins++;

  assert.ok(spins > 0);
  assert.ok(
    cpuSeconds(process.pid) - before >= 0.05,
    'at least 50 ms of CPU time over 100 ms of spinning',
  );
});

function headerNames(headers: Headers): string[] {
  const names: string[] = [];

  headers.forEach((_value, name) => names.push(name));

  return names.sort();
}
