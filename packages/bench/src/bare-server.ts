import { createServer, type OutgoingHttpHeaders, type Server } from 'node:http';

/** One response of the real server, kept as bytes so the bare server sends it unchanged. */
export interface CachedResponse {
  body: Buffer;
  headers: OutgoingHttpHeaders;
}

/**
 * Response headers copied from the real server. The real server sends a new
 * request id on every response, and the bare server sends the one it was
 * given. So both send the same headers and differ only in the work behind them.
 */
const COPIED_HEADERS = ['content-type', 'etag', 'x-request-id'];

/**
 * Fetches each path once from the real server and keeps status 200 bodies as
 * bytes. Fails on any other status, because a bare server that returns an
 * error page would make the ratio meaningless.
 */
export async function fetchResponses(
  origin: string,
  paths: readonly string[],
): Promise<Map<string, CachedResponse>> {
  const responses = new Map<string, CachedResponse>();

  for (const path of paths) {
    const response = await fetch(new URL(path, origin));
    const body = Buffer.from(await response.arrayBuffer());

    if (response.status !== 200) {
      throw new Error(
        `GET ${path} returned status ${response.status}, expected 200: ${body.toString()}`,
      );
    }

    responses.set(path, { body, headers: copiedHeaders(response.headers, body.length) });
  }

  return responses;
}

function copiedHeaders(headers: Headers, length: number): OutgoingHttpHeaders {
  const copied: OutgoingHttpHeaders = { 'content-length': length };

  for (const name of COPIED_HEADERS) {
    const value = headers.get(name);

    if (value !== null) copied[name] = value;
  }

  return copied;
}

/**
 * The reference point of every ratio: a bare `node:http` server that serves
 * each known path from bytes serialised beforehand and 404 otherwise. Nothing
 * is parsed, routed or logged, so it is the upper bound for Node on this
 * machine.
 */
export function createBareServer(responses: ReadonlyMap<string, CachedResponse>): Server {
  return createServer((request, response) => {
    const cached = responses.get(request.url ?? '');

    if (cached === undefined) {
      response.writeHead(404, { 'content-length': 0 }).end();
      return;
    }

    response.writeHead(200, cached.headers).end(cached.body);
  });
}
