#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';

import { isDomainError } from '@beaker-integrations/model';
import { pino, type Logger } from 'pino';

import { collectGarbage } from './collect-garbage.js';
import {
  configFromRoots,
  fileErrorReason,
  LOG_LEVELS,
  readConfigFile,
  resolveConfig,
  type ResolvedConfig,
} from './config.js';
import { isLoopbackHost } from './loopback.js';
import { serializeRequest } from './request-log.js';
import { createService } from './service.js';
import { missingRoots, validateRoots } from './validate.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const MIN_TOKEN_LENGTH = 16;

/** Milliseconds a stopping server waits for open requests before it closes their connections. */
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

const MAIN_HELP = `Usage: beaker-integrations <command> [options]

Commands:
  serve      Serve integration folders over HTTP
  validate   Load and render every integration and list its problems

Run 'beaker-integrations <command> --help' for the options of a command.
`;

const SERVE_HELP = `Usage: beaker-integrations serve [options]

Serve Beaker integration folders over the /beaker/integrations REST API.

Options:
  --data DIR            Data root holding specifications/ (and optionally data/,
                        prompts/). Repeat for several roots, most specific first.
                        Default: $INTEGRATION_PATH (several joined by '${delimiter}'),
                        else ./integrations
  --host HOST           Interface to listen on. Default: 127.0.0.1
  --port PORT           TCP port; 0 picks a free one. Default: 8000
  --provider-slug SLUG  Slug of the adhoc provider. Default: specialist_agents
  --body-limit BYTES    Largest accepted request body in bytes. Default: 33554432 (32 MiB)
  --call-timeout MS     Milliseconds a provider call may take before the request
                        fails with 504. Default: 30000
  --require-sessions    Answer 404 for unknown session ids instead of creating
                        them; create sessions with PUT /beaker/sessions/{id}
  --token-file FILE     File holding a bearer token (16 characters or more) that
                        every /beaker/ route then requires. The environment
                        variable BEAKER_INTEGRATIONS_TOKEN or server.token in the
                        config file set it too. Default: no token
  --cors-origin ORIGIN  Origin, such as https://notebook.example.org, allowed to
                        call the API from a browser; repeat for several.
                        Default: none (CORS off)
  --no-cache            Parse every api.yaml at start instead of reusing the parse
                        cache, which is kept in $XDG_CACHE_HOME/beaker-integrations
                        (default ~/.cache/beaker-integrations) and is checked
                        against each file's inode, size and times
  --log-level LEVEL     silent, fatal, error, warn, info, debug or trace. Default: info
  --shutdown-grace MS   Milliseconds a stopping server waits for open requests
                        before it closes their connections. Default: 10000
  --config FILE         YAML or JSON config file with contexts and providers;
                        flags given as well override its server settings
  -h, --help            Show this help
`;

