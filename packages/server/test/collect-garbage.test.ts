import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate } from 'node:timers/promises';

import { collectGarbage } from '../src/collect-garbage.js';

test('collectGarbage frees unreachable objects', async () => {
  const ref = new WeakRef({ payload: new Array<number>(10_000).fill(1) });

  // A new WeakRef keeps its target alive until the current job ends.
  await setImmediate();

  const durationMs = collectGarbage();

  assert.equal(ref.deref(), undefined);
  assert.ok(durationMs >= 0);
});

test('collectGarbage adds no global gc function', () => {
  collectGarbage();

  assert.equal('gc' in globalThis, false);
});
