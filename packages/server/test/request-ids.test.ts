import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { RequestIds } from '../src/request-ids.js';

describe('request ids', () => {
  test('counts in base 36 across blocks', () => {
    const ids = new RequestIds('abc123');
    const issued = Array.from({ length: 3000 }, () => ids.next());

    assert.equal(issued[0], 'abc123-000');
    assert.equal(issued[1], 'abc123-001');
    assert.equal(issued[1295], 'abc123-0zz');
    assert.equal(issued[1296], 'abc123-100');
    assert.equal(issued[2999], `abc123-${(2999).toString(36).padStart(3, '0')}`);
    assert.equal(new Set(issued).size, issued.length);
  });

  test('adds a digit at block 36', () => {
    const ids = new RequestIds('p');
    let last = '';

    for (let count = 0; count <= 36 * 1296; count++) last = ids.next();

    assert.equal(last, `p-${(36 * 1296).toString(36)}`);
  });

  test('differs between processes by prefix', () => {
    const first = new RequestIds().next();
    const second = new RequestIds().next();

    assert.match(first, /^[0-9a-f]{12}-000$/);
    assert.notEqual(first, second);
  });
});
