import { useEffect, useState } from 'react';

/** How often a view asks again: live enough to watch a saga (its steps take milliseconds to seconds), light on the order API. */
export const POLL_INTERVAL_MS = 1500;

export interface Polled<T> {
  data: T | null;
  error: string | null;
}

/**
 * Loads `load` now and again `intervalMs` (default POLL_INTERVAL_MS) after each answer (never two
 * requests at once), until the inputs change or the view goes away. The last good data stays on
 * screen when a poll fails; the error is shown beside it.
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], intervalMs = POLL_INTERVAL_MS): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: null, error: null });
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState({ data: null, error: null });
    const poll = async () => {
      try {
        const data = await load(abort.signal);
        if (!abort.signal.aborted) setState({ data, error: null });
      } catch (error) {
        if (!abort.signal.aborted) setState((s) => ({ data: s.data, error: (error as Error).message }));
      }
      if (!abort.signal.aborted) timer = setTimeout(poll, intervalMs);
    };
    void poll();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
    // The caller names what `load` depends on, as with useEffect.
  }, [...deps, intervalMs]);
  return state;
}
