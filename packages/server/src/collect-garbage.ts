import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/*
 * Loading thousands of folders leaves the old generation full of parse
 * garbage, and V8 collects it with an incremental marking cycle that starts
 * during the first requests. On a busy core that cycle runs for seconds, and
 * while it runs every request's objects survive young-generation collections:
 * with 10,000 integrations a GET of one resource ran at about 60% of a bare
 * node:http server until it ended. One full collection before the server
 * listens removes that garbage first (docs/benchmarks.md has the figures).
 */

type GcFunction = () => void;

let gcFunction: GcFunction | undefined;

/**
 * Returns V8's `gc()`. `--expose-gc` set at run time installs it in contexts
 * created afterwards, so a new `vm` context provides it without a command-line flag.
 */
function gcOf(): GcFunction {
  if (gcFunction !== undefined) return gcFunction;

  setFlagsFromString('--expose-gc');
  gcFunction = runInNewContext('gc') as GcFunction;

  return gcFunction;
}

/** Runs one full, blocking garbage collection and returns its duration in milliseconds. */
export function collectGarbage(): number {
  const started = performance.now();

  gcOf()();

  return performance.now() - started;
}
