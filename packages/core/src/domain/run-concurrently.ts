/**
 * Runs `work` over `items` with at most `concurrency` at a time (at least one), starting them
 * in order; once `signal` aborts no new item starts. Settles when every started item has. A
 * rejection of `work` rejects the whole at once and stops the worker it happened in (the others
 * go on), so work that must never stop the rest reports its own failures instead.
 */
export async function runConcurrently<T>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<void>,
  options: { concurrency: number; signal?: AbortSignal | undefined },
): Promise<void> {
  const { signal } = options;
  let next = 0;
  const worker = async () => {
    while (next < items.length && signal?.aborted !== true) {
      const index = next;
      next += 1;
      await work(items[index] as T, index);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
