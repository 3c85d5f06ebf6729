import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ReadOnlyError,
  idRecord,
  toIdRecord,
  type Integration,
  type Resource,
} from '@beaker-integrations/model';

import { deepFreeze } from './deep-freeze.js';
import { entityTag, ifMatchSatisfied } from './etag.js';
import { KeyedMutex } from './keyed-mutex.js';
import { silentLogger, type Logger } from './logger.js';
import { defaultPrompt } from './prompt.js';
import type {
  IntegrationProvider,
  MutableIntegrationProvider,
  ProviderTool,
  WriteOptions,
} from './provider.js';
import {
  buildIntegration,
  buildResource,
  mergeIntegration,
  mergeResource,
  orderIntegration,
} from './records.js';
import type { IntegrationStore, LoadProblem, StoredIntegration } from './store.js';
import { addExampleTool } from './tools.js';

export interface StoreProviderOptions {
  store: IntegrationStore;
  providerType: string;
  slug: string;
  displayName: string;
  description?: string;
  /** Rejects every write with ReadOnlyError when true. */
  readOnly?: boolean;
  logger?: Logger;
}

interface Entry {
  integration: StoredIntegration;
  /** UTF-8 bytes, kept outside the V8 heap: as strings they took 28 MB of it at 10,000 integrations. */
  json?: Buffer;
  etag?: string;
}

/** Lock key for changes to the set of integrations and their slugs. */
const STRUCTURE_LOCK = '\u0000structure';

/**
 * A provider whose integrations live in an IntegrationStore. It keeps the
 * one in-memory copy that every session sharing the store reads, validates
 * every payload, serialises writes per integration, checks `If-Match`, and
 * changes memory only after the store has persisted the change.
 */
export class StoreProvider implements MutableIntegrationProvider {
  readonly providerType: string;
  readonly slug: string;
  readonly displayName: string;
  readonly description: string;
  readonly mutable: boolean;
  readonly tools: readonly ProviderTool[];
  promptInstructions?: string;

  private readonly store: IntegrationStore;
  private readonly logger: Logger;
  private readonly entries = new Map<string, Entry>();
  private readonly slugs = new Map<string, string>();
  private readonly locks = new KeyedMutex();
  private problems: LoadProblem[] = [];
  private revisionCounter = 0;

  constructor(options: StoreProviderOptions) {
    this.store = options.store;
    this.providerType = options.providerType;
    this.slug = options.slug;
    this.displayName = options.displayName;
    this.description = options.description ?? '';
    this.mutable = options.readOnly !== true;
    this.logger = (options.logger ?? silentLogger).child?.({ provider: this.id }) ?? silentLogger;
    this.tools = this.mutable ? [addExampleTool(this)] : [];
  }

  get id(): string {
    return `${this.providerType}:${this.slug}`;
  }

  get revision(): number {
    return this.revisionCounter;
  }

  get storeKey(): string {
    return this.store.key;
  }

  /** Problems met by the last load: folders or rows skipped, and why. */
  get loadProblems(): readonly LoadProblem[] {
    return this.problems;
  }

  /** Loads every integration from the store, replacing the in-memory copy. */
  async load(): Promise<void> {
    const result = await this.store.load();

    this.entries.clear();
    this.slugs.clear();
    this.problems = [...result.problems];

    for (const stored of result.integrations) this.admitLoaded(stored);

    this.promptInstructions = await this.store.promptInstructions?.();
    this.revisionCounter += 1;
    this.logger.info(
      { integrations: this.entries.size, problems: this.problems.length },
      'store loaded',
    );
  }

  hasIntegration(integrationId: string): boolean {
    return this.entries.has(integrationId);
  }

  // The read methods are async so that a NotFoundError rejects the returned
  // promise instead of throwing at the call.
  async listIntegrations(): Promise<Integration[]> {
    return [...this.entries.values()].map((entry) => entry.integration);
  }

  async getIntegration(integrationId: string): Promise<Integration> {
    return this.entry(integrationId).integration;
  }

  async listResources(integrationId: string, resourceType?: string): Promise<Resource[]> {
    const resources = Object.values(this.entry(integrationId).integration.resources);
    const all = resourceType === undefined || resourceType === 'all';

    return all ? resources : resources.filter((r) => r.resource_type === resourceType);
  }

