import {
  InvalidInputError,
  NotFoundError,
  idRecord,
  type Integration,
  type ProviderInfo,
  type RenderedIntegration,
} from '@beaker-integrations/model';

import { entityTag } from './etag.js';
import { silentLogger, type Logger } from './logger.js';
import { providerId, type IntegrationProvider } from './provider.js';
import { renderIntegration } from './render.js';
import { isStoreProvider } from './store-provider.js';

/** `full` is the wire listing; `summary` leaves out file `content` and example `code`. */
export type ListingView = 'full' | 'summary';

export interface Listing {
  /** UTF-8 bytes of the JSON text, encoded once so that each response only copies them. */
  body: Buffer;
  etag: string;
  /** The JSON text, decoded from `body` on each read. */
  readonly json: string;
}

export interface ContextOptions {
  name: string;
  providers: IntegrationProvider[];
  logger?: Logger;
}

/**
 * The providers available to one agent session, seen as one flat map of
 * integrations keyed by uuid. When two providers hold one uuid, the first in
 * provider order wins and the other is skipped with a warning.
 */
export class Context {
  readonly name: string;

  private readonly providers: readonly IntegrationProvider[];
  private readonly bySlug = new Map<string, IntegrationProvider>();
  private readonly logger: Logger;
  private readonly listings = new Map<ListingView, Listing & { key: string }>();
  private readonly warnedDuplicates = new Set<string>();
  /** Owners of integrations of providers that do not implement `hasIntegration`. */
  private ownerIndex = new Map<string, IntegrationProvider>();

  constructor(options: ContextOptions) {
    this.name = options.name;
    this.providers = [...options.providers];
    this.logger = options.logger ?? silentLogger;

    for (const provider of this.providers) {
      if (this.bySlug.has(provider.slug)) {
        throw new InvalidInputError(
          'providers',
          `context '${this.name}' has two providers with slug '${provider.slug}'; give each a unique slug`,
        );
      }

      this.bySlug.set(provider.slug, provider);
    }
  }

  get providerList(): readonly IntegrationProvider[] {
    return this.providers;
  }

  listProviders(): Record<string, ProviderInfo> {
    const providers: Record<string, ProviderInfo> = {};

    for (const provider of this.providers) {
      providers[provider.slug] = {
        provider_type: provider.providerType,
        display_name: provider.displayName,
        mutable: provider.mutable,
      };
    }

    return providers;
  }

  /** Finds a provider by `type:slug` or by bare `slug`. */
  resolveProvider(reference: string): IntegrationProvider {
    const separator = reference.lastIndexOf(':');
    const slug = separator === -1 ? reference : reference.slice(separator + 1);
    const provider = this.bySlug.get(slug);

    if (provider === undefined) throw new NotFoundError('provider', reference);

    if (separator !== -1 && providerId(provider) !== reference) {
      throw new NotFoundError('provider', reference);
    }

    return provider;
  }

  /** Finds the provider that owns an integration, without listing store-backed providers. */
  async ownerOf(integrationId: string): Promise<IntegrationProvider> {
    for (const provider of this.providers) {
      if (provider.hasIntegration !== undefined) {
        if (provider.hasIntegration(integrationId)) return provider;
        continue;
      }

      if (!this.ownerIndex.has(integrationId)) await this.rebuildOwnerIndex();
      if (this.ownerIndex.get(integrationId) === provider) return provider;
    }

    throw new NotFoundError('integration', integrationId);
  }

  async listIntegrations(): Promise<Record<string, Integration>> {
    const merged = idRecord<Integration>();

    for (const provider of this.providers) {
      for (const integration of await provider.listIntegrations()) {
        if (this.admit(merged, integration, provider)) merged[integration.uuid] = integration;
      }
    }

    return merged;
  }

  /**
   * JSON text of `{"integrations": {...}}` and its entity tag. When every
   * provider exposes a revision, the text is built once per change and
   * reused; otherwise it is rebuilt on each call.
   */
  async listing(view: ListingView = 'full'): Promise<Listing> {
    const key = this.revisionKey();
    const cached = this.listings.get(view);

    if (key !== undefined && cached?.key === key) return cached;

    const body = await this.buildListing(view);
    const listing = {
      body,
      etag: entityTag(body),
      key: key ?? '',
      get json() {
        return body.toString('utf8');
      },
    };

    if (key !== undefined) this.listings.set(view, listing);

    return listing;
  }

  /**
   * The listing built for the current revision of every provider, or
   * undefined when it must be built first. It never waits on a provider, so
   * a caller needs no timeout around it.
   */
  currentListing(view: ListingView = 'full'): Listing | undefined {
    const key = this.revisionKey();
    const cached = this.listings.get(view);

    return key !== undefined && cached?.key === key ? cached : undefined;
  }

