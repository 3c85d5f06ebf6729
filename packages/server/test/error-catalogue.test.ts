import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { ERROR_CODES } from '@beaker-integrations/model';

import { STATUS_BY_CODE } from '../src/problem.js';
import { REPO_ROOT } from './helpers.js';

test('docs list every error code with its status', async () => {
  const page = await readFile(join(REPO_ROOT, 'docs/api.md'), 'utf8');

  for (const code of ERROR_CODES) {
    const row = new RegExp(`^\\| ${STATUS_BY_CODE[code]} \\| \`${code}\` \\|`, 'm');

    assert.match(page, row, `docs/api.md lists ${code} as ${STATUS_BY_CODE[code]}`);
  }

  for (const code of ['payload_too_large', 'route_not_found', 'internal_error']) {
    assert.ok(page.includes(`\`${code}\``), `docs/api.md lists ${code}`);
  }
});
