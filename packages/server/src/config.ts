import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';

import { Type, type Static } from '@sinclair/typebox';
import { InvalidInputError, parseWithSchema } from '@beaker-integrations/model';
import { parse as parseYaml } from 'yaml';

import { DEFAULT_BODY_LIMIT, DEFAULT_CALL_TIMEOUT_MS } from './app.js';

export const DEFAULT_PROVIDER_SLUG = 'specialist_agents';
export const DEFAULT_CONTEXT = 'default';

/** Levels of pino, the logger, from the fewest messages to the most. */
export const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

const ProviderConfig = Type.Object(
  {
    type: Type.Literal('adhoc', { description: 'Provider type; `adhoc` is the filesystem store' }),
    slug: Type.String({ pattern: '^[A-Za-z0-9_-]+$', description: 'Unique within its context' }),
    display_name: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    roots: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Data roots, most specific first; relative paths start at the config file',
    }),
    read_only: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ServiceConfig = Type.Object(
  {
    server: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(Type.String()),
          port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
          body_limit: Type.Optional(Type.Integer({ minimum: 1024 })),
          call_timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
          log_level: Type.Optional(Type.Union(LOG_LEVELS.map((level) => Type.Literal(level)))),
          token: Type.Optional(Type.String({ minLength: 16 })),
          cors_origins: Type.Optional(Type.Array(Type.String({ pattern: '^https?://[^/]+$' }))),
        },
        { additionalProperties: false },
      ),
    ),
    sessions: Type.Optional(
      Type.Object(
        {
          default_context: Type.Optional(Type.String()),
          auto_create: Type.Optional(Type.Boolean()),
          max_sessions: Type.Optional(Type.Integer({ minimum: 1 })),
          idle_timeout_seconds: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    contexts: Type.Record(
      Type.String({ pattern: '^[A-Za-z0-9_-]+$' }),
      Type.Object(
        { providers: Type.Array(ProviderConfig, { minItems: 1 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ServiceConfig = Static<typeof ServiceConfig>;
export type ProviderConfig = Static<typeof ProviderConfig>;

/** Settings after defaults, as the service uses them. */
export interface ResolvedConfig {
  host: string;
  port: number;
  bodyLimit: number;
  callTimeoutMs: number;
  logLevel: string;
  token: string | undefined;
  corsOrigins: string[];
  defaultContext: string;
  autoCreateSessions: boolean;
  maxSessions: number;
  idleTimeoutMs: number;
  contexts: Record<string, ProviderConfig[]>;
}

/** Reads a YAML or JSON config file; relative roots are resolved against its folder. */
export async function readConfigFile(path: string): Promise<ServiceConfig> {
  const raw = parseConfigText(path, await readConfigText(path));
  const config = parseWithSchema(ServiceConfig, raw, 'config');
  const base = dirname(resolve(path));

  for (const context of Object.values(config.contexts)) {
    for (const provider of context.providers) {
      provider.roots = provider.roots.map((root) => resolve(base, root));
    }
  }

  return config;
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = fileErrorReason(error);

    throw new InvalidInputError(
      'config',
      `config file ${path} cannot be read (${reason}); check the path given to --config`,
    );
  }
}

/** Returns the error code of a failed file operation, such as ENOENT, or else its message. */
export function fileErrorReason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** Parses a `.json` file as JSON and any other as YAML. A syntax error names the file. */
function parseConfigText(path: string, text: string): unknown {
  const json = extname(path) === '.json';

  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? '').replace(/:$/, '');

    throw new InvalidInputError(
      'config',
      `config file ${path} is not valid ${json ? 'JSON' : 'YAML'}: ${reason}`,
    );
  }
}

export function resolveConfig(config: ServiceConfig): ResolvedConfig {
  const contexts = Object.fromEntries(
    Object.entries(config.contexts).map(([name, context]) => [name, context.providers]),
  );
  const defaultContext =
    config.sessions?.default_context ?? Object.keys(contexts)[0] ?? DEFAULT_CONTEXT;

  if (!Object.hasOwn(contexts, defaultContext)) {
    throw new InvalidInputError(
      'sessions.default_context',
      `default context '${defaultContext}' is not defined under contexts; define it or name another`,
    );
  }

  return {
    host: config.server?.host ?? '127.0.0.1',
    port: config.server?.port ?? 8000,
    bodyLimit: config.server?.body_limit ?? DEFAULT_BODY_LIMIT,
    callTimeoutMs: config.server?.call_timeout_ms ?? DEFAULT_CALL_TIMEOUT_MS,
    logLevel: config.server?.log_level ?? 'info',
    token: config.server?.token,
    corsOrigins: config.server?.cors_origins ?? [],
    defaultContext,
    autoCreateSessions: config.sessions?.auto_create ?? true,
    maxSessions: config.sessions?.max_sessions ?? 10_000,
    idleTimeoutMs: (config.sessions?.idle_timeout_seconds ?? 24 * 3600) * 1000,
    contexts,
  };
}

/** Builds the config that `serve --data DIR…` means: one context with one adhoc provider. */
export function configFromRoots(
  roots: string[],
  providerSlug = DEFAULT_PROVIDER_SLUG,
): ServiceConfig {
  return {
    contexts: {
      [DEFAULT_CONTEXT]: {
        providers: [
          {
            type: 'adhoc',
            slug: providerSlug,
            display_name: 'Ad hoc integrations',
            roots: roots.map((root) => resolve(root)),
          },
        ],
      },
    },
  };
}
