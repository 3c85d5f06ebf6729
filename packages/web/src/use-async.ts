import { useCallback, useEffect, useState } from 'react';

export type AsyncState<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: unknown };

/**
 * Runs `load` when the inputs in `deps` change, and again on `reload()`.
 * A result that arrives after a newer run started is dropped.
 */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): { state: AsyncState<T>; reload: () => void; set: (value: T) => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;

    load().then(
      (value) => current && setState({ status: 'ready', value }),
      (error: unknown) => current && setState({ status: 'error', error }),
    );

    return () => {
      current = false;
    };
    // `load` is a new closure on every render, so `deps` lists what it reads.
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const set = useCallback((value: T) => setState({ status: 'ready', value }), []);

  return { state, reload, set };
}
