import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MAX_ID_LENGTH } from '@beaker-integrations/model';

import { parseReadPath, ReadPaths } from '../src/routes/read-paths.js';

const PREFIX = '/beaker/integrations';

describe('read paths', () => {
  test('parses listing, integration and resource paths', () => {
    assert.deepEqual(parseReadPath(`${PREFIX}/s1`), {
      sessionId: 's1',
      integrationId: undefined,
      type: undefined,
      resourceId: undefined,
    });
    assert.deepEqual(parseReadPath(`${PREFIX}/s1/i-1/`), {
      sessionId: 's1',
      integrationId: 'i-1',
      type: undefined,
      resourceId: undefined,
    });
    assert.deepEqual(parseReadPath(`${PREFIX}/s1/i-1/example/r_2`), {
      sessionId: 's1',
      integrationId: 'i-1',
      type: 'example',
      resourceId: 'r_2',
    });
  });

  test('rejects every other URL', () => {
    const others = [
      PREFIX,
      `${PREFIX}/`,
      `${PREFIX}/s1?view=summary`,
      `${PREFIX}/s1/bad%2Fid`,
      `${PREFIX}/s1/i1/example`,
      `${PREFIX}/s1/i1/ex-ample/r1`,
      `${PREFIX}/s1//i1`,
      `${PREFIX}/s1/i1/example/r1/extra`,
      `${PREFIX}/${'a'.repeat(MAX_ID_LENGTH + 1)}`,
      '/beaker/sessions/s1',
    ];

    for (const url of others) assert.equal(parseReadPath(url), null, url);
  });

  test('remembers a parsed URL', () => {
    const paths = new ReadPaths();
    const first = paths.parse(`${PREFIX}/s1/i1`);

    assert.equal(paths.parse(`${PREFIX}/s1/i1`), first);
    assert.equal(paths.size, 1);
  });

  test('forgets the oldest past the limit', () => {
    const paths = new ReadPaths(3);
    const first = paths.parse(`${PREFIX}/s1/i1`);

    paths.parse(`${PREFIX}/s1/i2`);
    paths.parse(`${PREFIX}/s1/i3`);
    paths.parse(`${PREFIX}/s1/i4`);

    assert.equal(paths.size, 3);
    assert.notEqual(paths.parse(`${PREFIX}/s1/i1`), first);
    assert.deepEqual(paths.parse(`${PREFIX}/s1/i1`), first);
  });

  test('skips URLs too long for a path', () => {
    const paths = new ReadPaths();
    const long = `${PREFIX}/s1/${'a'.repeat(5000)}`;

    assert.equal(paths.parse(long), null);
    assert.equal(paths.size, 0);
  });
});
