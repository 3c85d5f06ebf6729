import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort, readMemory, spawnRealServer, stopProcess, type Memory } from './processes.js';
import type { BenchContext, Scenario } from './scenarios.js';
import { median } from './stats.js';

export interface StartupRow {
  scenario: string;
  folders: number;
  /** Median milliseconds from spawn to the first 200 from `/healthz`, without a parse cache file. */
  coldMs: number;
  /** The same with the cache file left by the previous start. */
  warmMs: number;
  /** Median resident memory right after start-up, in MB (cold and warm starts together). */
  rssMb: number;
  /** Median peak resident memory during start-up, in MB. */
  peakMb: number;
  starts: number;
}

type StartupScenario = Extract<Scenario, { kind: 'startup' }>;

/** Milliseconds between two `/healthz` probes while a server starts. */
const PROBE_INTERVAL_MS = 5;

const START_TIMEOUT_MS = 120_000;

/**
 * Measures start-up: the time from spawning the server to its first
 * successful `GET /healthz`, first without a parse cache file (cold) and
 * then with the file that start wrote (warm). The server is not pinned
 * here, because loading may use both cores of the machine.
 */
export async function runStartupScenario(
  scenario: StartupScenario,
  context: BenchContext,
): Promise<StartupRow> {
  const store = await context.store(scenario.store);

  const cold: number[] = [];
  const warm: number[] = [];
  const memory: Memory[] = [];

  for (let round = 0; round < context.settings.startups; round++) {
    const cacheHome = await context.cacheHome();

    context.progress(`${scenario.name}: start ${round + 1}/${context.settings.startups}`);

    for (const times of [cold, warm]) {
      const start = await timeStart(store.root, cacheHome);

      times.push(start.ms);
      memory.push(start.memory);
    }
  }

  return {
    scenario: scenario.name,
    folders: scenario.store,
    coldMs: median(cold),
    warmMs: median(warm),
    rssMb: median(memory.map((item) => item.rssMb)),
    peakMb: median(memory.map((item) => item.peakMb)),
    starts: context.settings.startups,
  };
}

async function timeStart(data: string, cacheHome: string): Promise<{ ms: number; memory: Memory }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnRealServer({ data, cacheHome, port });
  let output = '';

  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null)
        throw new Error(`server exited with status ${child.exitCode}:\n${output}`);
      if (performance.now() - started > START_TIMEOUT_MS)
        throw new Error(`server did not start within ${START_TIMEOUT_MS} ms`);

      await sleep(PROBE_INTERVAL_MS);
    }

    const ms = performance.now() - started;

    return { ms, memory: readMemory(child.pid ?? 0) };
  } finally {
    await stopProcess(child);
  }
}

/** Checks that `/healthz` returns 200, with node:http because the first call of fetch loads undici. */
function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode === 200));
    });

    request.once('error', () => resolve(false));
  });
}
