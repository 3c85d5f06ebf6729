import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { idRecord, toIdRecord } from '@beaker-integrations/model';

test('an id record behaves as an ordinary empty object', () => {
  const record = idRecord<number>();

  assert.equal(Object.getPrototypeOf(record), Object.prototype);
  assert.deepStrictEqual(record, {});

  record['b-2'] = 2;
  record['a-1'] = 1;

  assert.deepStrictEqual(Object.keys(record), ['b-2', 'a-1']);
  assert.equal(JSON.stringify(record), '{"b-2":2,"a-1":1}');
});

test('a copy keeps key order and own __proto__ keys', () => {
  const source = JSON.parse('{"z":1,"__proto__":2,"a":3}') as Record<string, number>;
  const copy = toIdRecord(source);

  assert.deepStrictEqual(Object.keys(copy), ['z', '__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.equal(copy.__proto__, 2);
});

test('V8 keeps an id record in dictionary mode', () => {
  // The reason for id records is a V8 detail, so the check runs V8's own probe.
  const module = fileURLToPath(new URL('../src/id-record.ts', import.meta.url));
  const script = `
    const { idRecord, toIdRecord } = await import(${JSON.stringify(module)});
    const record = idRecord();
    record['4a6c8e0f-2b4d-4f6a-9c1e-3d5f7b9d1f03'] = 1;
    const copy = toIdRecord({ 'd84acd27-c957-402e-9848-613182cef8e8': 1 });
    console.log(JSON.stringify([%HasFastProperties(record), %HasFastProperties(copy), %HasFastProperties({})]));
  `;
  const run = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '--eval', script],
    { encoding: 'utf8' },
  );

  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [false, false, true]);
});
