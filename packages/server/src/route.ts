import type { TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One route: the Fastify registration and the OpenAPI operation both come
 * from this description, so the document cannot drift from what is served.
 */
export interface RouteSpec {
  method: HttpMethod;
  /** Fastify path, with `:name` parameters. */
  url: string;
  operationId: string;
  summary: string;
  tags: string[];
  /** Path parameters, each with a schema; all are required. */
  params?: Record<string, TSchema>;
  query?: Record<string, TSchema>;
  headers?: Record<string, { description: string }>;
  body?: TSchema;
  /** Schema of the 200 body. */
  response: TSchema;
  /** Extra non-error statuses the route can respond with, such as 304. */
  otherStatuses?: Record<number, string>;
  handler(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}
