/** Runs tasks one at a time, in the order they were queued. */
export interface AsyncMutex {
  /** Queues `task`; it starts when every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createAsyncMutex(): AsyncMutex {
  // The tail never rejects, so one failed task does not stall the ones after it.
  let tail: Promise<void> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task);
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
  };
}
