import { IntegrationsClient } from '@beaker-integrations/client';

export const DEFAULT_SESSION = 'web_ui';

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;
const TOKEN_KEY = 'beaker-integrations.token';

export interface Connection {
  sessionId: string;
  /** Set when the `session` query parameter is not a valid session id. */
  sessionError: string | undefined;
  token: string | undefined;
  client: IntegrationsClient;
}

/**
 * Reads the session id from `?session=` (default `web_ui`) and the bearer
 * token from `?token=` or sessionStorage. A token in the URL is moved to
 * sessionStorage and removed from the address bar, so it does not stay in
 * the history or in a copied link.
 */
export function connectionFromLocation(location: Location, storage: Storage): Connection {
  const query = new URLSearchParams(location.search);
  const urlToken = query.get('token');

  if (urlToken !== null) {
    storeToken(storage, urlToken);
    query.delete('token');
    const search = query.toString();
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}`);
  }

  const requested = query.get('session') ?? DEFAULT_SESSION;
  const valid = SESSION_ID.test(requested);
  const sessionId = valid ? requested : DEFAULT_SESSION;
  const sessionError = valid
    ? undefined
    : `The session id '${requested.slice(0, 128)}' is invalid: use 1 to 128 ASCII letters, digits, '_' or '-'. Showing session '${DEFAULT_SESSION}' instead.`;

  return withToken(sessionId, sessionError, readToken(storage));
}

export function withToken(
  sessionId: string,
  sessionError: string | undefined,
  token: string | undefined,
): Connection {
  const client = new IntegrationsClient({
    baseUrl: '',
    sessionId,
    ...(token === undefined ? {} : { token }),
  });

  return { sessionId, sessionError, token, client };
}

export function readToken(storage: Storage): string | undefined {
  const token = storage.getItem(TOKEN_KEY);

  return token === null || token === '' ? undefined : token;
}

/** Stores the token for this browser tab only; an empty token removes it. */
export function storeToken(storage: Storage, token: string): void {
  if (token === '') storage.removeItem(TOKEN_KEY);
  else storage.setItem(TOKEN_KEY, token);
}
