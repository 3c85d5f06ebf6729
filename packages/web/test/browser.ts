/**
 * Shared setup of the browser tests: a fresh build of the UI when the
 * sources changed, the real service on a copy of a data root, and Debian's
 * Chromium driven by playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { REPO_ROOT, copyRoot, startServer, type RunningServer } from '../../server/test/helpers.js';

export { REPO_ROOT };

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_MISSING = existsSync(CHROMIUM)
  ? false
  : `Chromium not found at ${CHROMIUM}; browser tests skipped (apt-get install chromium)`;

export const EXAMPLES_ROOT = join(REPO_ROOT, 'examples/integrations');
export const SCREENSHOTS = join(REPO_ROOT, 'artifacts/screenshots');

const WEB = join(REPO_ROOT, 'packages/web');
const BUILT_INDEX = join(WEB, 'dist/index.html');

function newestChange(path: string): number {
  const stats = statSync(path);

  if (!stats.isDirectory()) return stats.mtimeMs;

  return Math.max(
    stats.mtimeMs,
    ...readdirSync(path).map((entry) => newestChange(join(path, entry))),
  );
}

/**
 * Builds packages/web/dist unless it is newer than every source of the UI.
 * The service reads dist/ when it starts, so this runs before startServer.
 */
export function ensureBuilt(): void {
  const sources = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'vite.config.ts')];
  const sourceTime = Math.max(...sources.map(newestChange));

  if (existsSync(BUILT_INDEX) && statSync(BUILT_INDEX).mtimeMs >= sourceTime) return;

  const result = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build'],
    {
      cwd: WEB,
      encoding: 'utf8',
    },
  );

  if (result.status !== 0) {
    throw new Error(
      `vite build failed with status ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  }
}

export interface UiService {
  server: RunningServer;
  root: string;
  url: string;
}

/** Starts the service with its web UI on a temp copy of `source` (the examples by default). */
export async function startUiService(source = EXAMPLES_ROOT): Promise<UiService> {
  ensureBuilt();

  const root = await copyRoot(source);
  const server = await startServer(['--data', root]);

  return { server, root, url: server.url };
}

/** Starts the service on `root` as it is, without copying it. */
export async function startUiServiceOn(root: string): Promise<UiService> {
  ensureBuilt();

  const server = await startServer(['--data', root]);

  return { server, root, url: server.url };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/**
 * Opens a page that fails the test on any uncaught page error or console
 * error, and records native dialogs (the UI uses none of its own).
 */
export async function openPage(
  browser: Browser,
  viewport = { width: 1360, height: 900 },
): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];

  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx response it fetched; the tests cause some on purpose.
    const expected = message.text().startsWith('Failed to load resource');

    if (message.type() === 'error' && !expected) errors.push(`console error: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });

  return { page, errors, dialogs };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });

  const path = join(SCREENSHOTS, `${name}.png`);

  await page.screenshot({ path, fullPage: false });

  return path;
}
