import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  isStoreProvider,
  StoreProvider,
  type Context,
  type IntegrationProvider,
} from '@beaker-integrations/core';
import { RESOURCE_TYPES } from '@beaker-integrations/model';

import type { RouteDeps } from '../deps.js';
import {
  newRequestId,
  notModified,
  requestId,
  serialize,
  type SerializedJson,
} from '../http-util.js';
import { ReadPaths, type ReadPath } from './read-paths.js';

const JSON_TYPE = 'application/json; charset=utf-8';

const KNOWN_TYPES: ReadonlySet<string> = new Set(RESOURCE_TYPES);

/** Request headers that change the response of a read; see `plainRequest`. */
const RESPONSE_AFFECTING_HEADERS: ReadonlySet<string> = new Set([
  'content-length',
  'transfer-encoding',
  'x-request-id',
  'if-none-match',
]);

const RESPONSE_AFFECTING_LENGTHS: ReadonlySet<number> = new Set(
  [...RESPONSE_AFFECTING_HEADERS].map((name) => name.length),
);

/** Sends the response and returns true, or returns false to leave the request to Fastify. */
export type CachedReads = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Serves the three hot reads (the listing without a query, one integration,
 * one resource) from bytes serialised once per version, before Fastify routes
 * the request, with the same status, body and headers as the routes. Fastify's
 * routing, hooks, per-request child logger and the call-in-context machinery
 * took about 19 µs of CPU a request on a 2-core Xeon. That is more than the
 * bare node:http work of such a read (12 µs), as docs/benchmarks.md details.
 *
 * Anything else returns false and goes through Fastify unchanged: other
 * methods and paths, any query string or percent-encoding, a body, an error
 * (so error responses come from one place), a listing not yet built for the
 * current revision, and providers whose reads are not the plain in-memory
 * ones, whose calls keep their timeout. The caller enables it only when no token or CORS
 * check and no request logging applies, because those live in Fastify hooks.
 */
export function cachedReads(deps: RouteDeps): CachedReads {
  const paths = new ReadPaths();
  const responses = new WeakMap<ReadPath, RememberedResponse>();

  return (request, response) => {
    if (request.method !== 'GET' || request.url === undefined) return false;

    const path = paths.parse(request.url);

    if (path === null) return false;

    const plain = plainRequest(request);

    if (!plain && hasBody(request)) return false;

    let found: SerializedJson | undefined;

    try {
      found = find(deps, path, responses);
    } catch {
      // The routes send the error responses, such as for an invalid session id.
      return false;
    }

    if (found === undefined) return false;

    send(request, response, found, plain);

    return true;
  };
}

/** The response to one read path, current while `context.unchangedSince(stamp)` is true. */
interface RememberedResponse {
  context: Context;
  stamp: readonly number[];
  found: SerializedJson;
}

function find(
  deps: RouteDeps,
  path: ReadPath,
  responses: WeakMap<ReadPath, RememberedResponse>,
): SerializedJson | undefined {
  const context = deps.sessions.get(path.sessionId).context;

  if (path.integrationId === undefined) return context.currentListing('full');

  // A remembered response skips the owner, entry and serialisation lookups below.
  const remembered = responses.get(path);

  if (remembered?.context === context && context.unchangedSince(remembered.stamp)) {
    return remembered.found;
  }

  const stamp = context.revisionStamp();
  const found = lookUp(context, path.integrationId, path.type, path.resourceId);

  if (stamp !== undefined && found !== undefined) responses.set(path, { context, stamp, found });

  return found;
}

function lookUp(
  context: Context,
  integrationId: string,
  type: string | undefined,
  resourceId: string | undefined,
): SerializedJson | undefined {
  const owner = context.indexedOwnerOf(integrationId);

  if (owner === undefined || !readsFromMemory(owner)) return undefined;

  if (resourceId === undefined) {
    const found = owner.peekIntegration(integrationId);

    return found === undefined ? undefined : serialize(found);
  }

  const found = owner.peekResource(integrationId, resourceId);

  if (found === undefined) return undefined;

  // A known type in the path that the resource does not have is a 404 from the route.
  if (type !== found.resource_type && KNOWN_TYPES.has(type ?? '')) return undefined;

  return serialize(found);
}

/**
 * Checks that the owner is a store provider whose reads are the plain
 * in-memory ones. A subclass that overrides them (to filter, or to wait on something)
 * is left to the routes, whose calls have a timeout.
 */
function readsFromMemory(owner: IntegrationProvider): owner is StoreProvider {
  return (
    isStoreProvider(owner) &&
    owner.getIntegration === StoreProvider.prototype.getIntegration &&
    owner.getResource === StoreProvider.prototype.getResource
  );
}

/**
 * Checks the raw header names for those that change the response: a body,
 * a client's request id, a conditional GET. Node builds `request.headers` on
 * first access, which costs more than this scan of the usual few names.
 */
function plainRequest(request: IncomingMessage): boolean {
  const raw = request.rawHeaders;

  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;

    if (
      RESPONSE_AFFECTING_LENGTHS.has(name.length) &&
      RESPONSE_AFFECTING_HEADERS.has(name.toLowerCase())
    ) {
      return false;
    }
  }

  return true;
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];

  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/** Sends `found`. A plain request (see `plainRequest`) gets a new id and no conditional check. */
function send(
  request: IncomingMessage,
  response: ServerResponse,
  found: SerializedJson,
  plain: boolean,
): void {
  const id = plain ? newRequestId() : requestId(request);

  if (!plain && notModified(request, found.etag)) {
    response.writeHead(304, { 'x-request-id': id, etag: found.etag }).end();
    return;
  }

  // A flat array of names and values spares Node's `_storeHeader` a `for...in` walk over an object.
  response
    .writeHead(200, [
      'x-request-id',
      id,
      'etag',
      found.etag,
      'content-type',
      JSON_TYPE,
      'content-length',
      found.body.length,
    ])
    .end(found.body);
}
