import type {
  Integration,
  IntegrationCreate,
  IntegrationUpdate,
  ProviderInfo,
  RenderedIntegration,
  Resource,
  ResourceCreate,
  ResourceUpdate,
  SessionInfo,
  Health,
} from '@beaker-integrations/model';

import { ConnectionError, errorFromProblem, fallbackProblem } from './errors.js';

export interface ClientOptions {
  /** Origin of the service, such as `http://127.0.0.1:8000`; empty for the page's own origin. */
  baseUrl: string;
  sessionId: string;
  /** Bearer token, when the service requires one. */
  token?: string;
  fetch?: typeof fetch;
}

/** A value with the entity tag to send back as `ifMatch` on the next write. */
export interface Versioned<T> {
  value: T;
  etag: string | undefined;
}

export interface WriteOptions {
  /** ETag last read; the write fails with PreconditionFailedApiError if it is stale. */
  ifMatch?: string | undefined;
}

export interface ListOptions {
  view?: 'full' | 'summary';
  /** ETag of a listing already held; the result is `notModified` when it is current. */
  ifNoneMatch?: string;
}

export type Listing =
  | { notModified: false; integrations: Record<string, Integration>; etag: string | undefined }
  | { notModified: true; etag: string | undefined };

/**
 * Typed client of the integrations REST API. It uses the global `fetch`, so
 * it runs in browsers and in Node.js 18 or later. Failures throw ApiError
 * subclasses built from the problem details of the response.
 */
export class IntegrationsClient {
  readonly sessionId: string;

  private readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.sessionId = options.sessionId;
    this.token = options.token;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Returns a client for another session of the same service. */
  forSession(sessionId: string): IntegrationsClient {
    return new IntegrationsClient({
      baseUrl: this.baseUrl,
      sessionId,
      fetch: this.fetchImpl,
      ...(this.token === undefined ? {} : { token: this.token }),
    });
  }

  async listIntegrations(options: ListOptions = {}): Promise<Listing> {
    const query = options.view === undefined ? '' : `?view=${options.view}`;
    const headers: Record<string, string> = {};

    if (options.ifNoneMatch !== undefined) headers['if-none-match'] = options.ifNoneMatch;

    const response = await this.send('GET', `${this.integrationsPath()}${query}`, { headers });

    if (response.status === 304) return { notModified: true, etag: etagOf(response) };

    const body = (await response.json()) as { integrations: Record<string, Integration> };

    return { notModified: false, integrations: body.integrations, etag: etagOf(response) };
  }

  getIntegration(integrationId: string): Promise<Versioned<Integration>> {
    return this.versioned('GET', this.integrationsPath(integrationId));
  }

  /** Creates an integration on `provider` (`type:slug` or `slug`). */
  addIntegration(payload: IntegrationCreate): Promise<Versioned<Integration>> {
    return this.versioned('POST', this.integrationsPath(), { body: payload });
  }

  updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    options: WriteOptions = {},
  ): Promise<Versioned<Integration>> {
    return this.versioned('POST', this.integrationsPath(integrationId), {
      body: payload,
      ...options,
    });
  }

  async removeIntegration(integrationId: string, options: WriteOptions = {}): Promise<void> {
    await this.send('DELETE', this.integrationsPath(integrationId), options);
  }

  /** Lists resources; `resourceType` `all` (the default) lists every type. */
  async listResources(integrationId: string, resourceType = 'all'): Promise<Resource[]> {
    const response = await this.send('GET', this.integrationsPath(integrationId, resourceType));

    return ((await response.json()) as { resources: Resource[] }).resources;
  }

  getResource(
    integrationId: string,
    resourceId: string,
    resourceType = 'all',
  ): Promise<Versioned<Resource>> {
    return this.versioned('GET', this.integrationsPath(integrationId, resourceType, resourceId));
  }

  addResource(
    integrationId: string,
    payload: ResourceCreate,
    options: WriteOptions = {},
  ): Promise<Versioned<Resource>> {
    const path = this.integrationsPath(integrationId, payload.resource_type);

    return this.versioned('POST', path, { body: payload, ...options });
  }

  updateResource(
    integrationId: string,
    resourceId: string,
    payload: ResourceUpdate,
    options: WriteOptions = {},
  ): Promise<Versioned<Resource>> {
    const path = this.integrationsPath(integrationId, payload.resource_type ?? 'any', resourceId);

    return this.versioned('POST', path, { body: payload, ...options });
  }

  async removeResource(
    integrationId: string,
    resourceId: string,
    options: WriteOptions = {},
  ): Promise<void> {
    await this.send('DELETE', this.integrationsPath(integrationId, 'any', resourceId), options);
  }

  async listProviders(): Promise<Record<string, ProviderInfo>> {
    const response = await this.send('GET', `/beaker/providers/${this.segment(this.sessionId)}`);

    return ((await response.json()) as { providers: Record<string, ProviderInfo> }).providers;
  }

  async renderIntegration(integrationId: string): Promise<RenderedIntegration> {
    const path = `/beaker/rendered/${this.segment(this.sessionId)}/${this.segment(integrationId)}`;

    return (await (await this.send('GET', path)).json()) as RenderedIntegration;
  }

  async listSessions(): Promise<SessionInfo[]> {
    const response = await this.send('GET', '/beaker/sessions');

    return ((await response.json()) as { sessions: SessionInfo[] }).sessions;
  }

  /** Creates this client's session on `context` (the default context when absent). */
  async createSession(context?: string): Promise<SessionInfo> {
    const body = context === undefined ? {} : { context };
    const response = await this.send('PUT', `/beaker/sessions/${this.segment(this.sessionId)}`, {
      body,
    });

    return (await response.json()) as SessionInfo;
  }

  async openApi(): Promise<Record<string, unknown>> {
    return (await (await this.send('GET', '/beaker/openapi.json')).json()) as Record<
      string,
      unknown
    >;
  }

  /** Health of the stores; resolves for 503 too, with `status: 'degraded'`. */
  async health(): Promise<Health> {
    const response = await this.fetchImpl(`${this.baseUrl}/healthz`, { headers: this.headers() });

    return (await response.json()) as Health;
  }

  private integrationsPath(...segments: string[]): string {
    return ['/beaker/integrations', this.sessionId, ...segments]
      .map((part, index) => (index === 0 ? part : this.segment(part)))
      .join('/');
  }

  private segment(value: string): string {
    return encodeURIComponent(value);
  }

  private async versioned<T>(
    method: string,
    path: string,
    options: { body?: unknown; ifMatch?: string | undefined } = {},
  ): Promise<Versioned<T>> {
    const response = await this.send(method, path, options);

    return { value: (await response.json()) as T, etag: etagOf(response) };
  }

  private async send(
    method: string,
    path: string,
    options: {
      body?: unknown;
      ifMatch?: string | undefined;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const headers = this.headers(options.headers);

    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    if (options.body !== undefined) headers['content-type'] = 'application/json';

    const url = `${this.baseUrl}${path}`;
    const init = {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    };
    const response = await this.fetchImpl(url, init).catch((error: unknown) => {
      throw new ConnectionError(url, error);
    });

    if (response.ok || response.status === 304) return response;

    throw await toError(response);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };

    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;

    return headers;
  }
}

function etagOf(response: Response): string | undefined {
  return response.headers.get('etag') ?? undefined;
}

async function toError(response: Response) {
  const text = await response.text();

  try {
    const parsed = JSON.parse(text) as { status?: unknown; detail?: unknown };

    if (typeof parsed.status === 'number' && typeof parsed.detail === 'string') {
      return errorFromProblem(parsed as Parameters<typeof errorFromProblem>[0]);
    }
  } catch {
    // Not problem details: fall through to a generic error.
  }

  return errorFromProblem(fallbackProblem(response.status, response.statusText, text));
}
