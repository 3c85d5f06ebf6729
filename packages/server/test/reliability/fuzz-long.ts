/*
 * The long run of the property-based test in fuzz.test.ts: random request
 * sequences against the real server until a number of requests is reached,
 * each sequence ending with a restart that compares the disk with the model.
 *
 *   node --conditions=source --import tsx \
 *     packages/server/test/reliability/fuzz-long.ts --requests 100000
 *
 * Options: --requests N (default 100000), --seed N (default: the clock),
 * --max-commands N per sequence (default 200). A failure prints the seed
 * and the shrunk sequence; `--seed` with that seed repeats it first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import fc from 'fast-check';

import { commands, newTotals, runSequence, type FuzzTotals } from './fuzz-model.js';

const PROGRESS_EVERY = 10_000;

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    'max-commands': { type: 'string', default: '200' },
  },
});

const target = Number(values.requests);
const maxCommands = Number(values['max-commands']);
const baseSeed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const work = await mkdtemp(join(tmpdir(), 'beaker-fuzz-long-'));
const totals = newTotals();
const started = performance.now();
let sequences = 0;
let nextReport = PROGRESS_EVERY;

console.log(
  `fuzzing until ${target} requests; seed ${baseSeed}, up to ${maxCommands} commands per sequence`,
);

try {
  while (totals.requests < target) {
    const seed = baseSeed + sequences;

    sequences += 1;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands, size: 'max' }), (sequence) =>
        runSequence(work, sequence, totals),
      ),
      { numRuns: 1, seed },
    );

    if (totals.requests >= nextReport) {
      console.log(`${totals.requests} requests, ${sequences} sequences, ${elapsedSeconds()} s`);
      nextReport += PROGRESS_EVERY;
    }
  }

  report(totals);
} finally {
  await rm(work, { recursive: true, force: true });
}

function elapsedSeconds(): number {
  return Math.round((performance.now() - started) / 1000);
}

function report(done: FuzzTotals): void {
  const seconds = (performance.now() - started) / 1000;
  const statuses = [...done.statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');

  console.log(
    [
      `requests: ${done.requests} (${Math.round(done.requests / seconds)} per second)`,
      `sequences: ${sequences}, each ended by a restart and a comparison with the disk`,
      `statuses: ${statuses}`,
      `duration: ${seconds.toFixed(1)} s`,
      `seed: ${baseSeed}`,
    ].join('\n'),
  );
}
