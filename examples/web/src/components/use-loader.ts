import { useCallback, useRef, useState } from 'react';

/**
 * What a screen reads from the host. `run(load, show)` shows the answer and clears `error`, or
 * keeps the failure in `error`; only the newest run's outcome is kept, so a slower answer to an
 * earlier read (another product's, an earlier page's) never overwrites a later one.
 */
export function useLoader() {
  const [error, setError] = useState<unknown>();
  const newest = useRef(0);
  const run = useCallback(async <T>(load: () => Promise<T>, show: (value: T) => void) => {
    newest.current += 1;
    const mine = newest.current;
    try {
      const value = await load();
      if (mine !== newest.current) return;
      show(value);
      setError(undefined);
    } catch (thrown) {
      if (mine === newest.current) setError(thrown);
    }
  }, []);
  return { error, run };
}
