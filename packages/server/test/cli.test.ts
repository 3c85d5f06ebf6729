import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  BUNDLE,
  CORPUS_DATA,
  CORPUS_MISSING,
  REPO_ROOT,
  copyRoot,
  runBundle,
  runToEnd,
  startServer,
  tempDir,
} from './helpers.js';

describe('cli', () => {
  test('help lists commands and units', async () => {
    const main = await runToEnd(['--help']);
    const serve = await runToEnd(['serve', '--help']);
    const validate = await runToEnd(['validate', '--help']);

    assert.equal(main.code, 0);
    assert.match(main.stdout, /serve/);
    assert.match(main.stdout, /validate/);
    assert.equal(serve.code, 0);
    assert.match(serve.stdout, /--body-limit BYTES/);
    assert.match(serve.stdout, /Default: 127\.0\.0\.1/);
    assert.equal(validate.code, 0);
    assert.match(validate.stdout, /--json/);
  });

  test('unknown command and bad flag exit 2', async () => {
    const unknown = await runToEnd(['frobnicate']);
    const badPort = await runToEnd(['serve', '--port', 'eighty']);
    const badFlag = await runToEnd(['serve', '--colour']);

    assert.equal(unknown.code, 2);
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /--port must be a whole number/);
    assert.equal(badFlag.code, 2);
  });

  test('validate corpus exits 0', { skip: CORPUS_MISSING }, async () => {
    const result = await runToEnd(['validate', '--data', CORPUS_DATA]);

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /20 integrations checked, 0 errors/);
  });

  test('validate names each planted problem', async () => {
    const root = await copyRoot(join(REPO_ROOT, 'examples/integrations'));
    const specifications = join(root, 'specifications');

    await mkdir(join(specifications, 'broken_yaml'));
    await writeFile(join(specifications, 'broken_yaml/api.yaml'), 'name: [unclosed\n');
    await mkdir(join(specifications, 'no_name'));
    await writeFile(join(specifications, 'no_name/api.yaml'), 'description: d\nsource: s\n');
    await mkdir(join(specifications, 'bad_template'));
    await writeFile(
      join(specifications, 'bad_template/api.yaml'),
      'name: Bad Template\ndescription: d\nsource: |\n  line one\n  {{ missing_variable }}\n  {% if %}\n',
    );

    const text = await runToEnd(['validate', '--data', root]);
    const json = await runToEnd(['validate', '--data', root, '--json']);
    const report = JSON.parse(json.stdout) as { problems: { location: string; message: string }[] };
    const locations = report.problems.map((problem) => problem.location);

    assert.equal(text.code, 1);
    assert.equal(json.code, 1);
    assert.ok(
      locations.some((location) => location.includes('broken_yaml')),
      'malformed YAML named',
    );
    assert.ok(
      locations.some((location) => location.includes('no_name')),
      'missing name named',
    );
    assert.ok(
      report.problems.some(
        (problem) => problem.location.includes('bad_template') && /line 3/.test(problem.message),
      ),
      'template error with its line',
    );
    assert.match(text.stdout, /no_name.*name/);

    const undefinedOnly = await copyRoot(join(REPO_ROOT, 'examples/integrations'));

    await mkdir(join(undefinedOnly, 'specifications/loose'));
    await writeFile(
      join(undefinedOnly, 'specifications/loose/api.yaml'),
      'name: Loose\ndescription: d\nsource: "{{ not_a_file }}"\n',
    );

    const lenient = await runToEnd(['validate', '--data', undefinedOnly]);
    const strict = await runToEnd(['validate', '--data', undefinedOnly, '--strict']);

    assert.equal(lenient.code, 0, 'undefined variables are warnings');
    assert.match(lenient.stdout, /warning: loose: .*not_a_file/);
    assert.match(lenient.stdout, /4 integrations checked, 0 errors, 1 warning\n/);
    assert.equal(strict.code, 1);
  });

  test('INTEGRATION_PATH is the default root', async () => {
    const root = await copyRoot(join(REPO_ROOT, 'examples/integrations'));
    const result = await runToEnd(['validate'], { INTEGRATION_PATH: root });

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /3 integrations checked/);
  });

  test('serve stops cleanly on SIGTERM', async () => {
    const root = await copyRoot(join(REPO_ROOT, 'examples/integrations'));
    const server = await startServer(['--data', root, '--log-level', 'info']);
    const health = await fetch(`${server.url}/healthz`);

    assert.equal(health.status, 200);
    assert.equal(await server.stop('SIGTERM'), 0);
    assert.match(server.output(), /server stopped/);
  });

  test('stop closes stalled requests', { timeout: 20_000 }, async () => {
    const root = await copyRoot(join(REPO_ROOT, 'examples/integrations'));
    const server = await startServer(['--data', root, '--shutdown-grace', '300']);
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);

    await once(socket, 'connect');
    socket.on('error', () => undefined);
    // The interim 100 response shows that the server is reading this request,
    // and the body, shorter than its Content-Length, keeps it open.
    socket.write(
      'POST /beaker/integrations/stalled HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n',
    );
    assert.match(String((await once(socket, 'data'))[0]), /^HTTP\/1\.1 100 Continue/);
    socket.write('{"na');

    const started = Date.now();
    const code = await server.stop('SIGTERM');

    assert.equal(code, 0);
    assert.ok(Date.now() - started < 5_000, `stopped after ${Date.now() - started} ms`);
    assert.match(server.output(), /open connections closed at shutdown/);
    socket.destroy();
  });

  test('config file with two contexts', async () => {
    const root = await copyRoot(join(REPO_ROOT, 'examples/integrations'));
    const dir = await tempDir();
    const config = join(dir, 'config.json');

    await writeFile(
      config,
      JSON.stringify({
        sessions: { default_context: 'editors', auto_create: false },
        contexts: {
          editors: { providers: [{ type: 'adhoc', slug: 'shared', roots: [root] }] },
          readers: { providers: [{ type: 'adhoc', slug: 'shared', roots: [root] }] },
        },
      }),
    );

    const server = await startServer(['--config', config]);

    try {
      const unknown = await fetch(`${server.url}/beaker/integrations/nobody`);

      assert.equal(unknown.status, 404);

      const created = await fetch(`${server.url}/beaker/sessions/reader1`, {
        method: 'PUT',
        body: JSON.stringify({ context: 'readers' }),
        headers: { 'content-type': 'application/json' },
      });

      assert.equal(created.status, 200);
      assert.equal(((await created.json()) as { context: string }).context, 'readers');

      const listing = await fetch(`${server.url}/beaker/integrations/reader1`);

      assert.equal(listing.status, 200);
    } finally {
      await server.stop();
    }
  });

  test('read-only context shares a writable store', async () => {
    const root = await copyRoot(join(REPO_ROOT, 'examples/integrations'));
    const config = join(await tempDir(), 'config.yaml');

    await writeFile(
      config,
      [
        'sessions:',
        '  default_context: editors',
        'contexts:',
        '  editors:',
        '    providers:',
        `      - { type: adhoc, slug: specialist_agents, roots: [${JSON.stringify(root)}] }`,
        '  readers:',
        '    providers:',
        `      - { type: adhoc, slug: specialist_agents, roots: [${JSON.stringify(root)}], read_only: true }`,
      ].join('\n'),
    );

    const server = await startServer(['--config', config]);
    const json = { 'content-type': 'application/json' };

    try {
      await fetch(`${server.url}/beaker/sessions/reader`, {
        method: 'PUT',
        body: JSON.stringify({ context: 'readers' }),
        headers: json,
      });

      const created = await fetch(`${server.url}/beaker/integrations/editor`, {
        method: 'POST',
        body: JSON.stringify({ name: 'Shared Write', description: '' }),
        headers: json,
      });
      const { uuid } = (await created.json()) as { uuid: string };
      const seen = await fetch(`${server.url}/beaker/integrations/reader/${uuid}`);
      const refused = await fetch(`${server.url}/beaker/integrations/reader`, {
        method: 'POST',
        body: JSON.stringify({ name: 'Reader Write', description: '' }),
        headers: json,
      });
      const providers = (await (await fetch(`${server.url}/beaker/providers/reader`)).json()) as {
        providers: Record<string, { mutable: boolean }>;
      };

      assert.equal(created.status, 200);
      assert.equal(seen.status, 200, 'readers see the editors write at once');
      assert.equal(refused.status, 405);
      assert.equal(providers.providers.specialist_agents?.mutable, false);
    } finally {
      await server.stop();
    }
  });

  test('validate reports a missing root', async () => {
    const missing = join(await tempDir(), 'no-such-root');
    const result = await runToEnd(['validate', '--data', missing]);

    assert.equal(result.code, 1);
    assert.match(result.stdout, /does not exist/);
  });

  test('flag errors print one line', async () => {
    const dir = await tempDir();
    const badYaml = join(dir, 'bad.yaml');
    const badJson = join(dir, 'bad.json');

    await writeFile(badYaml, 'contexts: [unclosed\n');
    await writeFile(badJson, '{"contexts": ');

    const missing = await runToEnd(['serve', '--config', join(dir, 'missing.yaml'), '--port', '0']);
    const yaml = await runToEnd(['serve', '--config', badYaml, '--port', '0']);
    const json = await runToEnd(['serve', '--config', badJson, '--port', '0']);
    const token = await runToEnd(['serve', '--token-file', join(dir, 'no-token'), '--port', '0']);
    const level = await runToEnd(['serve', '--log-level', 'bogus', '--port', '0']);

    for (const result of [missing, yaml, json, token, level]) {
      assert.equal(result.code, 2);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }

    assert.match(
      missing.stderr,
      /missing\.yaml cannot be read \(ENOENT\); check the path given to --config/,
    );
    assert.match(yaml.stderr, /bad\.yaml is not valid YAML: /);
    assert.match(json.stderr, /bad\.json is not valid JSON: /);
    assert.match(token.stderr, /--token-file .*no-token cannot be read \(ENOENT\)/);
    assert.match(level.stderr, /--log-level must be one of silent, fatal, .* \(received 'bogus'\)/);
  });

  test('invalid config names the field', async () => {
    const dir = await tempDir();
    const config = join(dir, 'config.yaml');

    await writeFile(
      config,
      'contexts:\n  default:\n    providers:\n      - type: adhoc\n        slug: x\n',
    );

    const result = await runToEnd(['serve', '--config', config, '--port', '0']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /roots/);
  });
});