  async getResource(integrationId: string, resourceId: string): Promise<Resource> {
    return this.resource(this.entry(integrationId).integration, resourceId);
  }

  /**
   * Returns the integration as stored in memory, or undefined when unknown. Unlike
   * `getIntegration` it is synchronous, for hot read paths.
   */
  peekIntegration(integrationId: string): Integration | undefined {
    return this.entries.get(integrationId)?.integration;
  }

  /** Returns the resource as stored in memory, or undefined when either id is unknown. */
  peekResource(integrationId: string, resourceId: string): Resource | undefined {
    const resources = this.entries.get(integrationId)?.integration.resources;

    return resources !== undefined && Object.hasOwn(resources, resourceId)
      ? resources[resourceId]
      : undefined;
  }

  /** UTF-8 JSON of one integration, serialised once per version. */
  integrationJson(integrationId: string): Buffer {
    const entry = this.entry(integrationId);

    entry.json ??= utf8Bytes(JSON.stringify(entry.integration));

    return entry.json;
  }

  /** Strong entity tag of one integration's current version. */
  integrationTag(integrationId: string): string {
    const entry = this.entry(integrationId);

    entry.etag ??= entityTag(this.integrationJson(integrationId));

    return entry.etag;
  }

  resolveDataFile(path: string): string | undefined {
    return this.store.resolveDataFile?.(path);
  }

  async prompt(): Promise<string> {
    return defaultPrompt(this, await this.listIntegrations());
  }

  health() {
    return this.store.health();
  }

  async addIntegration(payload: unknown, options: WriteOptions = {}): Promise<Integration> {
    this.assertWritable();

    const draft = buildIntegration(payload, this.id);
    const resourcePayloads = Object.values(
      ((payload as Record<string, unknown>).resources ?? {}) as Record<string, unknown>,
    );

    return await this.locks.run(STRUCTURE_LOCK, async () => {
      this.assertNoTag(options);

      if (this.entries.has(draft.uuid)) {
        throw new ConflictError(`an integration with uuid '${draft.uuid}' already exists`);
      }

      this.assertSlugFree(draft.slug);

      const resources = idRecord<Resource>();

      for (const resourcePayload of resourcePayloads) {
        const resource = buildResource(draft.uuid, resourcePayload);

        this.assertResourceFree(resources, resource);
        resources[resource.resource_id] = resource;
      }

      const next = { ...draft, resources };

      await this.checkFilePaths(next, Object.values(resources));
      await this.store.save(null, next);

      return this.commit(next);
    });
  }

  async updateIntegration(
    integrationId: string,
    payload: unknown,
    options: WriteOptions = {},
  ): Promise<Integration> {
    this.assertWritable();

    const update = (holdsStructureLock: boolean) =>
      this.locks.run(integrationId, async () => {
        const current = this.entry(integrationId);

        this.assertTag(options, this.integrationTag(integrationId), integrationId);

        const next = mergeIntegration(current.integration, payload);

        if (slugKey(next.slug) !== slugKey(current.integration.slug)) {
          if (!holdsStructureLock) return undefined;

          this.assertSlugFree(next.slug, integrationId);
        }

        return this.persist(current.integration, next);
      });

    // Only a slug change needs the provider-wide lock; other updates of
    // different integrations proceed in parallel.
    const saved = await update(false);

    if (saved !== undefined) return saved;

    return await this.locks.run(STRUCTURE_LOCK, async () => {
      return (await update(true)) ?? this.entry(integrationId).integration;
    });
  }

  async removeIntegration(integrationId: string, options: WriteOptions = {}): Promise<void> {
    this.assertWritable();

    return await this.locks.run(STRUCTURE_LOCK, () =>
      this.locks.run(integrationId, async () => {
        const current = this.entry(integrationId);

        this.assertTag(options, this.integrationTag(integrationId), integrationId);
        await this.store.remove(current.integration);

        this.entries.delete(integrationId);
        this.slugs.delete(slugKey(current.integration.slug));
        this.revisionCounter += 1;
        this.logger.info({ integration: integrationId }, 'integration removed');
      }),
    );
  }

