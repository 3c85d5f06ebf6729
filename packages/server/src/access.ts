import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { problem } from './problem.js';

export interface AccessOptions {
  /** Bearer token required on every `/beaker/` route; none when undefined. */
  token?: string | undefined;
  /** Origins allowed to call the API from a browser; CORS is off when empty. */
  corsOrigins?: readonly string[] | undefined;
}

const PROTECTED_PREFIX = '/beaker/';
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type, if-match, if-none-match, x-request-id';
const EXPOSED_HEADERS = 'etag, x-request-id';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * Adds the bearer-token check and CORS. The token is compared through
 * SHA-256 digests with `timingSafeEqual`, so the comparison time does not
 * depend on how much of a guess is right, nor on the token's length.
 */
export function registerAccess(app: FastifyInstance, options: AccessOptions): void {
  const expected = options.token === undefined ? undefined : digest(options.token);
  const origins = new Set(options.corsOrigins ?? []);

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';

    if (origins.size > 0) applyCors(request, reply, origins);

    if (request.method === 'OPTIONS') return preflight(request, reply, origins);

    if (
      expected !== undefined &&
      path.startsWith(PROTECTED_PREFIX) &&
      !authorized(request, expected)
    ) {
      const detail =
        'a valid bearer token is required; send the header Authorization: Bearer <token>';

      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="beaker-integrations"')
        .type('application/problem+json')
        .send(JSON.stringify(problem(401, 'unauthorized', detail, { request_id: request.id })));
    }

    return undefined;
  });
}

function authorized(request: FastifyRequest, expected: Buffer): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);

  return match !== null && timingSafeEqual(digest(match[1]!.trim()), expected);
}

function applyCors(request: FastifyRequest, reply: FastifyReply, origins: Set<string>): void {
  const origin = request.headers.origin;

  reply.header('vary', 'Origin');

  if (origin !== undefined && origins.has(origin)) {
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', EXPOSED_HEADERS);
  }
}

function preflight(
  request: FastifyRequest,
  reply: FastifyReply,
  origins: Set<string>,
): FastifyReply {
  const origin = request.headers.origin;

  if (origin === undefined || !origins.has(origin)) {
    const detail = 'cross-origin requests from this origin are not allowed';

    return reply
      .code(403)
      .type('application/problem+json')
      .send(JSON.stringify(problem(403, 'forbidden', detail, { request_id: request.id })));
  }

  return reply
    .code(204)
    .header('access-control-allow-methods', ALLOWED_METHODS)
    .header('access-control-allow-headers', ALLOWED_HEADERS)
    .header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS)
    .send();
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