test('corpus copy serves with flags only', { skip: CORPUS_MISSING }, async () => {
  const root = await copyRoot(CORPUS_DATA);
  const server = await startServer(['--data', root, '--provider-slug', 'specialist_agents']);

  try {
    const response = await fetch(`${server.url}/beaker/integrations/notebook_dev_session`);
    const body = (await response.json()) as { integrations: Record<string, unknown> };

    assert.equal(Object.keys(body.integrations).length, 20);
  } finally {
    await server.stop();
  }
});

test('bundle serves API, OpenAPI and web UI', async () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing; run 'npm run build' first`);

  const root = await copyRoot(join(REPO_ROOT, 'examples/integrations'));
  const server = await startServer(['--data', root], {}, runBundle);

  try {
    const listing = await fetch(`${server.url}/beaker/integrations/bundle_session`);
    const body = (await listing.json()) as { integrations: Record<string, { name: string }> };
    const names = Object.values(body.integrations).map((integration) => integration.name);
    const openApi = await fetch(`${server.url}/beaker/openapi.json`);
    const page = await fetch(`${server.url}/`);

    assert.equal(listing.status, 200);
    assert.equal(names.length, 3);
    assert.ok(names.includes('Open-Meteo Weather Forecast'), names.join(', '));
    assert.equal(openApi.status, 200);
    assert.match(((await openApi.json()) as { openapi: string }).openapi, /^3\.1/);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<!doctype html>/i);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
