import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

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

export interface ServiceOptions {
  version?: string;
  /** Folder for the stores' parse caches; none when undefined. */
  cacheDir?: string | undefined;
}

/**
 * Builds every provider, context and the session manager from a config,
 * loads the stores, and returns the server ready to listen. Contexts that
 * name the same store share one provider, hence one in-memory copy.
 */
export async function createService(
  config: ResolvedConfig,
  logger: Logger,
  options: ServiceOptions = {},
): Promise<Service> {
  const providers = new Map<string, StoreProvider>();
  const contexts = new Map<string, Context>();

  for (const [name, providerConfigs] of Object.entries(config.contexts)) {
    const members = providerConfigs.map((item) =>
      sharedProvider(providers, item, logger, options.cacheDir),
    );

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
    ...(options.version === undefined ? {} : { version: options.version }),
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

/** One cache file per set of roots, named by a digest of their absolute paths. */
function cacheOption(roots: string[], cacheDir: string | undefined): { cacheFile?: string } {
  if (cacheDir === undefined) return {};

  const digest = createHash('sha256')
    .update(roots.map((root) => resolve(root)).join('\n'))
    .digest('hex');

  return { cacheFile: join(cacheDir, `parse-cache-${digest.slice(0, 16)}.json`) };
}

function sharedProvider(
  providers: Map<string, StoreProvider>,
  config: ProviderConfig,
  logger: Logger,
  cacheDir: string | undefined,
): StoreProvider {
  const store = new FsStore({
    roots: config.roots,
    logger,
    ...cacheOption(config.roots, cacheDir),
  });
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
