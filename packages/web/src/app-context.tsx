import type { IntegrationsClient } from '@beaker-integrations/client';
import type { Integration, ProviderInfo } from '@beaker-integrations/model';
import { createContext, useContext } from 'react';

export interface AppState {
  client: IntegrationsClient;
  sessionId: string;
  /** Providers of the session by slug; undefined until loaded. */
  providers: Record<string, ProviderInfo> | undefined;
  reloadProviders(): void;
}

export const AppContext = createContext<AppState | undefined>(undefined);

export function useApp(): AppState {
  const state = useContext(AppContext);

  if (state === undefined) throw new Error('useApp() is used outside <AppContext.Provider>');

  return state;
}

export interface ProviderView {
  /** `type:slug`, as in the integration's `provider` field. */
  key: string;
  slug: string;
  displayName: string;
  mutable: boolean;
}

/** Finds the provider that owns an integration; undefined when the session does not list it. */
export function ownerOf(
  integration: Pick<Integration, 'provider'>,
  providers: Record<string, ProviderInfo> | undefined,
): ProviderView | undefined {
  return providerViews(providers).find((provider) => provider.key === integration.provider);
}

export function providerViews(providers: Record<string, ProviderInfo> | undefined): ProviderView[] {
  return Object.entries(providers ?? {}).map(([slug, info]) => ({
    key: `${info.provider_type}:${slug}`,
    slug,
    displayName: info.display_name,
    mutable: info.mutable,
  }));
}
