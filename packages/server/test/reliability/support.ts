import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { pino } from 'pino';

import { configFromRoots, resolveConfig, type ResolvedConfig } from '../../src/config.js';
import { createService, type Service } from '../../src/service.js';
import { REPO_ROOT } from '../helpers.js';

export const EXAMPLES_ROOT = join(REPO_ROOT, 'examples/integrations');
export const API = '/beaker/integrations';

/** A service built from the real config path, listening on 127.0.0.1 in this process. */
export interface LocalServer {
  base: string;
  service: Service;
  /** Log lines written so far, as pino JSON. */
  logs(): string;
  close(): Promise<void>;
}

/** Starts the service on `roots` with `--data`-style defaults plus `overrides`. */
export async function startLocal(
  roots: string[],
  overrides: Partial<ResolvedConfig> = {},
): Promise<LocalServer> {
  let logs = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  const config = { ...resolveConfig(configFromRoots(roots)), ...overrides };
  const service = await createService(config, pino({ level: 'info' }, sink));
  const base = await service.app.listen({ host: '127.0.0.1', port: 0 });

  return { base, service, logs: () => logs, close: () => service.close() };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** Sends one request with a JSON body (a value, or raw text when `raw` is set). */
export async function send(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };

  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);

  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();

  return { status: response.status, headers: response.headers, text, json: parseOrUndefined(text) };
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Sends a request through node:http with the path exactly as given. fetch
 * follows the WHATWG URL rules, which turn `%2E%2E` into `..` and then drop
 * the segment, so such paths never reach the server through it. An array
 * body is sent in chunks without a content-length.
 */
export function sendRaw(
  base: string,
  method: string,
  path: string,
  body?: string | string[],
): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  let chunks: string[] = [];

  if (Array.isArray(body)) chunks = body;
  else if (body !== undefined) chunks = [body];

  // node:http frames a DELETE body only with an explicit content-length or chunked encoding.
  const framing = Array.isArray(body)
    ? { 'transfer-encoding': 'chunked' }
    : { 'content-length': String(Buffer.byteLength(body ?? '')) };

  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { 'content-type': 'application/json', ...framing },
      },
      (response) => {
        let text = '';

        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );

    outgoing.on('error', reject);

    for (const chunk of chunks) outgoing.write(chunk);

    outgoing.end();
  });
}

/**
 * Records every entry under `folder` with its kind and inode, and for files
 * their modification time and content digest. Two equal snapshots mean
 * nothing was created, removed, replaced or rewritten in between.
 */
export async function snapshot(folder: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};

  async function walk(directory: string, prefix: string): Promise<void> {
    for (const name of (await readdir(directory)).sort()) {
      const full = join(directory, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      const stats = await lstat(full, { bigint: true });
      const identity = `${stats.ino}:${stats.mtimeNs}`;

      if (stats.isSymbolicLink()) {
        entries[relative] = `link ${await readlink(full)}`;
      } else if (stats.isDirectory()) {
        // Not its modification time, which temporary files created and removed change.
        entries[relative] = `folder ${stats.ino}`;
        await walk(full, relative);
      } else {
        const digest = createHash('sha256')
          .update(await readFile(full))
          .digest('hex');

        entries[relative] = `file ${identity} ${digest}`;
      }
    }
  }

  await walk(folder, '');

  return entries;
}

/** Paths under `folder` whose name marks a temporary file of the filesystem store. */
export async function tempEntries(folder: string): Promise<string[]> {
  const found: string[] = [];

  for (const entry of await readdir(folder, { recursive: true })) {
    const name = entry.split('/').pop() ?? '';

    if (name.startsWith('.beaker-tmp-')) found.push(entry);
  }

  return found;
}

/** Runs mount(8); false when this machine does not permit it (no root, no tmpfs). */
export function mount(args: string[]): boolean {
  return spawnSync('mount', args, { stdio: 'ignore' }).status === 0;
}

export function unmount(folder: string): void {
  spawnSync('umount', ['-l', folder], { stdio: 'ignore' });
}
