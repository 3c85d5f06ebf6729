import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** CLI of the real server as users run it: the bundle that `npm run build` writes. */
export const SERVER_CLI = fileURLToPath(
  new URL('../../server/dist/beaker-integrations.mjs', import.meta.url),
);

/** Entry point of the bare server, built beside this file. */
const BARE_MAIN = fileURLToPath(new URL('./bare-main.js', import.meta.url));

/** Milliseconds a server may take to print its address before the bench gives up. */
const START_TIMEOUT_MS = 120_000;

/** Cores of the two sides when pinning works: the server and the load generator. */
export const SERVER_CORE = 0;
export const CLIENT_CORE = 1;

/** Servers started and not yet stopped, so an interrupted bench can stop them. */
const running = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));

  return child;
}

/** Kills every server this process started that is still running. */
export function killRunning(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface Pinning {
  /** True when `taskset` could pin a process on this machine. */
  works: boolean;
  detail: string;
}

/** Checks that `taskset` exists and may pin to both cores (containers may forbid it). */
export function checkPinning(): Pinning {
  const probe = spawnSync('taskset', ['-c', `${SERVER_CORE},${CLIENT_CORE}`, 'true']);

  if (probe.error !== undefined) return { works: false, detail: `taskset: ${probe.error.message}` };
  if (probe.status !== 0) return { works: false, detail: probe.stderr.toString().trim() };

  return { works: true, detail: `server on core ${SERVER_CORE}, client on core ${CLIENT_CORE}` };
}

/** Moves every thread of this process to `core`, so child processes start there too. */
export function pinSelf(core: number): boolean {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)]);

  return result.status === 0;
}

/** The command and arguments that run `command` on `core`, or unpinned when `core` is undefined. */
export function onCore(
  core: number | undefined,
  command: string,
  args: string[],
): [string, string[]] {
  if (core === undefined) return [command, args];

  return ['taskset', ['-c', String(core), command, ...args]];
}

export interface RunningProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export interface RealServerOptions {
  data: string;
  /** Folder used as `XDG_CACHE_HOME`, where the parse cache lives. */
  cacheHome: string;
  core?: number | undefined;
  port?: number;
  noCache?: boolean;
}

/** Spawns the real server in production mode (`NODE_ENV=production`, log level warn). */
export function spawnRealServer(options: RealServerOptions): ChildProcess {
  const args = [
    SERVER_CLI,
    'serve',
    '--data',
    options.data,
    '--port',
    String(options.port ?? 0),
    '--log-level',
    'warn',
    ...(options.noCache === true ? ['--no-cache'] : []),
  ];
  const [command, commandArgs] = onCore(options.core, process.execPath, args);

  const child = spawn(command, commandArgs, {
    env: { ...process.env, NODE_ENV: 'production', XDG_CACHE_HOME: options.cacheHome },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  return track(child);
}

/** Starts the real server and resolves once it prints its address. */
export async function startRealServer(options: RealServerOptions): Promise<RunningProcess> {
  return await whenListening(spawnRealServer(options), /listening on (http:\/\/\S+)/);
}

/** Starts the bare server, which first fetches `paths` from `origin`. */
export async function startBareServer(
  origin: string,
  paths: readonly string[],
  core: number | undefined,
): Promise<RunningProcess> {
  const args = [BARE_MAIN, '--origin', origin, ...paths.flatMap((path) => ['--path', path])];
  const [command, commandArgs] = onCore(core, process.execPath, args);
  const child = spawn(command, commandArgs, {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  return await whenListening(track(child), /bare server listening on (http:\/\/\S+)/);
}

async function whenListening(child: ChildProcess, pattern: RegExp): Promise<RunningProcess> {
  let output = '';

  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      const match = pattern.exec(output);

      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };

    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with status ${code} before listening:\n${output}`));
    });
  });

  return { child, pid: child.pid ?? 0, url, output: () => output, stop: () => stopProcess(child) };
}

/** Sends SIGTERM and waits for the exit, with SIGKILL after 10 s. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);

    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface Memory {
  /** Resident set size now, in MB (10^6 bytes). */
  rssMb: number;
  /** Peak resident set size, in MB (10^6 bytes). */
  peakMb: number;
}

/** Clock ticks per second of `/proc/<pid>/stat` times: USER_HZ, 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Returns the CPU time, user and system, that a process has used, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');

  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);

  return (userTicks + systemTicks) / CLOCK_TICKS_PER_SECOND;
}

/** Reads VmRSS and VmHWM of a process from `/proc/<pid>/status`. */
export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);

  // The kernel's "kB" are KiB.
  return { rssMb: (kilobytes('VmRSS') * 1024) / 1e6, peakMb: (kilobytes('VmHWM') * 1024) / 1e6 };
}

/** Finds a free TCP port on loopback (another process could take it before use). */
export async function freePort(): Promise<number> {
  const server = createServer();

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  await new Promise<void>((resolve) => server.close(() => resolve()));

  return port;
}
