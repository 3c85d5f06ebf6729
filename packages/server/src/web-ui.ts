import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Output folder of the web UI's `npm run build`, resolved from `src/` or `dist/` of this package. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Page paths that the UI's router owns get index.html; paths under these API prefixes never do. */
const API_PREFIXES = ['/beaker/', '/healthz'];

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  /** Vite puts a content hash in every file name under assets/, so those never change. */
  immutable: boolean;
}

/**
 * Serves the built web UI from memory (it is a few hundred KB): hashed
 * assets with a year-long cache, index.html for every other page path.
 * When the UI has not been built, `/` explains how to build it.
 */
export function registerWebUi(app: FastifyInstance, webRoot = DEFAULT_WEB_ROOT): void {
  const assets = loadAssets(webRoot);
  const index = assets.get('/index.html');

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const asset = assets.get(path) ?? (isPagePath(path) ? index : undefined);

    if (asset === undefined && index === undefined && path === '/') {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI has not been built. Run `npm run build` at the repository root.\n');
    }

    if (asset === undefined) return reply.callNotFound();

    return sendAsset(request, reply, asset);
  };

  app.get('/', serve);
  app.get('/*', serve);
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply {
  reply.header('etag', asset.etag);
  reply.header(
    'cache-control',
    asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  reply.header('x-content-type-options', 'nosniff');

  if (asset.type.startsWith('text/html')) {
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  }

  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();

  return reply.type(asset.type).send(asset.body);
}

function isPagePath(path: string): boolean {
  return !API_PREFIXES.some((prefix) => path.startsWith(prefix)) && extname(path) === '';
}

function loadAssets(webRoot: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();

  if (!existsSync(webRoot)) return assets;

  for (const file of listFiles(webRoot)) {
    const body = readFileSync(file);
    const path = `/${relative(webRoot, file).split(sep).join('/')}`;
    const digest = createHash('sha1').update(body).digest('base64url').slice(0, 22);

    assets.set(path, {
      body,
      type: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      etag: `"${digest}"`,
      immutable: path.startsWith('/assets/'),
    });
  }

  return assets;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);

    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
