import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/biome/', import.meta.url));
export const CORPUS_DATA = join(CORPUS, 'adhoc_data');
export const GOLDENS = join(CORPUS, 'goldens');
export const CORPUS_MISSING = existsSync(CORPUS_DATA)
  ? false
  : `corpus not found at ${CORPUS_DATA}; corpus tests skipped`;

const CLI = join(REPO_ROOT, 'packages/server/src/cli.ts');

/** The single-file build that `beaker-integrations`, `npm start` and the benchmark run. */
export const BUNDLE = join(REPO_ROOT, 'packages/server/dist/beaker-integrations.mjs');

/** Parse caches of test servers go to one temp folder per test process, not to ~/.cache. */
const CACHE_HOME = mkdtempSync(join(tmpdir(), 'beaker-cache-'));

export async function tempDir(prefix = 'beaker-server-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Copies a data root into a new temp folder and returns the copy's path. */
export async function copyRoot(source: string): Promise<string> {
  const target = join(await tempDir(), 'root');

  await cp(source, target, { recursive: true });

  return target;
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the CLI from source through tsx, as `beaker-integrations …` would run. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, XDG_CACHE_HOME: CACHE_HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the bundle built by `npm run build`, as the installed command does. */
export function runBundle(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [BUNDLE, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, XDG_CACHE_HOME: CACHE_HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts `serve` on a free port and resolves once it prints its URL. */
export async function startServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  run: typeof runCli = runCli,
): Promise<RunningServer> {
  const child = run(['serve', '--port', '0', '--log-level', 'warn', ...args], env);
  let output = '';

  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);

      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };

    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });

  return {
    url,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve(child.exitCode);
          return;
        }

        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runToEnd(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runCli(args, env);
  let stdout = '';
  let stderr = '';

  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
