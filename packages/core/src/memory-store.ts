import { randomUUID } from 'node:crypto';

import { NotFoundError } from '@beaker-integrations/model';

import type { IntegrationStore, LoadResult, StoreHealth, StoredIntegration } from './store.js';

/**
 * An IntegrationStore that keeps integrations in process memory, for tests
 * and for providers whose data is built at start-up. Everything is lost when
 * the process exits.
 */
export class MemoryStore implements IntegrationStore {
  readonly key: string;

  private readonly integrations = new Map<string, StoredIntegration>();

  constructor(initial: StoredIntegration[] = [], key = `memory:${randomUUID()}`) {
    this.key = key;

    for (const integration of initial)
      this.integrations.set(integration.uuid, structuredClone(integration));
  }

  load(): Promise<LoadResult> {
    const integrations = [...this.integrations.values()].map((item) => structuredClone(item));

    return Promise.resolve({ integrations, problems: [] });
  }

  save(_previous: StoredIntegration | null, next: StoredIntegration): Promise<void> {
    this.integrations.set(next.uuid, structuredClone(next));

    return Promise.resolve();
  }

  remove(integration: StoredIntegration): Promise<void> {
    if (!this.integrations.delete(integration.uuid)) {
      return Promise.reject(new NotFoundError('integration', integration.uuid));
    }

    return Promise.resolve();
  }

  health(): Promise<StoreHealth> {
    return Promise.resolve({ writable: true });
  }
}
