#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { describeMachine } from './machine.js';
import { CLIENT_CORE, SERVER_CLI, checkPinning, killRunning, pinSelf } from './processes.js';
import { formatReport, type BenchReport } from './report.js';
import { runScenarios } from './run.js';
import {
  FULL_SETTINGS,
  QUICK_SETTINGS,
  SCENARIOS,
  selectScenarios,
  type Settings,
} from './scenarios.js';

const DEFAULT_CORPUS = fileURLToPath(
  new URL('../../../../shared/corpus/biome/adhoc_data', import.meta.url),
);

const HELP = `Usage: npm run bench -- [options]

Starts the built server (run 'npm run build' first) on generated stores and on a
copy of the real corpus, loads it with wrk from a separate process, compares it
with a bare node:http server that sends the same bytes, and prints markdown tables.

Options:
  --quick            One 1 s run per measurement, ${QUICK_SETTINGS.writes} writes, one start: a smoke
                     check whose figures are too noisy to publish
  --scenario NAME    Run only the scenarios whose name starts with NAME; repeat for
                     several. Names: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}
  --out FILE         Also write the markdown report to FILE
  --corpus DIR       Real integration folders to copy and measure.
                     Default: ${DEFAULT_CORPUS}
  --runs N           Measured runs per server and connection count. Default: ${FULL_SETTINGS.runs}
  --duration SECONDS Seconds of one wrk run. Default: ${FULL_SETTINGS.durationSeconds}
  --keep             Keep the temporary folder of generated stores and print its path
  -h, --help         Show this help
`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      scenario: { type: 'string', multiple: true },
      out: { type: 'string' },
      corpus: { type: 'string' },
      runs: { type: 'string' },
      duration: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });

  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }

  if (!existsSync(SERVER_CLI)) {
    process.stderr.write(`error: ${SERVER_CLI} is missing; run 'npm run build' first\n`);
    return 2;
  }

  const machine = describeMachine();
  const scenarios = selectScenarios(values.scenario ?? []);
  const needsWrk = scenarios.some((scenario) => scenario.kind === 'read');

  if (needsWrk && machine.wrk === undefined) {
    process.stderr.write("error: wrk is not installed; install it with 'apt-get install -y wrk'\n");
    return 2;
  }

  const pinning = checkPinning();

  if (pinning.works && !pinSelf(CLIENT_CORE)) {
    pinning.works = false;
    pinning.detail = `taskset -p could not move the bench to core ${CLIENT_CORE}`;
  }

  const started = performance.now();
  const outcome = await runScenarios(scenarios, {
    settings: settingsFrom(values),
    pinning,
    corpus: values.corpus ?? DEFAULT_CORPUS,
    keep: values.keep === true,
  });
  const report: BenchReport = {
    ...outcome.measurements,
    machine,
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    settings: settingsFrom(values),
    pinning,
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    durationSeconds: (performance.now() - started) / 1000,
    loadAtEnd: loadavg()[0] ?? 0,
    skipped: outcome.skipped,
    responseBytes: outcome.responseBytes,
  };
  const markdown = formatReport(report);

  process.stdout.write(markdown);
  if (values.out !== undefined) await writeFile(values.out, markdown);

  return outcome.failed ? 1 : 0;
}

function settingsFrom(values: { quick?: boolean; runs?: string; duration?: string }): Settings {
  const base = values.quick === true ? QUICK_SETTINGS : FULL_SETTINGS;

  return {
    ...base,
    runs: values.runs === undefined ? base.runs : positiveInteger('--runs', values.runs),
    durationSeconds:
      values.duration === undefined
        ? base.durationSeconds
        : positiveInteger('--duration', values.duration),
  };
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);

  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number of at least 1 (received '${text}')`);
  }

  return value;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killRunning();
    process.exit(130);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    killRunning();
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
