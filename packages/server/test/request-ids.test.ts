import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { RequestIds } from '../src/request-ids.js';

describe('request ids', () => {
  test('counts in base 36 after the prefix, across blocks', () => {
    const ids = new RequestIds('abc123');
    const taken = Array.from({ length: 3000 }, () => ids.next());

    assert.equal(taken[0], 'abc123-000');
    assert.equal(taken[1], 'abc123-001');
    assert.equal(taken[1295], 'abc123-0zz');
    assert.equal(taken[1296], 'abc123-100');
    assert.equal(taken[2999], `abc123-${(2999).toString(36).padStart(3, '0')}`);
    assert.equal(new Set(taken).size, taken.length);
  });

  test('gain a digit when the block number does', () => {
    const ids = new RequestIds('p');
    let last = '';

    for (let count = 0; count <= 36 * 1296; count++) last = ids.next();

    assert.equal(last, `p-${(36 * 1296).toString(36)}`);
  });

  test('differ between processes by their random prefix', () => {
    const first = new RequestIds().next();
    const second = new RequestIds().next();

    assert.match(first, /^[0-9a-f]{12}-000$/);
    assert.notEqual(first, second);
  });
});
