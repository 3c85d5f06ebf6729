import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import fc from 'fast-check';

import { commands, newTotals, runSequence } from './fuzz-model.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const MAX_COMMANDS = 60;

/**
 * Sends random sequences of valid and invalid requests to the real server
 * and checks each response against a model of the store. Each sequence ends
 * with a restart that compares the disk with the model. The long run is
 * fuzz-long.ts.
 */
test('random requests agree with the model', async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'beaker-fuzz-'));
  const totals = newTotals();
  const seed = process.env.FUZZ_SEED === undefined ? Date.now() : Number(process.env.FUZZ_SEED);

  t.diagnostic(`seed ${seed} (set FUZZ_SEED to repeat), ${RUNS} runs`);

  try {
    await fc.assert(
      fc.asyncProperty(
        fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'max' }),
        (sequence) => runSequence(work, sequence, totals),
      ),
      { numRuns: RUNS, seed },
    );
  } finally {
    const statuses = [...totals.statuses].sort(([a], [b]) => a - b);

    t.diagnostic(
      `${totals.requests} requests in ${totals.runs} runs; by status: ${statuses.map(([status, n]) => `${status}×${n}`).join(' ')}`,
    );
    await rm(work, { recursive: true, force: true });
  }
});
