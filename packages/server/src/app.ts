import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { assertSafeKeys, InvalidInputError } from '@beaker-integrations/model';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerFactory,
} from 'fastify';

import { registerAccess, type AccessOptions } from './access.js';
import type { RouteDeps } from './deps.js';
import { buildOpenApi, OPENAPI_PATH } from './openapi.js';
import { problem, toProblem } from './problem.js';
import type { RouteSpec } from './route.js';
import { requestId } from './http-util.js';
import { cachedReads, type CachedReads } from './routes/cached-reads.js';
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

/** Builds the HTTP server with every route; the caller starts it with `listen`. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const reads = cachedReadsApply(options) ? cachedReads(options) : undefined;
  const serverFactory: FastifyServerFactory | undefined =
    reads === undefined ? undefined : (handler, settings) => httpServer(handler, settings, reads);
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
    genReqId: requestId,
    ...(serverFactory === undefined ? {} : { serverFactory }),
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

/**
 * Decides whether the cached reads may respond before Fastify: they skip its hooks, so
 * only when there is no token or CORS check, and no request logging (Fastify
 * logs every request at level info).
 */
function cachedReadsApply(options: ServerOptions): boolean {
  const quiet = ['warn', 'error', 'fatal', 'silent'].includes(options.logger.level);

  return options.token === undefined && (options.corsOrigins ?? []).length === 0 && quiet;
}

type FastifyHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The HTTP/1 server Fastify 5 would build (same timeouts), with the cached
 * reads responding first; what they leave goes to Fastify's handler.
 */
function httpServer(
  handler: FastifyHandler,
  settings: Record<string, unknown>,
  reads: CachedReads,
): Server {
  const server = createServer((request, response) => {
    if (!reads(request, response)) handler(request, response);
  });

  server.keepAliveTimeout = numberSetting(settings.keepAliveTimeout, 72_000);
  // NOTE: 0, Fastify's default, sets no time limit, so a slow client holds its
  // connection until it finishes or the CLI's shutdown grace ends.
  server.requestTimeout = numberSetting(settings.requestTimeout, 0);
  server.setTimeout(numberSetting(settings.connectionTimeout, 0));

  return server;
}

function numberSetting(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

export function allRoutes(deps: RouteDeps): RouteSpec[] {
  return [...integrationRoutes(deps), ...extensionRoutes(deps)];
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
