/**
 * Waits `milliseconds`; resolves early (never rejects) when `signal` aborts, so callers check
 * the signal afterwards (`signal?.throwIfAborted()` where an abort must end them). The one
 * meaning of a wait in the SDK: core and the adapters (Gemini's polls, the uploaders') take
 * this type, so one injected fake moves every clock in a test.
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
