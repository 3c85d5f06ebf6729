import type { Pinning } from './processes.js';

/** A store to run on: the copy of the real corpus, or a generated store of that many integrations. */
export type StoreSize = 'corpus' | number;

export type ReadTarget = 'listing' | 'integration' | 'resource';
export type WriteKind = 'add-example' | 'update-integration';

export type Scenario =
  | {
      kind: 'read';
      name: string;
      store: StoreSize;
      target: ReadTarget;
      /** Serve from a first start's load, without a parse cache file; default: a restart with one. */
      cold?: boolean;
    }
  | { kind: 'write'; name: string; store: number; write: WriteKind }
  | { kind: 'startup'; name: string; store: number };

export interface Settings {
  /** Measured runs per server and connection count; medians are taken over them. */
  runs: number;
  /** Seconds of one wrk run. */
  durationSeconds: number;
  /** Seconds of wrk against each server before measuring, so the JIT has compiled the hot paths. */
  warmupSeconds: number;
  /** Connection counts of every read and write scenario. */
  connections: number[];
  /** POSTs per run of a write scenario. */
  writes: number;
  /** Starts per variant (cold, warm) of a start-up scenario. */
  startups: number;
}

export const FULL_SETTINGS: Settings = {
  runs: 3,
  durationSeconds: 5,
  warmupSeconds: 2,
  connections: [1, 16],
  writes: 200,
  startups: 3,
};

export const QUICK_SETTINGS: Settings = {
  runs: 1,
  durationSeconds: 1,
  warmupSeconds: 1,
  connections: [1, 16],
  writes: 30,
  startups: 1,
};

/** A store ready to serve. */
export interface StoreHandle {
  root: string;
}

/** Services and settings that every scenario runner uses. */
export interface BenchContext {
  settings: Settings;
  pinning: Pinning;
  /** Core of the servers, or undefined when pinning does not work. */
  serverCore: number | undefined;
  /** Core of wrk, or undefined when pinning does not work. */
  clientCore: number | undefined;
  workDir: string;
  /** The store of that size, generated (or copied) on first use. */
  store(size: StoreSize): Promise<StoreHandle>;
  /** A new, empty folder to use as `XDG_CACHE_HOME`. */
  cacheHome(): Promise<string>;
  /** Prints progress to stderr. */
  progress(message: string): void;
}

/** Session id of every request; unknown ids create a session on the default context. */
export const SESSION = 'bench';

export const API_PREFIX = `/beaker/integrations/${SESSION}`;

/**
 * Every scenario, in the order they run. Start-up comes first for each
 * store because it needs files that no write has touched, and writes come
 * last because they change the stores the reads use.
 */
export const SCENARIOS: Scenario[] = [
  { kind: 'startup', name: 'startup-1000', store: 1000 },
  { kind: 'startup', name: 'startup-10000', store: 10_000 },
  { kind: 'read', name: 'listing-corpus', store: 'corpus', target: 'listing' },
  { kind: 'read', name: 'integration-corpus', store: 'corpus', target: 'integration' },
  { kind: 'read', name: 'resource-corpus', store: 'corpus', target: 'resource' },
  { kind: 'read', name: 'listing-1000', store: 1000, target: 'listing' },
  { kind: 'read', name: 'listing-10000', store: 10_000, target: 'listing' },
  { kind: 'read', name: 'integration-10000', store: 10_000, target: 'integration' },
  { kind: 'read', name: 'resource-10000', store: 10_000, target: 'resource' },
  {
    kind: 'read',
    name: 'integration-10000-cold',
    store: 10_000,
    target: 'integration',
    cold: true,
  },
  { kind: 'write', name: 'add-example-30', store: 30, write: 'add-example' },
  { kind: 'write', name: 'add-example-1000', store: 1000, write: 'add-example' },
  { kind: 'write', name: 'add-example-10000', store: 10_000, write: 'add-example' },
  { kind: 'write', name: 'update-integration-30', store: 30, write: 'update-integration' },
  { kind: 'write', name: 'update-integration-1000', store: 1000, write: 'update-integration' },
  { kind: 'write', name: 'update-integration-10000', store: 10_000, write: 'update-integration' },
];

/** Scenarios whose name starts with one of `filters`; every scenario when there is none. */
export function selectScenarios(filters: readonly string[]): Scenario[] {
  if (filters.length === 0) return SCENARIOS;

  const selected = SCENARIOS.filter((scenario) =>
    filters.some((filter) => scenario.name.startsWith(filter)),
  );

  if (selected.length === 0) {
    const names = SCENARIOS.map((scenario) => scenario.name).join(', ');

    throw new Error(`no scenario matches ${filters.join(', ')}; choose from: ${names}`);
  }

  return selected;
}
