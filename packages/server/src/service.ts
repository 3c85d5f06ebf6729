import { Context, SessionManager, StoreProvider } from '@beaker-integrations/core';
import { InvalidInputError } from '@beaker-integrations/model';
import { FsStore } from '@beaker-integrations/store-fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

import { buildServer } from './app.js';
import type { ProviderConfig, ResolvedConfig } from './config.js';

export interface Service {
  app: FastifyInstance;
  sessions: SessionManager;
  providers: StoreProvider[];
  close(): Promise<void>;
}

/**
 * Builds every provider, context and the session manager from a config,
 * loads the stores, and returns the server ready to listen. Contexts that
 * name the same store share one provider, hence one in-memory copy.
 */
export async function createService(
  config: ResolvedConfig,
  logger: Logger,
  version?: string,
): Promise<Service> {
  const providers = new Map<string, StoreProvider>();
  const contexts = new Map<string, Context>();

  for (const [name, providerConfigs] of Object.entries(config.contexts)) {
    const members = providerConfigs.map((item) => sharedProvider(providers, item, logger));

    contexts.set(name, new Context({ name, providers: members, logger }));
  }

  await Promise.all([...providers.values()].map((provider) => provider.load()));

  const sessions = new SessionManager({
    contexts,
    defaultContext: config.defaultContext,
    autoCreate: config.autoCreateSessions,
    maxSessions: config.maxSessions,
    idleTimeoutMs: config.idleTimeoutMs,
  });
  const storeProviders = [...providers.values()];
  const app = buildServer({
    logger,
    sessions,
    storeProviders,
    bodyLimit: config.bodyLimit,
    callTimeoutMs: config.callTimeoutMs,
    token: config.token,
    corsOrigins: config.corsOrigins,
    ...(version === undefined ? {} : { version }),
  });

  return {
    app,
    sessions,
    providers: storeProviders,
    async close() {
      await app.close();
    },
  };
}

function sharedProvider(
  providers: Map<string, StoreProvider>,
  config: ProviderConfig,
  logger: Logger,
): StoreProvider {
  const store = new FsStore({ roots: config.roots, logger });
  const existing = providers.get(store.key);

  if (existing === undefined) {
    const provider = new StoreProvider({
      store,
      providerType: config.type,
      slug: config.slug,
      displayName: config.display_name ?? config.slug,
      ...(config.description === undefined ? {} : { description: config.description }),
      readOnly: config.read_only ?? false,
      logger,
    });

    providers.set(store.key, provider);

    return provider;
  }

  if (existing.slug !== config.slug || existing.mutable === (config.read_only ?? false)) {
    throw new InvalidInputError(
      'contexts',
      `roots ${config.roots.join(', ')} are configured twice with different slugs or read_only settings; use one provider definition per set of roots`,
    );
  }

  return existing;
}
