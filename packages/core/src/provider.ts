import type {
  Integration,
  IntegrationCreate,
  IntegrationUpdate,
  Resource,
  ResourceCreate,
  ResourceUpdate,
} from '@beaker-integrations/model';

/** Conditions on a write, checked atomically with it. */
export interface WriteOptions {
  /**
   * Entity tag the caller last saw (an `ETag` value). When it no longer
   * matches the current version of the target, the write throws
   * PreconditionFailedError and changes nothing.
   */
  ifMatch?: string;
}

/** A function an agent may call, with a JSON Schema for its input. */
export interface ProviderTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  run(input: unknown): Promise<unknown>;
}

/**
 * A source of integrations: the read half of the provider SDK. Every method
 * throws NotFoundError for an unknown integration or resource; other failures
 * should be DomainErrors too, because anything else is reported as a 500.
 */
export interface IntegrationProvider {
  /** Kind of provider, such as `adhoc`; the first half of `Integration.provider`. */
  readonly providerType: string;
  /** Unique within a context; the second half of `Integration.provider`. */
  readonly slug: string;
  readonly displayName: string;
  readonly description?: string;
  /** Extra guidance for the agent, appended to the default prompt. */
  readonly promptInstructions?: string;
  /** Whether the write methods are available; false makes writes fail with ReadOnlyError. */
  readonly mutable: boolean;
  readonly tools?: readonly ProviderTool[];

  /**
   * Counter that changes whenever any integration of this provider changes.
   * When present, a context caches its serialised listing until it moves.
   */
  readonly revision?: number;

  listIntegrations(): Promise<Integration[]>;
  getIntegration(integrationId: string): Promise<Integration>;
  listResources(integrationId: string, resourceType?: string): Promise<Resource[]>;
  getResource(integrationId: string, resourceId: string): Promise<Resource>;

  /** Reports ownership without a listing. Without it, a context lists the provider to find owners. */
  hasIntegration?(integrationId: string): boolean;

  /** Text the agent is given about this provider; `defaultPrompt` when absent. */
  prompt?(): Promise<string>;

  /** Absolute path of a data file for the `{% file PATH %}` template tag. */
  resolveDataFile?(path: string): string | undefined;
}

/** The write half of the provider SDK. */
export interface MutableIntegrationProvider extends IntegrationProvider {
  addIntegration(payload: IntegrationCreate, options?: WriteOptions): Promise<Integration>;
  updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    options?: WriteOptions,
  ): Promise<Integration>;
  removeIntegration(integrationId: string, options?: WriteOptions): Promise<void>;
  addResource(
    integrationId: string,
    payload: ResourceCreate,
    options?: WriteOptions,
  ): Promise<Resource>;
  updateResource(
    integrationId: string,
    resourceId: string,
    payload: ResourceUpdate,
    options?: WriteOptions,
  ): Promise<Resource>;
  removeResource(integrationId: string, resourceId: string, options?: WriteOptions): Promise<void>;
}

/** Checks that the provider accepts writes: its `mutable` flag is set and it implements the write methods. */
export function isMutable(provider: IntegrationProvider): provider is MutableIntegrationProvider {
  const candidate = provider as Partial<MutableIntegrationProvider>;

  return provider.mutable && typeof candidate.addIntegration === 'function';
}

/** Returns the `provider` field value of the provider's integrations: `type:slug`. */
export function providerId(provider: Pick<IntegrationProvider, 'providerType' | 'slug'>): string {
  return `${provider.providerType}:${provider.slug}`;
}
