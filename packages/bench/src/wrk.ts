import { spawn, spawnSync } from 'node:child_process';

import { onCore } from './processes.js';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status outside 2xx and 3xx, plus socket errors; a valid run has none. */
  failures: number;
}

export interface WrkOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  core?: number | undefined;
}

/** Seconds wrk waits for one response; a 30 MB listing under 16 connections can take several. */
const WRK_TIMEOUT_SECONDS = 30;

/** `wrk --version` output, or undefined when wrk is not installed. */
export function wrkVersion(): string | undefined {
  const result = spawnSync('wrk', ['--version']);

  if (result.error !== undefined) return undefined;

  return /wrk \S+/.exec(result.stdout.toString())?.[0];
}

/** Runs wrk with one thread (so it fits one core) and returns its parsed summary. */
export async function runWrk(options: WrkOptions): Promise<LoadResult> {
  const args = [
    '--threads',
    '1',
    '--connections',
    String(options.connections),
    '--duration',
    `${options.durationSeconds}s`,
    '--timeout',
    `${WRK_TIMEOUT_SECONDS}s`,
    '--latency',
    options.url,
  ];
  const [command, commandArgs] = onCore(options.core, 'wrk', args);
  const output = await runToEnd(command, commandArgs);

  return parseWrkOutput(output);
}

function runToEnd(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';

    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} exited with status ${code}:\n${output}`));
    });
  });
}

/** Parses the summary that `wrk --latency` prints. Throws when a figure is missing. */
export function parseWrkOutput(output: string): LoadResult {
  const requestsPerSecond = Number(/^Requests\/sec:\s+([\d.]+)/m.exec(output)?.[1]);
  const p50Ms = latencyMs(output, '50');
  const p99Ms = latencyMs(output, '99');

  if (Number.isNaN(requestsPerSecond) || Number.isNaN(p50Ms) || Number.isNaN(p99Ms)) {
    throw new Error(`wrk output has no Requests/sec or latency distribution:\n${output}`);
  }

  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const errors =
    socketErrors === null ? 0 : socketErrors.slice(1).reduce((a, b) => a + Number(b), 0);

  return { requestsPerSecond, p50Ms, p99Ms, failures: non2xx + errors };
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latencyMs(output: string, percent: string): number {
  const match = new RegExp(`^\\s+${percent}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);

  if (match === null) return Number.NaN;

  return Number(match[1]) * (UNIT_MS[match[2]!] ?? Number.NaN);
}
