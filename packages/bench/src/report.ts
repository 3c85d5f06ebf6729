import type { MachineInfo } from './machine.js';
import type { Pinning } from './processes.js';
import type { Settings } from './scenarios.js';
import { evaluateTargets, type Measurements } from './targets.js';

export interface BenchReport extends Measurements {
  machine: MachineInfo;
  command: string;
  settings: Settings;
  pinning: Pinning;
  startedAt: string;
  durationSeconds: number;
  /** One-minute load average when the bench ended. */
  loadAtEnd: number;
  /** Scenarios not run, each with the reason. */
  skipped: string[];
  /** Size of the response body of each read scenario, in bytes. */
  responseBytes: Record<string, number>;
}

type Cell = string | number;

function table(header: string[], rows: Cell[][]): string {
  const line = (cells: Cell[]) => `| ${cells.join(' | ')} |`;

  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function rps(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function bytes(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)} MB`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} kB`;

  return `${value} B`;
}

/** Formats the whole report as markdown: machine, settings, every table and the targets. */
export function formatReport(report: BenchReport): string {
  const sections = [
    machineSection(report),
    readSection(report),
    writeSection(report),
    startupSection(report),
    memorySection(report),
    targetSection(report),
  ];

  if (report.skipped.length > 0) {
    sections.push(`### Skipped\n\n${report.skipped.map((reason) => `- ${reason}`).join('\n')}`);
  }

  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function machineSection(report: BenchReport): string {
  const { machine, settings } = report;

  return [
    '### Machine and run',
    '',
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores; memory ${machine.memoryGb.toFixed(1)} GB; Linux ${machine.kernel}`,
    `- Node ${machine.node}; load generator ${machine.wrk ?? 'wrk (not found)'}`,
    `- Command: \`${report.command}\`, started ${report.startedAt}, took ${Math.round(report.durationSeconds)} s`,
    `- Pinning with taskset: ${report.pinning.works ? 'worked' : 'did not work'} (${report.pinning.detail})`,
    `- Load average (1 min) at start ${machine.load[0]?.toFixed(2)}, at end ${report.loadAtEnd.toFixed(2)}`,
    `- Settings: ${settings.runs} runs of ${settings.durationSeconds} s per server and connection count after ${settings.warmupSeconds} s of warm-up; ${settings.writes} writes per write run; ${settings.startups} starts per start-up variant`,
  ].join('\n');
}

function readSection(report: BenchReport): string {
  if (report.reads.length === 0) return '';

  const rows = report.reads.map((row) => [
    row.scenario,
    bytes(report.responseBytes[row.scenario] ?? 0),
    row.connections,
    rps(row.realRps),
    rps(row.bareRps),
    `**${percent(row.ratio)}**`,
    ms(row.realP50Ms),
    ms(row.realP99Ms),
    ms(row.bareP50Ms),
    ms(row.bareP99Ms),
    row.realCpuUs.toFixed(1),
    row.bareCpuUs.toFixed(1),
    row.failures,
    row.load.toFixed(1),
  ]);

  return [
    '### Reads: real server against the bare server',
    '',
    'Requests per second are medians over the runs; the ratio is the median of the',
    'per-run ratios, each run of the real server paired with one of the bare server',
    'taken right before or after it. Latencies are in milliseconds. The real server',
    'is restarted once before measuring, so it loads from the parse cache file as any',
    'restart does; `-cold` scenarios measure the first start, which parses every file.',
    'CPU µs is the CPU time each server used per request (median over the runs, from',
    '`/proc/<pid>/stat`), which other load on the machine disturbs less than requests',
    'per second.',
    '',
    table(
      [
        'scenario',
        'body',
        'conns',
        'real req/s',
        'bare req/s',
        'ratio',
        'real p50',
        'real p99',
        'bare p50',
        'bare p99',
        'real CPU µs',
        'bare CPU µs',
        'failed',
        'load',
      ],
      rows,
    ),
  ].join('\n');
}

function writeSection(report: BenchReport): string {
  if (report.writes.length === 0) return '';

  const rows = report.writes.map((row) => [
    row.scenario,
    row.connections,
    row.writes,
    rps(row.requestsPerSecond),
    `**${ms(row.p50Ms)}**`,
    ms(row.p99Ms),
    row.load.toFixed(1),
  ]);

  return [
    '### Writes',
    '',
    "Medians over the runs of each run's median and 99th percentile latency, in",
    'milliseconds, from sending a POST to the end of its response.',
    '',
    table(['scenario', 'conns', 'writes/run', 'writes/s', 'p50', 'p99', 'load'], rows),
  ].join('\n');
}

function startupSection(report: BenchReport): string {
  if (report.startups.length === 0) return '';

  const rows = report.startups.map((row) => [
    row.folders.toLocaleString('en-US'),
    `${(row.coldMs / 1000).toFixed(2)} s`,
    `${(row.warmMs / 1000).toFixed(2)} s`,
    `${Math.round(row.rssMb)} MB`,
    row.starts,
  ]);

  return [
    '### Start-up',
    '',
    'Medians from spawning the server to its first 200 from `/healthz`. Cold: no',
    'parse cache file; warm: the cache file the cold start wrote. The server is not',
    'pinned here, so loading may use both cores.',
    '',
    table(['folders', 'cold', 'warm', 'RSS after start-up', 'starts'], rows),
  ].join('\n');
}

function memorySection(report: BenchReport): string {
  if (report.memory.length === 0) return '';

  const rows = report.memory.map((row) => [
    row.scenario,
    row.when,
    `${Math.round(row.rssMb)} MB`,
    `${Math.round(row.peakMb)} MB`,
  ]);

  return ['### Resident memory', '', table(['scenario', 'when', 'RSS', 'peak RSS'], rows)].join(
    '\n',
  );
}

function targetSection(report: BenchReport): string {
  const rows = evaluateTargets(report).map((row) => [row.target, row.measured, row.verdict]);

  return ['### Targets', '', table(['target', 'measured', 'result'], rows)].join('\n');
}
