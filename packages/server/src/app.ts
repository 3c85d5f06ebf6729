import { randomUUID } from 'node:crypto';

import { assertSafeKeys, InvalidInputError } from '@beaker-integrations/model';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';

import { registerAccess, type AccessOptions } from './access.js';
import type { RouteDeps } from './deps.js';
import { buildOpenApi, OPENAPI_PATH } from './openapi.js';
import { problem, toProblem } from './problem.js';
import type { RouteSpec } from './route.js';
import { extensionRoutes } from './routes/extensions.js';
import { integrationRoutes } from './routes/integrations.js';
import { registerWebUi } from './web-ui.js';

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export interface ServerOptions extends RouteDeps, AccessOptions {
  logger: FastifyBaseLogger;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  version?: string;
  /** Folder of the built web UI; `false` serves no UI. */
  webRoot?: string | false;
}

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Builds the HTTP server with every route; the caller starts it with `listen`. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
    genReqId: requestId,
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, parseJsonBody);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerAccess(app, { token: options.token, corsOrigins: options.corsOrigins });

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const detail = `no route for ${request.method} ${request.url.split('?')[0]}; see ${OPENAPI_PATH}`;

    return sendProblem(reply, problem(404, 'route_not_found', detail, { request_id: request.id }));
  });

  const routes = allRoutes(options);

  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: (request, reply) => route.handler(request, reply),
    });
  }

  const openApi = JSON.stringify(buildOpenApi(routes, options.version ?? '0.0.0'));

  app.get(OPENAPI_PATH, async (_request, reply) => reply.type('application/json').send(openApi));

  if (options.webRoot !== false) registerWebUi(app, options.webRoot);

  return app;
}

export function allRoutes(deps: RouteDeps): RouteSpec[] {
  return [...integrationRoutes(deps), ...extensionRoutes(deps)];
}

/** Accepts an incoming `x-request-id` only when it is short and plain, so logs stay clean. */
function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = request.headers['x-request-id'];

  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Parses every body as JSON whatever its declared type, as Beaker does,
 * because some clients label JSON as text. An empty body is no body: Beaker's
 * frontend sends `Content-Type: application/json` with empty GET and DELETE.
 */
function parseJsonBody(
  _request: FastifyRequest,
  body: string | Buffer,
  done: (error: Error | null, value?: unknown) => void,
): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');

  if (text.trim() === '') {
    done(null, undefined);
    return;
  }

  try {
    const value: unknown = JSON.parse(text);

    assertSafeKeys(value);
    done(null, value);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : undefined;

    if (reason === undefined) done(error as Error);
    else done(new InvalidInputError('body', `the body is not valid JSON: ${reason}`));
  }
}

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { body, internal } = toProblem(error, request.id);

  if (internal) {
    request.log.error({ err: error, request_id: request.id }, 'request failed');
  } else if (body.status >= 500) {
    request.log.warn({ code: body.code, detail: body.detail }, 'request failed');
  }

  return sendProblem(reply, body);
}

function sendProblem(reply: FastifyReply, body: ReturnType<typeof problem>): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(JSON.stringify(body));
}