  async addResource(
    integrationId: string,
    payload: unknown,
    options: WriteOptions = {},
  ): Promise<Resource> {
    this.assertWritable();

    return await this.locks.run(integrationId, async () => {
      const current = this.entry(integrationId).integration;

      this.assertTag(options, this.integrationTag(integrationId), integrationId);

      const resource = buildResource(integrationId, payload);

      this.assertResourceFree(current.resources, resource);
      await this.checkFilePaths(current, [resource]);

      const resources = toIdRecord(current.resources);

      resources[resource.resource_id] = resource;

      const saved = await this.persist(current, { ...current, resources });

      return this.resource(saved, resource.resource_id);
    });
  }

  async updateResource(
    integrationId: string,
    resourceId: string,
    payload: unknown,
    options: WriteOptions = {},
  ): Promise<Resource> {
    this.assertWritable();

    return await this.locks.run(integrationId, async () => {
      const { current, existing } = this.resourceForWrite(integrationId, resourceId, options);

      const resource = mergeResource(existing, payload);
      const others = toIdRecord(current.resources);

      delete others[resourceId];
      this.assertResourceFree(others, resource);

      if (resource.resource_type === 'file' && existing.resource_type === 'file') {
        if (resource.filepath !== existing.filepath) await this.checkFilePaths(current, [resource]);
      }

      const resources = toIdRecord(current.resources);

      resources[resourceId] = resource;

      const saved = await this.persist(current, { ...current, resources });

      return this.resource(saved, resourceId);
    });
  }

  async removeResource(
    integrationId: string,
    resourceId: string,
    options: WriteOptions = {},
  ): Promise<void> {
    this.assertWritable();

    return await this.locks.run(integrationId, async () => {
      const { current } = this.resourceForWrite(integrationId, resourceId, options);

      const resources = toIdRecord(current.resources);

      delete resources[resourceId];
      await this.persist(current, { ...current, resources });
    });
  }

  /** Alias of `removeResource`, the name Beaker's seed document uses. */
  async deleteResource(
    integrationId: string,
    resourceId: string,
    options?: WriteOptions,
  ): Promise<void> {
    return await this.removeResource(integrationId, resourceId, options);
  }

  private admitLoaded(stored: StoredIntegration): void {
    const existing = this.entries.get(stored.uuid);

    if (existing !== undefined) {
      this.logger.warn(
        { integration: stored.uuid, kept: existing.integration.slug, skipped: stored.slug },
        'duplicate integration uuid skipped',
      );
      this.problems.push({
        location: stored.slug,
        message: `uuid ${stored.uuid} is already used by '${existing.integration.slug}', which wins; this one is skipped`,
      });
      return;
    }

    const integration = frozen(orderIntegration({ ...stored, provider: this.id }));

    this.entries.set(integration.uuid, { integration });
    this.slugs.set(slugKey(integration.slug), integration.uuid);
  }

  private async persist(current: StoredIntegration, next: StoredIntegration): Promise<Integration> {
    if (JSON.stringify(current) === JSON.stringify(next)) return current;

    await this.store.save(current, next);

    return this.commit(next);
  }

  private commit(next: StoredIntegration): Integration {
    const previous = this.entries.get(next.uuid)?.integration;
    const integration = frozen(next);

    if (previous !== undefined) this.slugs.delete(slugKey(previous.slug));

    this.entries.set(integration.uuid, { integration });
    this.slugs.set(slugKey(integration.slug), integration.uuid);
    this.revisionCounter += 1;

    return integration;
  }

  private entry(integrationId: string): Entry {
    const entry = this.entries.get(integrationId);

    if (entry === undefined) throw new NotFoundError('integration', integrationId);

    return entry;
  }

  private resource(integration: Integration, resourceId: string): Resource {
    const resource = Object.hasOwn(integration.resources, resourceId)
      ? integration.resources[resourceId]
      : undefined;

    if (resource === undefined) throw new NotFoundError('resource', resourceId);

    return resource;
  }

