/** Unit tests of the UI's pure modules: list filtering, file reading and error wording. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { errorFromProblem } from '@beaker-integrations/client';
import type { Integration } from '@beaker-integrations/model';

import { describeError, fieldName, isStale } from '../src/errors.js';
import {
  NotTextError,
  baseName,
  formatBytes,
  readTextFile,
  variableNameFor,
} from '../src/files.js';
import { filterRows, foldText, plainSnippet, providerNames, toRows } from '../src/list-filter.js';

function integration(overrides: Partial<Integration>): Integration {
  return {
    uuid: 'u',
    name: 'Name',
    description: '',
    provider: 'adhoc:local',
    slug: 'name',
    datatype: 'api',
    url: null,
    img_url: null,
    source: '',
    last_updated: null,
    resources: {},
    ...overrides,
  };
}

function problem(status: number, detail: string, extra: Record<string, string> = {}) {
  return errorFromProblem({ type: 'about:blank', title: 't', status, detail, code: 'c', ...extra });
}

describe('list filter', () => {
  const names = providerNames({
    local: { provider_type: 'adhoc', display_name: 'Local folders', mutable: true },
    shared: { provider_type: 'adhoc', display_name: 'Shared', mutable: false },
  });
  const rows = toRows(
    {
      a: integration({
        uuid: 'a',
        name: 'Zeta Ünïcödé',
        slug: 'zeta',
        description: 'Weather **data**',
        resources: {
          f: {
            resource_type: 'file',
            resource_id: 'f',
            integration: 'a',
            name: 'n',
            filepath: 'n.md',
            content: '',
          },
          e: {
            resource_type: 'example',
            resource_id: 'e',
            integration: 'a',
            query: 'q',
            code: 'c',
            notes: null,
          },
        },
      }),
      b: integration({
        uuid: 'b',
        name: 'Alpha',
        slug: 'alpha_db',
        datatype: 'database',
        provider: 'adhoc:shared',
        description: 'Population counts',
      }),
    },
    names,
  );

  test('rows sorted by name', () => {
    assert.deepEqual(
      rows.map((row) => row.uuid),
      ['b', 'a'],
    );
  });

  test('rows count resources', () => {
    assert.equal(rows[1]?.files, 1);
    assert.equal(rows[1]?.examples, 1);
    assert.equal(rows[0]?.files, 0);
  });

  test('rows name providers', () => {
    assert.equal(rows[0]?.providerName, 'Shared');
    assert.equal(rows[1]?.providerName, 'Local folders');
  });

  test('query ignores case and accents', () => {
    const found = filterRows(rows, { query: 'UNICODE', provider: '', datatype: '' });

    assert.deepEqual(
      found.map((row) => row.uuid),
      ['a'],
    );
  });

  test('query matches slug and description', () => {
    assert.equal(filterRows(rows, { query: 'alpha_db', provider: '', datatype: '' }).length, 1);
    assert.equal(filterRows(rows, { query: 'weather', provider: '', datatype: '' }).length, 1);
  });

  test('query words all match', () => {
    assert.equal(filterRows(rows, { query: 'weather zeta', provider: '', datatype: '' }).length, 1);
    assert.equal(
      filterRows(rows, { query: 'weather alpha', provider: '', datatype: '' }).length,
      0,
    );
  });

  test('provider and datatype filter', () => {
    assert.deepEqual(
      filterRows(rows, { query: '', provider: 'adhoc:shared', datatype: '' }).map(
        (row) => row.uuid,
      ),
      ['b'],
    );
    assert.deepEqual(
      filterRows(rows, { query: '', provider: '', datatype: 'api' }).map((row) => row.uuid),
      ['a'],
    );
  });

  test('fold removes diacritics', () => {
    assert.equal(foldText('Ünïcödé 天气'), 'unicode 天气');
  });

  test('snippet strips markdown', () => {
    assert.equal(
      plainSnippet('# Title\n\nSee [the docs](https://x.test) and <b>bold</b> `code`.'),
      'Title See the docs and bold code .',
    );
  });

  test('snippet cuts long text at a word', () => {
    const snippet = plainSnippet('word '.repeat(100), 22);

    assert.equal(snippet, 'word word word word…');
  });
});

describe('file reading', () => {
  test('multi-byte text read exactly', async () => {
    const text = `Ünïcödé ✓ 天气 😀\n${'ß∑天'.repeat(50_000)}`;
    const file = new File([Buffer.from(text, 'utf8')], 'notes.md');

    assert.equal(await readTextFile(file), text);
  });

  test('byte-order mark kept', async () => {
    const file = new File([Buffer.from('\uFEFFtext', 'utf8')], 'bom.txt');

    assert.equal(await readTextFile(file), '\uFEFFtext');
  });

  test('invalid UTF-8 rejected', async () => {
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff])], 'image.png');

    await assert.rejects(readTextFile(file), NotTextError);
  });

  test('variable names from file names', () => {
    assert.equal(variableNameFor('forecast_parameters.md'), 'forecast_parameters');
    assert.equal(variableNameFor('station notes-v2.txt'), 'station_notes_v2');
    assert.equal(variableNameFor('2024 data.csv'), '_2024_data');
    assert.equal(variableNameFor('天气.txt'), '天气');
    assert.equal(variableNameFor('.txt'), '_txt');
  });

  test('base name of a path', () => {
    assert.equal(baseName('guides/api.md'), 'api.md');
    assert.equal(baseName('api.md'), 'api.md');
  });

  test('byte sizes', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MiB');
  });
});

describe('error wording', () => {
  test('conflict names the slug', () => {
    const message = describeError(problem(409, 'slug taken'), {
      subject: 'integration',
      slug: 'open_meteo',
    });

    assert.equal(
      message.text,
      'Another integration already uses that name (slug “open_meteo”). Choose a different name.',
    );
  });

  test('stale write is marked', () => {
    const error = problem(412, 'changed');
    const message = describeError(error, { subject: 'example' });

    assert.equal(message.stale, true);
    assert.equal(isStale(error), true);
    assert.match(message.text, /your change to the example was not saved/);
  });

  test('invalid input names field', () => {
    const message = describeError(
      problem(400, 'must not contain ..', { field: 'resources.r1.filepath' }),
      {
        subject: 'file',
      },
    );

    assert.equal(message.field, 'filepath');
    assert.equal(message.text, 'The service rejected a value in “filepath”: must not contain ..');
  });

  test('server failure gives request id', () => {
    const message = describeError(problem(500, 'internal error', { request_id: 'req-1' }), {
      subject: 'integration',
    });

    assert.match(message.text, /status 500 \(request id req-1\)/);
  });

  test('network failure says unreachable', () => {
    const message = describeError(new TypeError('Failed to fetch'), { subject: 'list' });

    assert.match(message.text, /could not be reached/);
  });

  test('body field is no form field', () => {
    assert.equal(fieldName('body'), undefined);
    assert.equal(fieldName(undefined), undefined);
    assert.equal(fieldName('name'), 'name');
  });
});
