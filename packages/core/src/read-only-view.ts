import type { Integration, Resource } from '@beaker-integrations/model';

import { defaultPrompt } from './prompt.js';
import type { IntegrationProvider, ProviderTool } from './provider.js';

/** A provider that reports ownership without a listing, as store-backed ones do. */
export type IndexedProvider = IntegrationProvider & {
  hasIntegration(integrationId: string): boolean;
};

/**
 * A read-only face of another provider: same slug, same integrations, same
 * in-memory copy, but every write fails with ReadOnlyError because it has no
 * write methods. A context that must not write uses it to share a store
 * with a context that may.
 */
export class ReadOnlyView implements IntegrationProvider {
  readonly mutable = false;
  readonly tools: readonly ProviderTool[] = [];

  constructor(private readonly inner: IndexedProvider) {}

  get providerType(): string {
    return this.inner.providerType;
  }

  get slug(): string {
    return this.inner.slug;
  }

  get displayName(): string {
    return this.inner.displayName;
  }

  get description(): string | undefined {
    return this.inner.description;
  }

  get promptInstructions(): string | undefined {
    return this.inner.promptInstructions;
  }

  get revision(): number | undefined {
    return this.inner.revision;
  }

  listIntegrations(): Promise<Integration[]> {
    return this.inner.listIntegrations();
  }

  getIntegration(integrationId: string): Promise<Integration> {
    return this.inner.getIntegration(integrationId);
  }

  listResources(integrationId: string, resourceType?: string): Promise<Resource[]> {
    return this.inner.listResources(integrationId, resourceType);
  }

  getResource(integrationId: string, resourceId: string): Promise<Resource> {
    return this.inner.getResource(integrationId, resourceId);
  }

  hasIntegration(integrationId: string): boolean {
    return this.inner.hasIntegration(integrationId);
  }

  async prompt(): Promise<string> {
    if (this.inner.prompt !== undefined) return this.inner.prompt();

    return defaultPrompt(this, await this.listIntegrations());
  }

  resolveDataFile(path: string): string | undefined {
    return this.inner.resolveDataFile?.(path);
  }
}
