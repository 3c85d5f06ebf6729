import type { SessionManager, StoreProvider } from '@beaker-integrations/core';

/** Services and settings of the running service that route handlers use. */
export interface RouteDeps {
  sessions: SessionManager;
  /** Milliseconds a provider call may take before the request fails with 504. */
  callTimeoutMs: number;
  /** Every store-backed provider of every context, for the health check. */
  storeProviders: readonly StoreProvider[];
}