  /**
   * Returns the revision of every provider, in provider order, or undefined
   * when one has none. A value derived from the providers' integrations right
   * after the stamp was taken is current while `unchangedSince(stamp)` is true.
   */
  revisionStamp(): readonly number[] | undefined {
    const stamp: number[] = [];

    for (const provider of this.providers) {
      if (provider.revision === undefined) return undefined;
      stamp.push(provider.revision);
    }

    return stamp;
  }

  /** Checks, without allocating, that no provider has changed since `stamp` was taken. */
  unchangedSince(stamp: readonly number[]): boolean {
    if (stamp.length !== this.providers.length) return false;

    for (let index = 0; index < stamp.length; index++) {
      if (this.providers[index]!.revision !== stamp[index]) return false;
    }

    return true;
  }

  /**
   * The owner of an integration when every provider up to it implements
   * `hasIntegration`, so that no provider is called; undefined when that
   * does not settle it, and `ownerOf` must decide.
   */
  indexedOwnerOf(integrationId: string): IntegrationProvider | undefined {
    for (const provider of this.providers) {
      if (provider.hasIntegration === undefined) return undefined;
      if (provider.hasIntegration(integrationId)) return provider;
    }

    return undefined;
  }

  async render(integrationId: string): Promise<RenderedIntegration> {
    const provider = await this.ownerOf(integrationId);
    const integration = await provider.getIntegration(integrationId);

    return renderIntegration(integration, provider.resolveDataFile?.bind(provider));
  }

  /**
   * Builds the listing's UTF-8 bytes from the JSON text of each integration.
   * The pieces go straight into one buffer: joining them into one string
   * first left about twice the listing's size as garbage (28 MB at 10,000
   * integrations) and raised the resident memory by as much.
   */
  private async buildListing(view: ListingView): Promise<Buffer> {
    const pieces: (string | Buffer)[] = ['{"integrations":{'];
    const seen = idRecord<Integration>();

    for (const provider of this.providers) {
      for (const integration of await provider.listIntegrations()) {
        if (!this.admit(seen, integration, provider)) continue;
        if (pieces.length > 1) pieces.push(',');

        seen[integration.uuid] = integration;
        pieces.push(JSON.stringify(integration.uuid), ':', serialize(provider, integration, view));
      }
    }

    pieces.push('}}');

    return utf8Buffer(pieces);
  }

  private admit(
    seen: Record<string, Integration>,
    integration: Integration,
    provider: IntegrationProvider,
  ): boolean {
    const first = seen[integration.uuid];

    if (first === undefined) return true;

    const key = `${integration.uuid} ${first.provider} ${providerId(provider)}`;

    if (!this.warnedDuplicates.has(key)) {
      this.warnedDuplicates.add(key);
      this.logger.warn(
        { integration: integration.uuid, kept: first.provider, skipped: providerId(provider) },
        'duplicate integration uuid skipped',
      );
    }

    return false;
  }

  private revisionKey(): string | undefined {
    return this.revisionStamp()?.join(',');
  }

  private async rebuildOwnerIndex(): Promise<void> {
    const index = new Map<string, IntegrationProvider>();

    for (const provider of this.providers) {
      if (provider.hasIntegration !== undefined) continue;

      for (const integration of await provider.listIntegrations()) {
        if (!index.has(integration.uuid)) index.set(integration.uuid, provider);
      }
    }

    this.ownerIndex = index;
  }
}

function serialize(
  provider: IntegrationProvider,
  integration: Integration,
  view: ListingView,
): string | Buffer {
  if (view === 'summary') return JSON.stringify(summarize(integration));
  if (isStoreProvider(provider)) return provider.integrationJson(integration.uuid);

  return JSON.stringify(integration);
}

/** Copy of an integration without file `content` and example `code`. */
export function summarize(integration: Integration): Integration {
  const resources: Integration['resources'] = idRecord();

  for (const [id, resource] of Object.entries(integration.resources)) {
    if (resource.resource_type === 'file') {
      const { content: _content, ...rest } = resource;
      resources[id] = rest as typeof resource;
    } else {
      const { code: _code, ...rest } = resource;
      resources[id] = rest as typeof resource;
    }
  }

  return { ...integration, resources };
}

/** Encodes the concatenation of `pieces` (text, or bytes already in UTF-8) into one buffer, without building the joined string. */
function utf8Buffer(pieces: (string | Buffer)[]): Buffer {
  let length = 0;

  for (const piece of pieces)
    length += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;

  const buffer = Buffer.allocUnsafe(length);
  let offset = 0;

  for (const piece of pieces) {
    offset += typeof piece === 'string' ? buffer.write(piece, offset) : piece.copy(buffer, offset);
  }

  return buffer;
}
