import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  API,
  EXAMPLES_ROOT,
  send,
  sendRaw,
  snapshot,
  startLocal,
  type LocalServer,
  type Reply,
} from './support.js';

// Ids of examples/integrations, which every test here starts from.
const METEO = '7d4c2b7e-5a61-4f0e-9a55-6e2f1c9d8a01';
const METEO_FILE = '1f0c6a52-3b1e-4d38-9d7c-0b6f0f6f2a11';
const METEO_EXAMPLE = '8a2d4e61-7c3b-4b9a-a1f2-2c5e9d0b7f12';
const WORLD_BANK = '0b8f3e2d-9c71-4a6e-8d24-1f5a7c3e9b02';

const BODY_LIMIT = 64 * 1024;

/** Every route that takes a JSON body, with a body it would accept. */
const WRITE_ROUTES: [method: string, path: string][] = [
  ['POST', `${API}/s1`],
  ['POST', `${API}/s1/${METEO}`],
  ['POST', `${API}/s1/${METEO}/new`],
  ['POST', `${API}/s1/${METEO}/example`],
  ['POST', `${API}/s1/${METEO}/new/${METEO_EXAMPLE}`],
];

/**
 * Each kind of bad request goes to a service on a copy of the bundled
 * examples. Each test checks the status and the problem body, and that
 * neither the files (data root and a sibling folder) nor the served listing
 * changed.
 */
