/**
 * Waits `milliseconds`; resolves early (never rejects) when `signal` aborts, so callers check
 * the signal afterwards. Injected wherever core waits, so tests can move a manual clock
 * instead of waiting for real.
 */
export type Sleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

/** A Sleep on the runtime's timers (Node, Bun, Deno, workers). */
export const timerSleep: Sleep = (milliseconds, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, milliseconds),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A timer that an abort cuts short and turns into a rejection with the signal's reason: for
 * adapters' poll loops, which stop at the first `await` after an abort.
 */
export async function abortableSleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  await timerSleep(milliseconds, signal);
  if (signal?.aborted) throw signal.reason;
}
