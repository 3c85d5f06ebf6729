import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

import { Context, ReadOnlyView, SessionManager, StoreProvider } from '@beaker-integrations/core';
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
  const providers = buildStoreProviders(config, logger, options.cacheDir);
  const contexts = new Map<string, Context>();

  for (const [name, providerConfigs] of Object.entries(config.contexts)) {
    const members = providerConfigs.map((item) => {
      const provider = providers.get(storeKey(item))!;

      // Roots that another context may write are shared through a read-only view.
      return item.read_only === true && provider.mutable ? new ReadOnlyView(provider) : provider;
    });

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

/** Names one cache file per set of roots, by a digest of their absolute paths. */
function cacheOption(roots: string[], cacheDir: string | undefined): { cacheFile?: string } {
  if (cacheDir === undefined) return {};

  const digest = createHash('sha256')
    .update(roots.map((root) => resolve(root)).join('\n'))
    .digest('hex');

  return { cacheFile: join(cacheDir, `parse-cache-${digest.slice(0, 16)}.json`) };
}

/**
 * Creates one provider per set of roots, however many contexts name it, so
 * that all of them share one in-memory copy. It accepts writes when any
 * context may write; contexts configured read-only get a view of it.
 */
function buildStoreProviders(
  config: ResolvedConfig,
  logger: Logger,
  cacheDir: string | undefined,
): Map<string, StoreProvider> {
  const definitions = new Map<string, ProviderConfig[]>();

  for (const item of Object.values(config.contexts).flat()) {
    const key = storeKey(item);

    definitions.set(key, [...(definitions.get(key) ?? []), item]);
  }

  const providers = new Map<string, StoreProvider>();

  for (const [key, items] of definitions) {
    const first = items[0]!;
    const conflicting = items.find((item) => item.slug !== first.slug || item.type !== first.type);

    if (conflicting !== undefined) {
      throw new InvalidInputError(
        'contexts',
        `roots ${first.roots.join(', ')} are configured with slugs '${first.slug}' and '${conflicting.slug}'; one set of roots needs one slug, because the slug is part of every integration's provider field`,
      );
    }

    const store = new FsStore({
      roots: first.roots,
      logger,
      ...cacheOption(first.roots, cacheDir),
    });
    const displayName = items.find((item) => item.display_name !== undefined)?.display_name;
    const description = items.find((item) => item.description !== undefined)?.description;

    providers.set(
      key,
      new StoreProvider({
        store,
        providerType: first.type,
        slug: first.slug,
        displayName: displayName ?? first.slug,
        ...(description === undefined ? {} : { description }),
        readOnly: items.every((item) => item.read_only === true),
        logger,
      }),
    );
  }

  return providers;
}

function storeKey(config: ProviderConfig): string {
  return config.roots.map((root) => resolve(root)).join('\n');
}
