import { loadavg } from 'node:os';

import { startRealServer } from './processes.js';
import { API_PREFIX, type BenchContext, type Scenario, type WriteKind } from './scenarios.js';
import { median } from './stats.js';
import { measureWrites, type WriteRequest, type WriteResult } from './writes.js';

export interface WriteRow {
  scenario: string;
  connections: number;
  /** Writes per run. */
  writes: number;
  requestsPerSecond: number;
  /** Median over runs of each run's median latency. */
  p50Ms: number;
  /** Median over runs of each run's 99th percentile latency. */
  p99Ms: number;
  failures: number;
  load: number;
}

type WriteScenario = Extract<Scenario, { kind: 'write' }>;

/** Integrations that the writes of one scenario rotate over. */
const MAX_TARGETS = 100;

/** Writes sent before measuring, so the JIT has compiled the write path. */
const WARMUP_WRITES = 20;

/**
 * Measures POST latency on a store of `scenario.store` integrations. Each
 * write is a distinct change (a new example, or a new description) to one of
 * up to MAX_TARGETS integrations in turn, so no single `api.yaml` grows
 * without bound.
 */
export async function runWriteScenario(
  scenario: WriteScenario,
  context: BenchContext,
): Promise<WriteRow[]> {
  const store = await context.store(scenario.store);
  const real = await startRealServer({
    data: store.root,
    cacheHome: await context.cacheHome(),
    core: context.serverCore,
  });

  try {
    const next = await writeBuilder(real.url, scenario.write);
    const { settings } = context;
    let number = 0;
    const measure = async (connections: number, writes: number) => {
      const result = await measureWrites({
        origin: real.url,
        next,
        writes,
        connections,
        firstNumber: number,
      });

      number += writes;
      if (result.failures > 0)
        throw new Error(`${scenario.name}: ${result.failures} writes failed`);

      return result;
    };

    context.progress(`${scenario.name}: warming up`);
    await measure(1, WARMUP_WRITES);

    const rows: WriteRow[] = [];

    for (const connections of settings.connections) {
      const runs: WriteResult[] = [];
      const load = loadavg()[0] ?? 0;

      for (let run = 0; run < settings.runs; run++) {
        context.progress(
          `${scenario.name}: run ${run + 1}/${settings.runs}, ${connections} connections`,
        );
        runs.push(await measure(connections, settings.writes));
      }

      rows.push(writeRow(scenario.name, connections, settings.writes, runs, load));
    }

    return rows;
  } finally {
    await real.stop();
  }
}

function writeRow(
  scenario: string,
  connections: number,
  writes: number,
  runs: WriteResult[],
  load: number,
): WriteRow {
  return {
    scenario,
    connections,
    writes,
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    load,
  };
}

type Integration = Record<string, unknown> & { uuid: string };

/** Returns the function that builds the `n`th write of a kind. */
async function writeBuilder(origin: string, kind: WriteKind): Promise<(n: number) => WriteRequest> {
  const targets = await listTargets(origin);

  if (kind === 'add-example') {
    return (n) => {
      const uuid = targets[n % targets.length]!.uuid;
      const body = {
        resource_type: 'example',
        query: `How many records were added in bench write ${n}?`,
        code: `import requests\n\nprint(requests.get("https://api.example.org/count/${n}").json())`,
        notes: null,
      };

      return { path: `${API_PREFIX}/${uuid}/example`, body: JSON.stringify(body) };
    };
  }

  // Beaker's frontend saves an integration by sending it back whole, with
  // its resources, which the server ignores; the bench sends the same.
  return (n) => {
    const integration = targets[n % targets.length]!;
    const body = { ...integration, description: `Description saved by bench write ${n}.` };

    return { path: `${API_PREFIX}/${integration.uuid}`, body: JSON.stringify(body) };
  };
}

/** The first MAX_TARGETS integrations of the listing, in uuid order. */
async function listTargets(origin: string): Promise<Integration[]> {
  const response = await fetch(new URL(API_PREFIX, origin));
  const listing = (await response.json()) as { integrations: Record<string, Integration> };
  const integrations = Object.values(listing.integrations)
    .sort((a, b) => a.uuid.localeCompare(b.uuid))
    .slice(0, MAX_TARGETS);

  if (integrations.length === 0)
    throw new Error(`the store served at ${origin} has no integration`);

  return integrations;
}
