import type { FastifyRequest } from 'fastify';

const TOKEN_PARAMETER = /([?&]token=)[^&#]*/gi;

/**
 * Replaces the value of every `token` query parameter, so a token sent in a
 * link (the web UI accepts `/?token=…`) never reaches the logs.
 */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_PARAMETER, '$1[redacted]');
}

/**
 * Serialises a request for the `incoming request` log record with the fields
 * of Fastify's own serialiser (Fastify 5), but with a redacted URL.
 */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
