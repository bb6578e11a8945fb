import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { cancelledError, fromZodError, type VBucketsError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { Sleep } from './sleep';

const MINUTE_MS = 60_000;
/** Absorbs floating-point error in the refill arithmetic: epoch milliseconds carry ~1e-4 ms of it. */
const EPSILON_MS = 0.01;

const RequestsPerMinuteSchema = z.custom<number>(
  (value) => typeof value === 'number' && value > 0 && !Number.isNaN(value),
  'must be a positive number (Infinity for no limit)',
);

/** Options of `createTokenBucket`. */
export const TokenBucketOptionsSchema = z.strictObject({
  /** Tokens added per minute, spread evenly; `Infinity` means no limit. Default 9 (seed 000). */
  requestsPerMinute: RequestsPerMinuteSchema.optional(),
  /** Most tokens saved up while idle: 1 (the default) spaces requests evenly, more allows bursts. */
  burst: z.number().int().min(1, 'must be at least 1').max(10_000).optional(),
  /**
   * Added to the rolling window (default 1 000 ms): the provider counts a request when it
   * arrives, the limiter when it starts, and latency between the two can bunch starts.
   */
  windowMarginMs: z.number().min(0, 'must be at least 0').finite().optional(),
});
export type TokenBucketOptions = z.input<typeof TokenBucketOptionsSchema>;

export const DEFAULT_REQUESTS_PER_MINUTE = 9;
export const DEFAULT_BURST = 1;
/**
 * Slack on top of the provider's window. Requests are counted where they start, the server
 * counts them where they arrive; a second covers network jitter and a stalled event loop on a
 * real link at the price of under 2% of a one-minute window's throughput.
 */
export const DEFAULT_WINDOW_MARGIN_MS = 1_000;

/** What a token bucket needs from its surroundings. */
export interface TokenBucketDependencies {
  clock: Clock;
  sleep: Sleep;
}

/** A rate limiter for one provider, shared by every caller of that provider. */
export interface TokenBucket {
  readonly requestsPerMinute: number;
  readonly burst: number;
  /** Starts allowed in any one rolling window: ⌊requestsPerMinute⌋, at least 1 (Infinity for no limit). */
  readonly requestsPerWindow: number;
  /** The rolling window's length in ms, margin excluded: one minute, longer below 1 request a minute. */
  readonly windowMs: number;
  readonly windowMarginMs: number;
  /** Waits for a token, first come first served; `CANCELLED` (and no token used) when `signal` aborts first. */
  take(signal?: AbortSignal): ResultAsync<void, VBucketsError>;
  /** Takes a token if one is free now (0), else leaves the bucket as it is and returns the wait in milliseconds. */
  tryTake(): number;
  /** Holds every token back until the epoch time `untilMs` (a server's retry-after); one is free then. */
  holdUntil(untilMs: number): void;
  /** Tokens free now (may be fractional). */
  available(): number;
}

interface Waiter {
  signal: AbortSignal | undefined;
  settle(result: Result<void, VBucketsError>): void;
  onAbort(): void;
}

/**
 * A token bucket: `burst` tokens at most, refilled at `requestsPerMinute`, one token per
 * request. It is kept as the time the bucket is next full ("theoretical arrival time", as
 * GCRA does) rather than as a fractional count, so refills do not drift however long it runs.
 *
 * Providers count a rolling window, and a bucket alone overflows one: with burst b, a window
 * straddling a refill holds b + (N − 1) starts. So the bucket also keeps a log of the last N
 * start times and admits a request only when the N-th latest started a full window (plus
 * `windowMarginMs`) ago: no window of that length ever holds more than N starts.
 *
 * Waiters are served in order by one loop that sleeps only until the next start is allowed.
 */
export function createTokenBucket(
  options: TokenBucketOptions,
  { clock, sleep }: TokenBucketDependencies,
): Result<TokenBucket, VBucketsError> {
  const parsed = TokenBucketOptionsSchema.safeParse(options);
  if (!parsed.success) return err(fromZodError(parsed.error, 'rate limit options'));
  const requestsPerMinute = parsed.data.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
  const burst = parsed.data.burst ?? DEFAULT_BURST;
  const windowMarginMs = parsed.data.windowMarginMs ?? DEFAULT_WINDOW_MARGIN_MS;
  const intervalMs = MINUTE_MS / requestsPerMinute;
  // A token is free while the debt (fullAt - now) leaves room for one more interval.
  const toleranceMs = (burst - 1) * intervalMs;
  let fullAt = Number.NEGATIVE_INFINITY;
  // Below one request a minute the window stretches so that it holds exactly one.
  const requestsPerWindow = requestsPerMinute >= 1 ? Math.floor(requestsPerMinute) : 1;
  const windowMs = requestsPerMinute >= 1 ? MINUTE_MS : MINUTE_MS / requestsPerMinute;
  const spanMs = windowMs + windowMarginMs;
  const windowed = Number.isFinite(requestsPerMinute);
  /** Start times of the last `requestsPerWindow` requests, oldest first. */
  const starts: number[] = [];
  const waiters: Waiter[] = [];
  let pumping = false;
  let pumpSleep: AbortController | undefined;

  const waitMs = (now: number): number => {
    const bucketWait = Math.max(fullAt, now) - toleranceMs - now;
    // The window is full while the oldest logged start is less than a window (plus margin) ago.
    const oldest = starts.length >= requestsPerWindow ? starts[0] : undefined;
    const windowWait = oldest === undefined ? 0 : oldest + spanMs - now;
    const wait = Math.max(bucketWait, windowWait);
    return wait <= EPSILON_MS ? 0 : Math.ceil(wait);
  };

  const tryTake = (): number => {
    const now = clock.now();
    const wait = waitMs(now);
    if (wait > 0) return wait;
    fullAt = Math.max(fullAt, now) + intervalMs;
    if (windowed) {
      starts.push(now);
      if (starts.length > requestsPerWindow) starts.shift();
    }
    return 0;
  };

  const removeWaiter = (waiter: Waiter) => {
    const index = waiters.indexOf(waiter);
    if (index >= 0) waiters.splice(index, 1);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (waiters.length > 0) {
        const wait = tryTake();
        if (wait === 0) {
          const waiter = waiters[0]!;
          removeWaiter(waiter);
          waiter.settle(ok(undefined));
          continue;
        }
        const controller = new AbortController();
        pumpSleep = controller;
        try {
          await sleep(wait, controller.signal);
        } catch {
          // A Sleep that rejects on abort is as good as one that resolves: the loop re-checks.
        }
        pumpSleep = undefined;
      }
    } finally {
      pumping = false;
    }
  };

  return ok(
    Object.freeze({
      requestsPerMinute,
      burst,
      requestsPerWindow: windowed ? requestsPerWindow : Number.POSITIVE_INFINITY,
      windowMs,
      windowMarginMs,
      take(signal?: AbortSignal): ResultAsync<void, VBucketsError> {
        if (signal?.aborted) {
          return errAsync(cancelledError('Waiting for a rate-limit token was cancelled'));
        }
        // Queued callers go first, even when a token is free right now.
        if (waiters.length === 0 && !pumping && tryTake() === 0) return okAsync(undefined);
        return new ResultAsync(
          new Promise<Result<void, VBucketsError>>((resolve) => {
            const waiter: Waiter = {
              signal,
              settle: resolve,
              onAbort: () => {
                removeWaiter(waiter);
                resolve(err(cancelledError('Waiting for a rate-limit token was cancelled')));
                // Nobody left to serve: end the loop's sleep so no timer outlives the work.
                if (waiters.length === 0) pumpSleep?.abort();
              },
            };
            signal?.addEventListener('abort', waiter.onAbort, { once: true });
            waiters.push(waiter);
            void pump();
          }),
        );
      },
      tryTake,
      holdUntil(untilMs: number) {
        if (!Number.isFinite(untilMs)) return;
        fullAt = Math.max(fullAt, untilMs + toleranceMs);
      },
      available() {
        if (!Number.isFinite(intervalMs) || intervalMs === 0) {
          return waitMs(clock.now()) === 0 ? Number.POSITIVE_INFINITY : 0;
        }
        const now = clock.now();
        const debt = Math.max(fullAt, now) - now;
        const tokens = Math.max(0, (burst * intervalMs - debt) / intervalMs);
        const inWindow = starts.filter((start) => start + spanMs - now > EPSILON_MS).length;
        return Math.min(tokens, requestsPerWindow - inWindow);
      },
    }),
  );
}
