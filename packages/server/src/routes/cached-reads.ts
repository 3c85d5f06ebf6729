import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  isStoreProvider,
  StoreProvider,
  type IntegrationProvider,
} from '@beaker-integrations/core';
import { MAX_ID_LENGTH, RESOURCE_TYPES } from '@beaker-integrations/model';

import type { RouteDeps } from '../deps.js';
import { notModified, requestId, serialize, type SerializedJson } from '../http-util.js';

const ID = `[A-Za-z0-9_-]{1,${MAX_ID_LENGTH}}`;
const TYPE = `[A-Za-z0-9_]{1,${MAX_ID_LENGTH}}`;
const PREFIX = '/beaker/integrations/';

/** `/beaker/integrations/{sid}`, `…/{iid}` or `…/{iid}/{type}/{rid}`, with an optional trailing slash. */
const READ_PATH = new RegExp(
  `^/beaker/integrations/(${ID})(?:/(${ID})(?:/(${TYPE})/(${ID}))?)?/?$`,
);

const JSON_TYPE = 'application/json; charset=utf-8';

const KNOWN_TYPES: ReadonlySet<string> = new Set(RESOURCE_TYPES);

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
  return (request, response) => {
    if (request.method !== 'GET' || !request.url?.startsWith(PREFIX) || hasBody(request)) {
      return false;
    }

    let found: SerializedJson | undefined;

    try {
      found = find(deps, request.url);
    } catch {
      // The routes send the error responses, such as for an invalid session id.
      return false;
    }

    if (found === undefined) return false;

    send(request, response, found);

    return true;
  };
}

function find(deps: RouteDeps, url: string): SerializedJson | undefined {
  const match = READ_PATH.exec(url);

  if (match === null) return undefined;

  const [, sessionId, integrationId, type, resourceId] = match as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
    string | undefined,
  ];
  const context = deps.sessions.get(sessionId).context;

  if (integrationId === undefined) return context.currentListing('full');

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

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];

  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

function send(request: IncomingMessage, response: ServerResponse, found: SerializedJson): void {
  const id = requestId(request);

  if (notModified(request, found.etag)) {
    response.writeHead(304, { 'x-request-id': id, etag: found.etag }).end();
    return;
  }

  response
    .writeHead(200, {
      'x-request-id': id,
      etag: found.etag,
      'content-type': JSON_TYPE,
      'content-length': found.body.length,
    })
    .end(found.body);
}