const VALIDATE_HELP = `Usage: beaker-integrations validate [options]

Load every integration folder, render every template, and list each problem
with its folder. Skipped folders, missing attachments, template errors and
unresolved {% file %} paths are errors; undefined template variables are
warnings, because they render as empty text. Exits with status 1 when there
is an error (or, with --strict, a warning), else 0.

Options:
  --data DIR   Data root holding specifications/; repeat for several roots.
               Default: $INTEGRATION_PATH, else ./integrations
  --strict     Fail on warnings too
  --json       Print the report as JSON instead of text
  -h, --help   Show this help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;

  if (command === 'serve') return serve(rest);
  if (command === 'validate') return validate(rest);

  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }

  process.stderr.write(`unknown command '${command}'\n\n${MAIN_HELP}`);
  return 2;
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', multiple: true },
      host: { type: 'string' },
      port: { type: 'string' },
      'provider-slug': { type: 'string' },
      'body-limit': { type: 'string' },
      'call-timeout': { type: 'string' },
      'require-sessions': { type: 'boolean' },
      'log-level': { type: 'string' },
      'token-file': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'no-cache': { type: 'boolean' },
      'shutdown-grace': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });

  if (values.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }

  const base = values.config
    ? await readConfigFile(values.config)
    : configFromRoots(values.data ?? defaultRoots(), values['provider-slug']);
  const config = applyFlags(
    resolveConfig(base),
    values,
    await tokenFromFlags(values['token-file']),
  );
  const logger = pino({
    level: config.logLevel,
    redact: ['req.headers.authorization'],
    serializers: { req: serializeRequest },
  });

  for (const problem of missingRoots(configuredRoots(config))) {
    logger.warn({ root: problem.location, problem: problem.message }, 'data root missing');
  }

  if (!isLoopbackHost(config.host) && config.token === undefined) {
    logger.warn({ host: config.host }, 'listening beyond loopback without a token');
  }

  const graceMs =
    values['shutdown-grace'] === undefined
      ? DEFAULT_SHUTDOWN_GRACE_MS
      : integerFlag('--shutdown-grace', values['shutdown-grace'], 0, 600_000);
  const cacheDir = values['no-cache'] ? undefined : defaultCacheDir();
  const service = await createService(config, logger, { version: VERSION, cacheDir });

  logger.info({ durationMs: Math.round(collectGarbage()) }, 'start-up garbage collected');

  const address = await service.app.listen({ host: config.host, port: config.port });

  const stop = (signal: string) => {
    logger.info({ signal }, 'server stopping');
    closeAfterGrace(service.app.server, graceMs, logger);
    service.close().then(
      () => {
        logger.info({}, 'server stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'server stop failed');
        process.exit(1);
      },
    );
  };

  // Added before the address is printed, because a supervisor may send SIGTERM as soon as it reads it.
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  logger.info({ address, contexts: Object.keys(config.contexts) }, 'server started');
  process.stdout.write(`beaker-integrations listening on ${address}\n`);

  return -1;
}

/**
 * Closes the connections still open `graceMs` after a stop began. Requests
 * have no time limit by default, so a client that never finishes sending its
 * body would otherwise keep the process alive.
 */
function closeAfterGrace(server: Server, graceMs: number, logger: Logger): void {
  setTimeout(() => {
    logger.warn({ graceMs }, 'open connections closed at shutdown');
    server.closeAllConnections();
  }, graceMs).unref();
}

async function validate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });

  if (values.help) {
    process.stdout.write(VALIDATE_HELP);
    return 0;
  }

  const report = await validateRoots(values.data ?? defaultRoots());

  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const problem of report.problems) {
      process.stdout.write(`${problem.severity}: ${problem.location}: ${problem.message}\n`);
    }

    process.stdout.write(
      `${plural(report.integrations, 'integration')} checked, ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}\n`,
    );
  }

  const failed = report.errors > 0 || (values.strict === true && report.warnings > 0);

  return failed ? 1 : 0;
}

function configuredRoots(config: ResolvedConfig): string[] {
  const roots = Object.values(config.contexts).flatMap((providers) =>
    providers.flatMap((provider) => provider.roots),
  );

  return [...new Set(roots)];
}

function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');

  return join(base, 'beaker-integrations');
}

function defaultRoots(): string[] {
  const fromEnvironment = process.env.INTEGRATION_PATH;

  if (fromEnvironment) return fromEnvironment.split(delimiter).filter((root) => root !== '');

  return ['./integrations'];
}

/** Token from --token-file, else BEAKER_INTEGRATIONS_TOKEN; a flag would show in `ps`. */
async function tokenFromFlags(tokenFile: string | undefined): Promise<string | undefined> {
  const token =
    tokenFile === undefined
      ? process.env.BEAKER_INTEGRATIONS_TOKEN
      : await readTokenFile(tokenFile);

  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`the token must be at least ${MIN_TOKEN_LENGTH} characters long`);
  }

  return token;
}

async function readTokenFile(tokenFile: string): Promise<string> {
  try {
    return (await readFile(tokenFile, 'utf8')).trim();
  } catch (error) {
    throw new UsageError(
      `--token-file ${tokenFile} cannot be read (${fileErrorReason(error)}); check the path`,
    );
  }
}

interface ServeFlags {
  host?: string | undefined;
  port?: string | undefined;
  'body-limit'?: string | undefined;
  'call-timeout'?: string | undefined;
  'require-sessions'?: boolean | undefined;
  'log-level'?: string | undefined;
  'cors-origin'?: string[] | undefined;
}

function applyFlags(
  config: ResolvedConfig,
  flags: ServeFlags,
  token: string | undefined,
): ResolvedConfig {
  return {
    ...config,
    token: token ?? config.token,
    corsOrigins: flags['cors-origin'] ?? config.corsOrigins,
    host: flags.host ?? config.host,
    port: flags.port === undefined ? config.port : integerFlag('--port', flags.port, 0, 65535),
    bodyLimit:
      flags['body-limit'] === undefined
        ? config.bodyLimit
        : integerFlag('--body-limit', flags['body-limit'], 1024, Number.MAX_SAFE_INTEGER),
    callTimeoutMs:
      flags['call-timeout'] === undefined
        ? config.callTimeoutMs
        : integerFlag('--call-timeout', flags['call-timeout'], 1, 3_600_000),
    autoCreateSessions: flags['require-sessions'] ? false : config.autoCreateSessions,
    logLevel: flags['log-level'] === undefined ? config.logLevel : logLevelFlag(flags['log-level']),
  };
}

function logLevelFlag(text: string): string {
  if (!(LOG_LEVELS as readonly string[]).includes(text)) {
    throw new UsageError(
      `--log-level must be one of ${LOG_LEVELS.join(', ')} (received '${text}')`,
    );
  }

  return text;
}

function integerFlag(name: string, text: string, min: number, max: number): number {
  const value = Number(text);

  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `${name} must be a whole number from ${min} to ${max} (received '${text}')`,
    );
  }

  return value;
}

/** Formats a count with its noun, in the plural unless the count is 1. */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const known =
      error instanceof UsageError ||
      isDomainError(error) ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = error instanceof Error ? error.message : String(error);

    process.stderr.write(
      known ? `error: ${message}\n` : `error: ${(error as Error).stack ?? message}\n`,
    );
    process.exitCode = 2;
  },
);
