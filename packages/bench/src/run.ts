import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { generateStore } from './generate.js';
import { CLIENT_CORE, SERVER_CORE, type Pinning } from './processes.js';
import { runReadScenario } from './read-scenario.js';
import type { BenchContext, Scenario, Settings, StoreHandle, StoreSize } from './scenarios.js';
import { runStartupScenario } from './startup-scenario.js';
import type { Measurements } from './targets.js';
import { runWriteScenario } from './write-scenario.js';

/**
 * The parse cache skips files changed less than 2 s before a load (the
 * store's guard against coarse timestamps), so a new store must be older
 * than this, in milliseconds, before a warm start can find every file cached.
 */
const CACHE_SETTLE_MS = 2_500;

export interface RunOptions {
  settings: Settings;
  pinning: Pinning;
  /** Folder of real integration folders; its scenarios are skipped when it does not exist. */
  corpus: string;
  /** Keeps the temporary folder of stores instead of removing it at the end. */
  keep: boolean;
}

export interface RunOutcome {
  measurements: Measurements;
  skipped: string[];
  responseBytes: Record<string, number>;
  /** True when a scenario failed. Its error is listed in `skipped`. */
  failed: boolean;
}

/** Runs scenarios one after another in a temporary folder, collecting every figure. */
export async function runScenarios(
  scenarios: Scenario[],
  options: RunOptions,
): Promise<RunOutcome> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'beaker-bench-'));
  const context = benchContext(workDir, options);
  const outcome: RunOutcome = {
    measurements: { reads: [], writes: [], startups: [], memory: [] },
    skipped: [],
    responseBytes: {},
    failed: false,
  };

  try {
    for (const scenario of scenarios) {
      if (scenario.store === 'corpus' && !existsSync(options.corpus)) {
        outcome.skipped.push(`${scenario.name}: no corpus at ${options.corpus}`);
        continue;
      }

      try {
        await runScenario(scenario, context, outcome);
      } catch (error) {
        outcome.failed = true;
        outcome.skipped.push(`${scenario.name} failed: ${(error as Error).message}`);
        context.progress(`${scenario.name} failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
  } finally {
    if (options.keep) context.progress(`stores kept in ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }

  return outcome;
}

async function runScenario(scenario: Scenario, context: BenchContext, outcome: RunOutcome) {
  const { measurements } = outcome;

  if (scenario.kind === 'startup') {
    const row = await runStartupScenario(scenario, context);

    measurements.startups.push(row);
    measurements.memory.push({
      scenario: scenario.name,
      when: 'after start-up',
      rssMb: row.rssMb,
      peakMb: row.peakMb,
    });
  } else if (scenario.kind === 'read') {
    const result = await runReadScenario(scenario, context);

    measurements.reads.push(...result.rows);
    measurements.memory.push({
      scenario: scenario.name,
      when: 'after the load runs',
      ...result.memory,
    });
    outcome.responseBytes[scenario.name] = result.responseBytes;
  } else {
    measurements.writes.push(...(await runWriteScenario(scenario, context)));
  }
}

function benchContext(workDir: string, options: RunOptions): BenchContext {
  const stores = new Map<StoreSize, Promise<StoreHandle>>();
  let caches = 0;
  const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

  return {
    settings: options.settings,
    pinning: options.pinning,
    serverCore: options.pinning.works ? SERVER_CORE : undefined,
    clientCore: options.pinning.works ? CLIENT_CORE : undefined,
    workDir,
    progress,
    store(size) {
      let store = stores.get(size);

      if (store === undefined) {
        store = prepareStore(workDir, size, options.corpus, progress);
        stores.set(size, store);
      }

      return store;
    },
    async cacheHome() {
      const folder = path.join(workDir, `cache-${++caches}`);

      await mkdir(folder);

      return folder;
    },
  };
}

async function prepareStore(
  workDir: string,
  size: StoreSize,
  corpus: string,
  progress: (message: string) => void,
): Promise<StoreHandle> {
  const root = path.join(workDir, `store-${size}`);
  const started = performance.now();

  if (size === 'corpus') {
    await cp(corpus, root, { recursive: true });
    // The corpus is read-only, so the copy is made writable and removable.
    spawnSync('chmod', ['-R', 'u+w', root]);
  } else {
    generateStore(root, size, { seed: `store ${size}` });
  }

  progress(`store ${size} ready in ${Math.round(performance.now() - started)} ms`);
  await sleep(CACHE_SETTLE_MS);

  return { root };
}
