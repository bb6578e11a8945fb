/**
 * Runs `work` over `items` with at most `concurrency` at a time, in order of start; stops
 * starting new items once `signal` aborts and settles when every started one has. `work`
 * must not reject (it reports failures itself); one that does is not allowed to stop the rest.
 */
export async function runConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch {
        // `work` reports its own failures; a bug there must not strand the other items.
      }
    }
  };
  const workers = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
