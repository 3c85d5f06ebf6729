import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';

import type { ApiError } from '@beaker-integrations/client';
import { ConnectionError, IntegrationsClient, NotFoundApiError } from '@beaker-integrations/client';

test('unreachable service is a connection error', async () => {
  const server = createServer();

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const { port } = server.address() as AddressInfo;

  await new Promise<void>((resolve) => server.close(() => resolve()));

  const client = new IntegrationsClient({ baseUrl: `http://127.0.0.1:${port}`, sessionId: 's' });

  await assert.rejects(client.listProviders(), ConnectionError);
});

test('non-problem error bodies become api errors', async () => {
  const server = createServer((request, response) => {
    if (request.url?.includes('missing')) {
      response.writeHead(404, { 'content-type': 'application/problem+json' });
      response.end(
        JSON.stringify({
          type: 't',
          title: 'Not Found',
          status: 404,
          detail: 'gone',
          code: 'not_found',
        }),
      );
      return;
    }

    response.writeHead(502, { 'content-type': 'text/html' });
    response.end('<h1>Bad gateway</h1>');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const { port } = server.address() as AddressInfo;
  const client = new IntegrationsClient({ baseUrl: `http://127.0.0.1:${port}/`, sessionId: 's' });

  try {
    await assert.rejects(client.getIntegration('missing'), (error: NotFoundApiError) => {
      assert.ok(error instanceof NotFoundApiError);
      assert.equal(error.message, 'gone');
      return true;
    });
    await assert.rejects(client.listProviders(), (error: ApiError) => {
      assert.equal(error.status, 502);
      assert.equal(error.code, 'http_error');
      return true;
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
