import { loadavg } from 'node:os';

import {
  cpuSeconds,
  readMemory,
  startBareServer,
  startRealServer,
  type Memory,
  type RunningProcess,
} from './processes.js';
import { API_PREFIX, type BenchContext, type ReadTarget, type Scenario } from './scenarios.js';
import { median } from './stats.js';
import { runWrk, type LoadResult } from './wrk.js';

export interface ReadRow {
  scenario: string;
  path: string;
  connections: number;
  realRps: number;
  bareRps: number;
  /** Median over runs of real ÷ bare requests per second, each pair measured back to back. */
  ratio: number;
  realP50Ms: number;
  realP99Ms: number;
  bareP50Ms: number;
  bareP99Ms: number;
  /** Median CPU time of each server per request, in microseconds, from `/proc/<pid>/stat`. */
  realCpuUs: number;
  bareCpuUs: number;
  /** Failed responses over all runs of both servers; any makes the row invalid. */
  failures: number;
  /** One-minute load average when the row's runs started. */
  load: number;
}

export interface ReadResult {
  rows: ReadRow[];
  /** Real server's memory after the last run. */
  memory: Memory;
  responseBytes: number;
}

type ReadScenario = Extract<Scenario, { kind: 'read' }>;

/** One wrk run and the CPU time the server used for it, per request. */
interface MeasuredRun extends LoadResult {
  cpuUs: number;
}

/**
 * Measures one GET route on the real server and on the bare server, which
 * serves the same bytes. Runs alternate between the two servers so that a
 * change in machine load hits both sides of a ratio alike.
 */
export async function runReadScenario(
  scenario: ReadScenario,
  context: BenchContext,
): Promise<ReadResult> {
  const store = await context.store(scenario.store);
  const options = {
    data: store.root,
    cacheHome: await context.cacheHome(),
    core: context.serverCore,
  };

  // A service restarts with the parse cache file its previous start wrote,
  // so reads are measured after such a restart unless the scenario is cold.
  if (scenario.cold !== true) await (await startRealServer(options)).stop();

  const real = await startRealServer(options);

  try {
    const path = await targetPath(real.url, scenario.target);
    const bare = await startBareServer(real.url, [path], context.serverCore);

    try {
      const responseBytes = await bodyLength(bare.url, path);
      const rows = await measureBoth(scenario.name, path, real, bare, context);

      return { rows, memory: readMemory(real.pid), responseBytes };
    } finally {
      await bare.stop();
    }
  } finally {
    await real.stop();
  }
}

async function measureBoth(
  name: string,
  path: string,
  real: RunningProcess,
  bare: RunningProcess,
  context: BenchContext,
): Promise<ReadRow[]> {
  const { settings } = context;
  const load = (url: string, connections: number, durationSeconds: number) =>
    runWrk({ url: url + path, connections, durationSeconds, core: context.clientCore });
  const measure = async (server: RunningProcess, connections: number): Promise<MeasuredRun> => {
    const cpuBefore = cpuSeconds(server.pid);
    const result = await load(server.url, connections, settings.durationSeconds);
    const requests = result.requestsPerSecond * settings.durationSeconds;

    return { ...result, cpuUs: ((cpuSeconds(server.pid) - cpuBefore) * 1e6) / requests };
  };

  context.progress(`${name}: warming up ${path}`);
  await load(bare.url, 16, settings.warmupSeconds);
  await load(real.url, 16, settings.warmupSeconds);

  const rows: ReadRow[] = [];

  for (const connections of settings.connections) {
    const realRuns: MeasuredRun[] = [];
    const bareRuns: MeasuredRun[] = [];
    const started = loadavg()[0] ?? 0;

    for (let run = 0; run < settings.runs; run++) {
      context.progress(`${name}: run ${run + 1}/${settings.runs}, ${connections} connections`);

      // Alternating which server goes first cancels a steady drift in load.
      if (run % 2 === 0) {
        bareRuns.push(await measure(bare, connections));
        realRuns.push(await measure(real, connections));
      } else {
        realRuns.push(await measure(real, connections));
        bareRuns.push(await measure(bare, connections));
      }
    }

    rows.push(readRow(name, path, connections, realRuns, bareRuns, started));
  }

  return rows;
}

function readRow(
  scenario: string,
  path: string,
  connections: number,
  realRuns: MeasuredRun[],
  bareRuns: MeasuredRun[],
  load: number,
): ReadRow {
  const ratios = realRuns.map(
    (run, index) => run.requestsPerSecond / bareRuns[index]!.requestsPerSecond,
  );
  const medianOf = (runs: MeasuredRun[], pick: (run: MeasuredRun) => number) =>
    median(runs.map(pick));

  return {
    scenario,
    path,
    connections,
    realRps: medianOf(realRuns, (run) => run.requestsPerSecond),
    bareRps: medianOf(bareRuns, (run) => run.requestsPerSecond),
    ratio: median(ratios),
    realP50Ms: medianOf(realRuns, (run) => run.p50Ms),
    realP99Ms: medianOf(realRuns, (run) => run.p99Ms),
    bareP50Ms: medianOf(bareRuns, (run) => run.p50Ms),
    bareP99Ms: medianOf(bareRuns, (run) => run.p99Ms),
    realCpuUs: medianOf(realRuns, (run) => run.cpuUs),
    bareCpuUs: medianOf(bareRuns, (run) => run.cpuUs),
    failures: [...realRuns, ...bareRuns].reduce((sum, run) => sum + run.failures, 0),
    load,
  };
}

interface ListedIntegration {
  uuid: string;
  resources: Record<string, { resource_id: string; resource_type: string }>;
}

/**
 * Path of the route under test. Single GETs address the integration of
 * median JSON size, so that neither a tiny nor a huge one decides the
 * figure, and its first example.
 */
export async function targetPath(origin: string, target: ReadTarget): Promise<string> {
  if (target === 'listing') return API_PREFIX;

  const integration = await medianIntegration(origin);

  if (target === 'integration') return `${API_PREFIX}/${integration.uuid}`;

  const resources = Object.values(integration.resources);
  const resource = resources.find((item) => item.resource_type === 'example') ?? resources[0];

  if (resource === undefined) throw new Error(`integration ${integration.uuid} has no resource`);

  return `${API_PREFIX}/${integration.uuid}/${resource.resource_type}/${resource.resource_id}`;
}

async function medianIntegration(origin: string): Promise<ListedIntegration> {
  const response = await fetch(new URL(API_PREFIX, origin));
  const listing = (await response.json()) as { integrations: Record<string, ListedIntegration> };
  const bySize = Object.values(listing.integrations)
    .map((integration) => ({ integration, size: JSON.stringify(integration).length }))
    .sort((a, b) => a.size - b.size || a.integration.uuid.localeCompare(b.integration.uuid));
  const middle = bySize[Math.floor(bySize.length / 2)];

  if (middle === undefined) throw new Error(`the store served at ${origin} has no integration`);

  return middle.integration;
}

async function bodyLength(origin: string, path: string): Promise<number> {
  const response = await fetch(new URL(path, origin));

  return (await response.arrayBuffer()).byteLength;
}