  /** Returns the integration and resource that a resource write targets, after the If-Match check. */
  private resourceForWrite(
    integrationId: string,
    resourceId: string,
    options: WriteOptions,
  ): { current: StoredIntegration; existing: Resource } {
    const current = this.entry(integrationId).integration;
    const existing = this.resource(current, resourceId);

    this.assertResourceTag(options, integrationId, existing);

    return { current, existing };
  }

  private assertWritable(): void {
    if (!this.mutable) throw new ReadOnlyError(this.id);
  }

  private assertSlugFree(slug: string, self?: string): void {
    const owner = this.slugs.get(slugKey(slug));

    if (owner !== undefined && owner !== self) {
      throw new ConflictError(
        `slug '${slug}' is already used by integration ${owner} in provider '${this.id}'; choose another name or slug`,
      );
    }
  }

  private assertResourceFree(resources: Record<string, Resource>, resource: Resource): void {
    if (Object.hasOwn(resources, resource.resource_id)) {
      throw new ConflictError(
        `resource '${resource.resource_id}' already exists; update it instead`,
      );
    }

    if (resource.resource_type !== 'file') return;

    const sharing = Object.values(resources).find(
      (other) => other.resource_type === 'file' && other.filepath === resource.filepath,
    );

    if (sharing !== undefined) {
      throw new ConflictError(
        `filepath '${resource.filepath}' is already used by file resource '${sharing.resource_id}'; choose another filepath`,
      );
    }

    // A file's name is its template variable, so two files with one name
    // would leave the template to pick one of them silently.
    const namesake = Object.values(resources).find(
      (other) => other.resource_type === 'file' && other.name === resource.name,
    );

    if (namesake !== undefined) {
      throw new ConflictError(
        `file name '${resource.name}' is already used by file resource '${namesake.resource_id}'; file names are template variables and must be unique`,
      );
    }
  }

  private async checkFilePaths(
    integration: StoredIntegration,
    resources: Resource[],
  ): Promise<void> {
    for (const resource of resources) {
      if (resource.resource_type === 'file') {
        await this.store.checkFilePath?.(integration, resource.filepath);
      }
    }
  }

  private assertNoTag(options: WriteOptions): void {
    if (options.ifMatch !== undefined && options.ifMatch.trim() !== '*') {
      throw new PreconditionFailedError(
        'If-Match cannot match an integration that does not exist yet',
      );
    }
  }

  private assertTag(options: WriteOptions, current: string, integrationId: string): void {
    if (options.ifMatch === undefined || ifMatchSatisfied(options.ifMatch, current)) return;

    throw new PreconditionFailedError(
      `integration ${integrationId} has changed since it was read (If-Match ${options.ifMatch}, current ${current}); reload it and apply the change again`,
    );
  }

  /** A resource write matches the resource's own tag or its integration's tag. */
  private assertResourceTag(
    options: WriteOptions,
    integrationId: string,
    resource: Resource,
  ): void {
    if (options.ifMatch === undefined) return;

    const resourceTag = entityTag(JSON.stringify(resource));

    const integrationTag = this.integrationTag(integrationId);

    if (ifMatchSatisfied(options.ifMatch, resourceTag)) return;
    if (ifMatchSatisfied(options.ifMatch, integrationTag)) return;

    throw new PreconditionFailedError(
      `resource ${resource.resource_id} has changed since it was read: If-Match ${options.ifMatch} matches neither the resource's current ETag ${resourceTag} nor its integration's ${integrationTag}; reload it and apply the change again`,
    );
  }
}

function slugKey(slug: string): string {
  return slug.toLowerCase();
}

export function isStoreProvider(provider: IntegrationProvider): provider is StoreProvider {
  return provider instanceof StoreProvider;
}

/** Returns the integration as kept in memory: frozen, with its resources in an id record. */
function frozen(integration: StoredIntegration): StoredIntegration {
  return deepFreeze({ ...integration, resources: toIdRecord(integration.resources) });
}

/**
 * Encodes `text` into a buffer of its own. `Buffer.from` places small
 * results in shared 8 KB slabs, and a kept 3 KB slice keeps its whole slab.
 */
function utf8Bytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));

  bytes.write(text);

  return bytes;
}
