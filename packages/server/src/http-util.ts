import type { IncomingHttpHeaders } from 'node:http';

import {
  ID_PATTERN,
  InvalidInputError,
  MAX_ID_LENGTH,
  RESOURCE_TYPE_PATTERN,
} from '@beaker-integrations/model';
import { entityTag } from '@beaker-integrations/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { RequestIds } from './request-ids.js';

const ID = new RegExp(ID_PATTERN);
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const RESOURCE_TYPE = new RegExp(RESOURCE_TYPE_PATTERN);

/** A JSON response body as UTF-8 bytes, and its entity tag. */
export interface SerializedJson {
  body: Buffer;
  etag: string;
}

/** Serialised JSON and entity tag of frozen values, computed once per value. */
const serialized = new WeakMap<object, SerializedJson>();

const requestIds = new RequestIds();

/**
 * Returns the request's id: an incoming `x-request-id` when it is short and
 * plain, so logs stay clean, else a new id unique to this process.
 */
export function requestId(request: { headers: IncomingHttpHeaders }): string {
  const incoming = request.headers['x-request-id'];

  if (typeof incoming === 'string' && REQUEST_ID.test(incoming)) return incoming;

  return newRequestId();
}

/** Returns a request id unique to this process. */
export function newRequestId(): string {
  return requestIds.next();
}

/**
 * Returns a path parameter after checking it against the id pattern. Fastify
 * has already percent-decoded it, so `%2F` arrives as `/` and fails here.
 */
export function pathId(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, string | undefined>)[name] ?? '';

  if (!ID.test(value) || value.length > MAX_ID_LENGTH) {
    throw new InvalidInputError(
      name,
      `${name} '${value.slice(0, MAX_ID_LENGTH)}' is invalid; use 1 to ${MAX_ID_LENGTH} ASCII letters, digits, '_' or '-'`,
    );
  }

  return value;
}

export function pathResourceType(request: FastifyRequest): string {
  const value = (request.params as Record<string, string | undefined>).resource_type ?? '';

  if (!RESOURCE_TYPE.test(value) || value.length > MAX_ID_LENGTH) {
    throw new InvalidInputError(
      'resource_type',
      `resource type '${value.slice(0, MAX_ID_LENGTH)}' is invalid; use ASCII letters, digits or '_' (e.g. file, example, all)`,
    );
  }

  return value;
}

export function ifMatch(request: FastifyRequest): string | undefined {
  const header = request.headers['if-match'];

  return Array.isArray(header) ? header.join(',') : header;
}

/** Checks whether `If-None-Match` lists `etag` (weak comparison, as RFC 9110 allows for GET). */
export function notModified(request: { headers: IncomingHttpHeaders }, etag: string): boolean {
  const header = request.headers['if-none-match'];

  if (header === undefined) return false;

  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * Sends JSON that is already serialised, with its entity tag when given. A
 * Buffer is written to the socket as it is, while a string is measured and
 * encoded again on every response (5 ms for the 1.7 MB listing of the real
 * corpus, most of the cost of that request).
 */
export function sendJson(reply: FastifyReply, body: Buffer | string, etag?: string): FastifyReply {
  if (etag !== undefined) reply.header('etag', etag);

  return reply.type('application/json; charset=utf-8').send(body);
}

/** Sends a value with its ETag, or 304 when the client already has that version. */
export function sendTagged(
  request: FastifyRequest,
  reply: FastifyReply,
  value: unknown,
): FastifyReply {
  const { body, etag } = serialize(value);

  if (notModified(request, etag)) return reply.header('etag', etag).code(304).send();

  return sendJson(reply, body, etag);
}

export function serialize(value: unknown): SerializedJson {
  const cacheable = value !== null && typeof value === 'object' && Object.isFrozen(value);
  const cached = cacheable ? serialized.get(value) : undefined;

  if (cached !== undefined) return cached;

  const json = JSON.stringify(value);
  const result = { body: Buffer.from(json), etag: entityTag(json) };

  if (cacheable) serialized.set(value, result);

  return result;
}
