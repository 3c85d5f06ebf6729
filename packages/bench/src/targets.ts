import type { ReadRow } from './read-scenario.js';
import type { StartupRow } from './startup-scenario.js';
import type { WriteRow } from './write-scenario.js';

export interface MemoryRow {
  scenario: string;
  when: string;
  rssMb: number;
  peakMb: number;
}

export interface Measurements {
  reads: ReadRow[];
  writes: WriteRow[];
  startups: StartupRow[];
  memory: MemoryRow[];
}

export type Verdict = 'met' | 'missed' | 'not measured';

export interface TargetRow {
  target: string;
  measured: string;
  verdict: Verdict;
}

/** Target figures of the service on a 2-core machine, each a same-run ratio or a median. */
export const TARGETS = {
  listingRatio: 0.8,
  singleGetRatio: 0.9,
  addExampleMedianMs: 5,
  addExampleGrowth: 1.5,
  startupMs: 2_500,
  rssMb: 300,
} as const;

/** Checks every measured figure against its target; lower ratios and higher times decide. */
export function evaluateTargets(measurements: Measurements): TargetRow[] {
  return [
    ratioTarget(
      measurements.reads,
      'listing-corpus',
      TARGETS.listingRatio,
      'Listing on the real corpus',
    ),
    ratioTarget(
      measurements.reads,
      'integration-',
      TARGETS.singleGetRatio,
      'GET of one integration',
    ),
    ratioTarget(measurements.reads, 'resource-', TARGETS.singleGetRatio, 'GET of one resource'),
    addExampleMedian(measurements.writes),
    addExampleGrowth(measurements.writes),
    startupTarget(measurements.startups, 'cold'),
    startupTarget(measurements.startups, 'warm'),
    ...memoryTargets(measurements.memory),
  ];
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function verdict(ok: boolean): Verdict {
  return ok ? 'met' : 'missed';
}

function ratioTarget(reads: ReadRow[], prefix: string, minimum: number, label: string): TargetRow {
  const target = `${label}: at least ${percent(minimum)} of the bare server's requests/s`;
  const rows = reads.filter((row) => row.scenario.startsWith(prefix));

  if (rows.length === 0) return { target, measured: '', verdict: 'not measured' };

  const worst = rows.reduce((low, row) => (row.ratio < low.ratio ? row : low));

  return {
    target,
    measured: `lowest ${percent(worst.ratio)} (${worst.scenario}, ${worst.connections} connections)`,
    verdict: verdict(worst.ratio >= minimum),
  };
}

function addExampleRows(writes: WriteRow[]): WriteRow[] {
  return writes.filter((row) => row.scenario.startsWith('add-example-') && row.connections === 1);
}

function addExampleMedian(writes: WriteRow[]): TargetRow {
  const target = `Adding one example: median at most ${TARGETS.addExampleMedianMs} ms`;
  const rows = addExampleRows(writes);

  if (rows.length === 0) return { target, measured: '', verdict: 'not measured' };

  const worst = rows.reduce((high, row) => (row.p50Ms > high.p50Ms ? row : high));

  return {
    target,
    measured: `highest ${worst.p50Ms.toFixed(2)} ms (${worst.scenario})`,
    verdict: verdict(worst.p50Ms <= TARGETS.addExampleMedianMs),
  };
}

function addExampleGrowth(writes: WriteRow[]): TargetRow {
  const target = `Adding one example at 10,000 integrations: at most ${TARGETS.addExampleGrowth} × its median at 30`;
  const rows = addExampleRows(writes);
  const small = rows.find((row) => row.scenario === 'add-example-30');
  const large = rows.find((row) => row.scenario === 'add-example-10000');

  if (small === undefined || large === undefined)
    return { target, measured: '', verdict: 'not measured' };

  const growth = large.p50Ms / small.p50Ms;

  return {
    target,
    measured: `${growth.toFixed(2)} × (${large.p50Ms.toFixed(2)} ms ÷ ${small.p50Ms.toFixed(2)} ms)`,
    verdict: verdict(growth <= TARGETS.addExampleGrowth),
  };
}

function startupTarget(startups: StartupRow[], variant: 'cold' | 'warm'): TargetRow {
  const cache =
    variant === 'cold' ? 'no parse cache file' : 'parse cache file of the previous start';
  const target = `10,000 folders serving within ${TARGETS.startupMs / 1000} s (${variant}: ${cache})`;
  const row = startups.find((item) => item.folders === 10_000);

  if (row === undefined) return { target, measured: '', verdict: 'not measured' };

  const ms = variant === 'cold' ? row.coldMs : row.warmMs;

  return {
    target,
    measured: `${(ms / 1000).toFixed(2)} s`,
    verdict: verdict(ms <= TARGETS.startupMs),
  };
}

function memoryTargets(memory: MemoryRow[]): TargetRow[] {
  const atScale = memory.filter((row) => row.scenario.includes('10000'));
  const afterStart = atScale.filter((row) => row.when === 'after start-up');
  const afterLoad = atScale.filter((row) => row.when !== 'after start-up');

  return [
    worstMemory('after start-up', afterStart, (row) => row.rssMb),
    worstMemory('after the load runs', afterLoad, (row) => row.rssMb),
    worstMemory('at its peak (VmHWM)', atScale, (row) => row.peakMb),
  ];
}

/** Judges the highest figure of `rows` against the memory target. */
function worstMemory(
  when: string,
  rows: MemoryRow[],
  figure: (row: MemoryRow) => number,
): TargetRow {
  const target = `Resident memory at 10,000 integrations ${when}: at most ${TARGETS.rssMb} MB`;
  const worst = rows.reduce<MemoryRow | undefined>(
    (highest, row) => (highest === undefined || figure(row) > figure(highest) ? row : highest),
    undefined,
  );

  if (worst === undefined) return { target, measured: '', verdict: 'not measured' };

  return {
    target,
    measured: `highest ${Math.round(figure(worst))} MB (${worst.scenario})`,
    verdict: verdict(figure(worst) <= TARGETS.rssMb),
  };
}