describe('bad input', () => {
  let work: string;
  let server: LocalServer;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'beaker-bad-input-'));

    const root = join(work, 'root');
    const attachments = join(root, 'specifications/open_meteo/attachments');

    await cp(EXAMPLES_ROOT, root, { recursive: true });
    await mkdir(join(work, 'outside'));
    await writeFile(join(work, 'outside/target.md'), 'outside the data root');
    await symlink(join(work, 'outside'), join(attachments, 'escape'));
    await symlink(join(work, 'outside/target.md'), join(attachments, 'link.md'));

    server = await startLocal([root], { bodyLimit: BODY_LIMIT });
  });

  after(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Files and listing now, to compare after the bad requests. */
  async function state() {
    const listing = await send(server.base, 'GET', `${API}/s1`);

    return { files: await snapshot(work), listing: listing.text };
  }

  async function assertUnchanged(before: Awaited<ReturnType<typeof state>>) {
    const now = await state();

    assert.deepEqual(now.files, before.files, 'files unchanged');
    assert.equal(now.listing, before.listing, 'listing unchanged');
  }

  function assertRejected(reply: Reply, status: number, field: string | undefined, label: string) {
    const problem = reply.json as { status?: number; field?: string; detail?: string };

    assert.equal(reply.status, status, `${label}: ${reply.text}`);
    assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/, label);
    assert.equal(problem.status, status, label);
    assert.equal(typeof problem.detail, 'string', label);
    if (field !== undefined) assert.equal(problem.field, field, label);
  }

  test('invalid json rejected', async () => {
    const before = await state();

    for (const [method, path] of WRITE_ROUTES) {
      for (const body of ['{"name":', 'not json', '{"name": "x",}', "{'name': 'x'}", '{"a":1}}']) {
        const reply = await send(server.base, method, path, body);

        assertRejected(reply, 400, 'body', `${method} ${path} ${body}`);
        assert.match((reply.json as { detail: string }).detail, /not valid JSON/);
      }
    }

    await assertUnchanged(before);
  });

  test('array and scalar bodies rejected', async () => {
    const before = await state();

    for (const [method, path] of WRITE_ROUTES) {
      for (const body of ['[]', '[{"name":"x"}]', '"text"', '42', 'true', 'null']) {
        const reply = await send(server.base, method, path, body);

        assertRejected(reply, 400, 'body', `${method} ${path} ${body}`);
      }
    }

    await assertUnchanged(before);
  });

  test('session body must be an object', async () => {
    for (const body of ['[]', '"text"', '42', 'true', 'null']) {
      const reply = await send(server.base, 'PUT', '/beaker/sessions/s2', body);

      assertRejected(reply, 400, 'body', body);
    }
  });

  test('session body json and keys checked', async () => {
    for (const body of ['{"context":', '{"__proto__": {"context": "x"}}']) {
      const reply = await send(server.base, 'PUT', '/beaker/sessions/s3', body);

      assertRejected(reply, 400, undefined, body);
    }
  });

  test('wrong field types rejected', async () => {
    const create = { name: 'Typed', description: '' };
    const example = { resource_type: 'example', query: 'q', code: 'c' };
    const cases: [string, unknown, string][] = [
      [`${API}/s1`, { ...create, name: 5 }, 'name'],
      [`${API}/s1`, { ...create, description: ['a'] }, 'description'],
      [`${API}/s1`, { ...create, datatype: 'spreadsheet' }, 'datatype'],
      [`${API}/s1`, { ...create, url: 3 }, 'url'],
      [`${API}/s1`, { ...create, source: {} }, 'source'],
      [`${API}/s1`, { ...create, last_updated: 20240101 }, 'last_updated'],
      [`${API}/s1`, { ...create, resources: [] }, 'resources'],
      [`${API}/s1`, { ...create, provider: 7 }, 'provider'],
      [`${API}/s1`, { ...create, uuid: 12 }, 'uuid'],
      [`${API}/s1/${METEO}`, { name: 7 }, 'name'],
      [`${API}/s1/${METEO}`, { name: '   ' }, 'name'],
      [`${API}/s1/${METEO}`, { last_updated: 'yesterday' }, 'last_updated'],
      [`${API}/s1/${METEO}`, { slug: 'has space' }, 'slug'],
      [`${API}/s1/${METEO}`, { img_url: false }, 'img_url'],
      [`${API}/s1/${METEO}/new`, { ...example, query: 1 }, 'query'],
      [`${API}/s1/${METEO}/new`, { ...example, code: null }, 'code'],
      [`${API}/s1/${METEO}/new`, { ...example, notes: 5 }, 'notes'],
      [`${API}/s1/${METEO}/new`, { resource_type: 'file', name: 3 }, 'name'],
      [`${API}/s1/${METEO}/new`, { resource_type: 'file', name: 'n', content: 5 }, 'content'],
      [`${API}/s1/${METEO}/new`, { resource_type: 5 }, 'resource_type'],
      [`${API}/s1/${METEO}/new/${METEO_EXAMPLE}`, { code: 3 }, 'code'],
      [`${API}/s1/${METEO}/new/${METEO_FILE}`, { content: {} }, 'content'],
      [`${API}/s1/${METEO}/new/${METEO_FILE}`, { name: '' }, 'name'],
    ];
    const before = await state();

    for (const [path, body, field] of cases) {
      const reply = await send(server.base, 'POST', path, body);

      assertRejected(reply, 400, field, `${path} ${JSON.stringify(body)}`);
    }

    await assertUnchanged(before);
  });

  test('unpaired surrogates rejected', async () => {
    // JSON escapes can carry them, but a UTF-8 file would store U+FFFD instead.
    const cases: [string, string][] = [
      [`${API}/s1`, '{"name": "Lone", "description": "\\ud800"}'],
      [`${API}/s1/${METEO}`, '{"source": "a\\udfffb"}'],
      [`${API}/s1/${METEO}`, '{"x_\\ud800": "key"}'],
      [`${API}/s1/${METEO}/new`, '{"resource_type": "example", "query": "q", "code": "\\ud83d"}'],
      [`${API}/s1/${METEO}/new/${METEO_FILE}`, '{"content": "text \\udc00"}'],
    ];
    const before = await state();

    for (const [path, body] of cases) {
      const reply = await send(server.base, 'POST', path, body);

      assertRejected(reply, 400, undefined, body);
      assert.match((reply.json as { detail: string }).detail, /unpaired UTF-16 surrogate/);
    }

    await assertUnchanged(before);
  });

  test('unknown resource types rejected', async () => {
    const video = { resource_type: 'video', query: 'q', code: 'c' };
    const cases: [string, unknown][] = [
      [`${API}/s1/${METEO}/new`, video],
      [`${API}/s1/${METEO}/video`, { query: 'q', code: 'c' }],
      [`${API}/s1/${METEO}/video`, video],
      [`${API}/s1/${METEO}/new/${METEO_EXAMPLE}`, { resource_type: 'video' }],
      [`${API}/s1`, { name: 'With video', description: '', resources: { v1: video } }],
    ];
    const before = await state();

    for (const [path, body] of cases) {
      const reply = await send(server.base, 'POST', path, body);

      assertRejected(reply, 400, 'resource_type', `${path} ${JSON.stringify(body)}`);
    }

    await assertUnchanged(before);
  });

  test('prototype keys rejected at any depth', async () => {
    const bodies = [
      '{"__proto__": {"polluted": "yes"}, "name": "P", "description": ""}',
      '{"name": "P", "description": "", "constructor": {"prototype": {"polluted": "yes"}}}',
      '{"name": "P", "description": "", "resources": {"r1": {"__proto__": {"polluted": "yes"}}}}',
      '{"name": "P", "description": "", "meta": [{"deep": [{"constructor": 1}]}]}',
      '{"resource_type": "example", "query": "q", "code": "c", "notes": null, "x": {"prototype": 1}}',
    ];
    const before = await state();

    for (const [method, path] of WRITE_ROUTES) {
      for (const body of bodies) {
        const reply = await send(server.base, method, path, body);

        assertRejected(reply, 400, undefined, `${method} ${path} ${body}`);
        assert.match((reply.json as { field: string }).field, /__proto__|constructor|prototype/);
      }
    }

    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype clean');
    await assertUnchanged(before);
  });

  test('path resource id must match body', async () => {
    const path = `${API}/s1/${METEO}/new/${METEO_EXAMPLE}`;
    const before = await state();

    for (const resourceId of [METEO_FILE, 'other', '']) {
      const reply = await send(server.base, 'POST', path, { resource_id: resourceId, code: 'x' });

      assertRejected(reply, 400, 'resource_id', resourceId);
    }

    await assertUnchanged(before);
  });

  test('path resource type must match body', async () => {
    const example = { resource_type: 'example', query: 'q', code: 'c' };
    const cases: [string, string, unknown][] = [
      ['POST', `${API}/s1/${METEO}/file`, example],
      ['POST', `${API}/s1/${METEO}/example`, { resource_type: 'file', name: 'n' }],
      ['POST', `${API}/s1/${METEO}/file/${METEO_FILE}`, { resource_type: 'example' }],
      ['POST', `${API}/s1/${METEO}/example/${METEO_FILE}`, { content: 'changed' }],
      ['POST', `${API}/s1/${METEO}/file/${METEO_EXAMPLE}`, { code: 'changed' }],
      ['DELETE', `${API}/s1/${METEO}/example/${METEO_FILE}`, undefined],
      ['DELETE', `${API}/s1/${METEO}/file/${METEO_EXAMPLE}`, undefined],
    ];
    const before = await state();

    for (const [method, path, body] of cases) {
      const reply = await send(server.base, method, path, body);

      assertRejected(reply, 400, 'resource_type', `${method} ${path}`);
    }

    await assertUnchanged(before);
  });

  test('ids outside the pattern rejected', async () => {
    const bad = ['a%2Fb', '%2E%2E', '..', 'a.b', '%C3%BC', '%E5%A4%A9', 'a%00b', 'a%20b'];
    const before = await state();

    for (const id of bad) {
      const cases: [string, string, string][] = [
        ['POST', `${API}/${id}`, 'session_id'],
        ['POST', `${API}/s1/${id}`, 'integration_id'],
        ['DELETE', `${API}/s1/${id}`, 'integration_id'],
        ['POST', `${API}/s1/${id}/new`, 'integration_id'],
        ['POST', `${API}/s1/${METEO}/new/${id}`, 'resource_id'],
        ['DELETE', `${API}/s1/${METEO}/any/${id}`, 'resource_id'],
        ['PUT', `/beaker/sessions/${id}`, 'session_id'],
      ];

      for (const [method, path, field] of cases) {
        const reply = await sendRaw(server.base, method, path, '{"description": "changed"}');
        const problem = JSON.parse(reply.text) as { field?: string };

        assert.equal(reply.status, 400, `${method} ${path}: ${reply.text}`);
        assert.equal(problem.field, field, `${method} ${path}`);
      }
    }

    const bodyIds: [string, unknown, string][] = [
      [`${API}/s1`, { name: 'Dotted', description: '', uuid: '../../escape' }, 'uuid'],
      [`${API}/s1`, { name: 'Dotted', description: '', uuid: 'a.b' }, 'uuid'],
    ];

    for (const resourceId of ['a/b', '..', 'a.b', 'ü', '天', 'a b', '']) {
      bodyIds.push([
        `${API}/s1/${METEO}/new`,
        { resource_type: 'example', resource_id: resourceId, query: 'q', code: 'c' },
        'resource_id',
      ]);
    }

    for (const [path, body, field] of bodyIds) {
      const reply = await send(server.base, 'POST', path, body);

      assertRejected(reply, 400, field, JSON.stringify(body));
    }

    await assertUnchanged(before);
  });

  test('traversal through filepath or name rejected', async () => {
    const add = (fields: Record<string, unknown>) => ({
      resource_type: 'file',
      content: 'x',
      ...fields,
    });
    const bodies = [
      add({ name: 'a', filepath: '../escape.md' }),
      add({ name: 'a', filepath: '../../../outside/x.md' }),
      add({ name: 'a', filepath: 'docs/../../x.md' }),
      add({ name: 'a', filepath: '/tmp/absolute.md' }),
      add({ name: 'a', filepath: 'C:\\absolute.md' }),
      add({ name: 'a', filepath: 'docs\\..\\..\\x.md' }),
      add({ name: 'a', filepath: 'docs/' }),
      add({ name: 'a', filepath: '.' }),
      add({ name: 'a', filepath: 'escape/planted.md' }),
      add({ name: 'a', filepath: 'link.md' }),
      add({ name: '../../evil' }),
      add({ name: '..' }),
      add({ name: 'docs/../../evil' }),
      add({ name: '/etc/evil' }),
    ];
    const before = await state();

    for (const body of bodies) {
      const reply = await send(server.base, 'POST', `${API}/s1/${METEO}/new`, body);

      assertRejected(reply, 400, 'filepath', JSON.stringify(body));
    }

    const moves: [string, unknown][] = [
      [`${API}/s1/${METEO}/file/${METEO_FILE}`, { filepath: '../../../outside/x.md' }],
      [`${API}/s1/${METEO}/file/${METEO_FILE}`, { filepath: 'escape/x.md' }],
      [`${API}/s1/${METEO}/file/${METEO_FILE}`, { filepath: 'link.md', content: 'overwrite' }],
      [
        `${API}/s1`,
        {
          name: 'Traversing',
          description: '',
          resources: { f1: add({ resource_id: 'f1', name: 'a', filepath: '../../x.md' }) },
        },
      ],
    ];

    for (const [path, body] of moves) {
      const reply = await send(server.base, 'POST', path, body);

      assertRejected(reply, 400, 'filepath', JSON.stringify(body));
    }

    await assertUnchanged(before);
  });

  test('bodies over the limit rejected', async () => {
    const large = JSON.stringify({
      name: 'Large',
      description: 'x'.repeat(BODY_LIMIT),
      resource_type: 'example',
      query: 'q',
      code: 'c',
    });
    const before = await state();

    for (const [method, path] of WRITE_ROUTES) {
      const reply = await send(server.base, method, path, large);

      assertRejected(reply, 413, undefined, `${method} ${path}`);
      assert.equal((reply.json as { code: string }).code, 'payload_too_large');

      // Without a content-length the limit applies while the body streams in.
      const chunks = Array.from({ length: 8 }, () => 'y'.repeat(BODY_LIMIT / 4));
      const chunked = await sendRaw(server.base, method, path, ['{"description": "', ...chunks]);

      assert.equal(chunked.status, 413, `${method} ${path} chunked`);
    }

    await assertUnchanged(before);
  });

  test('name that slugs to an existing one rejected', async () => {
    const cases: [string, unknown][] = [
      [`${API}/s1`, { name: 'Open Meteo', description: '' }],
      [`${API}/s1`, { name: 'OPEN METEO', description: '' }],
      [`${API}/s1`, { name: '  open meteo  ', description: '' }],
      [`${API}/s1`, { name: 'Open·Meteo', description: '' }],
      [`${API}/s1`, { name: 'Other', description: '', slug: 'open_meteo' }],
      [`${API}/s1`, { name: 'Other', description: '', slug: 'Open_Meteo' }],
      [`${API}/s1/${WORLD_BANK}`, { slug: 'open_meteo' }],
      [`${API}/s1`, { name: 'Same uuid', description: '', uuid: METEO }],
    ];
    const before = await state();

    for (const [path, body] of cases) {
      const reply = await send(server.base, 'POST', path, body);

      assertRejected(reply, 409, undefined, JSON.stringify(body));
    }

    await assertUnchanged(before);
  });
});
