import type { ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { Sleep } from '../../../src/domain/rate-limit/sleep';
import {
  createTokenBucket,
  type TokenBucketOptions,
} from '../../../src/domain/rate-limit/token-bucket';
import type { VBucketsError } from '../../../src/errors';
import { createManualClock } from '../../../src/testing/manual-clock';

const MINUTE = 60_000;

/** mulberry32: a small seeded generator, so every run tries the same schedules. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Runs `take()` for callers arriving at the given times on a manual clock with simulated
 * timers: time jumps to the next arrival or the next timer only once everything runnable has
 * run, as it would on a real event loop. Returns the start (grant) times, sorted.
 */
async function simulate(options: TokenBucketOptions, arrivals: readonly number[]) {
  const clock = createManualClock(0);
  const timers = new Set<{ at: number; resolve: () => void }>();
  const sleep: Sleep = (milliseconds, signal) =>
    new Promise<void>((resolve) => {
      const timer = { at: clock.now() + milliseconds, resolve };
      timers.add(timer);
      signal?.addEventListener(
        'abort',
        () => {
          timers.delete(timer);
          resolve();
        },
        { once: true },
      );
    });
  const bucket = createTokenBucket(options, { clock, sleep })._unsafeUnwrap();
  const pending = [...arrivals].sort((left, right) => left - right);
  const starts: number[] = [];
  const taking: Array<ResultAsync<number, VBucketsError>> = [];
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  await settle();
  while (pending.length > 0 || timers.size > 0) {
    const nextTimer = Math.min(...[...timers].map((timer) => timer.at));
    const next = Math.min(pending[0] ?? Number.POSITIVE_INFINITY, nextTimer);
    if (next > clock.now()) clock.set(next);
    while (pending.length > 0 && (pending[0] ?? 0) <= clock.now()) {
      pending.shift();
      taking.push(bucket.take().map(() => starts.push(clock.now())));
    }
    for (const timer of [...timers]) {
      if (timer.at <= clock.now()) {
        timers.delete(timer);
        timer.resolve();
      }
    }
    await settle();
  }
  await Promise.all(taking);
  return { bucket, starts: starts.sort((left, right) => left - right) };
}

/** The most starts in any half-open window [t, t + width). */
function busiestWindow(times: readonly number[], width: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last += 1) {
    while ((times[first] ?? 0) <= (times[last] ?? 0) - width) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

type Schedule = (window: number, quota: number, random: () => number) => number[];

/** Adversarial arrival patterns: whole bursts, bursts just inside a window, trickles, noise. */
const schedules: Record<string, Schedule> = {
  'everything at once': (_window, quota) => Array(4 * quota + 3).fill(0),
  'a burst every window − 1 ms': (window, quota) =>
    Array.from({ length: 4 * quota }, (_, index) => Math.floor(index / quota) * (window - 1)),
  'a burst every window': (window, quota) =>
    Array.from({ length: 4 * quota }, (_, index) => Math.floor(index / quota) * window),
  'one every window ÷ N − 1 ms': (window, quota) =>
    Array.from({ length: 4 * quota }, (_, index) => index * Math.max(0, window / quota - 1)),
  'idle, then a burst straddling a refill': (window, quota) => [
    ...Array(quota).fill(0),
    ...Array(quota).fill(window - 1),
    ...Array(quota).fill(window + 1),
    ...Array(2 * quota).fill(3 * window),
  ],
  'random gaps of 0, 1, W − 1, W, W + 1 ms or anything': (window, quota, random) => {
    const gaps = [0, 0, 1, window - 1, window, window + 1, window / quota];
    const times: number[] = [];
    let at = 0;
    for (let index = 0; index < 5 * quota; index += 1) {
      const pick = Math.floor(random() * (gaps.length + 1));
      at += gaps[pick] ?? Math.floor(random() * 2 * window);
      times.push(at);
    }
    return times;
  },
};

const configurations: TokenBucketOptions[] = [
  { requestsPerMinute: 9 },
  { requestsPerMinute: 9, burst: 9 },
  { requestsPerMinute: 9, burst: 9, windowMarginMs: 0 },
  { requestsPerMinute: 9, burst: 4, windowMarginMs: 0 },
  { requestsPerMinute: 9, burst: 30 },
  { requestsPerMinute: 1, burst: 3, windowMarginMs: 0 },
  { requestsPerMinute: 2.5, burst: 5, windowMarginMs: 250 },
  { requestsPerMinute: 0.5, burst: 2, windowMarginMs: 0 },
  { requestsPerMinute: 60, burst: 60, windowMarginMs: 0 },
];

describe('createTokenBucket over a rolling window', () => {
  const cases = configurations.flatMap((options) =>
    Object.keys(schedules).flatMap((schedule) =>
      // Only the random schedule differs by seed.
      (schedule.startsWith('random') ? [1, 2, 3, 4, 5] : [1]).map((seed) => ({
        options,
        schedule,
        seed,
      })),
    ),
  );

  // Issue 10 point 7: a token bucket with burst b lets b + N − 1 start in a window straddling a refill.
  it.each(cases)(
    'never starts more than N in any window plus margin: $options, $schedule, seed $seed',
    async ({ options, schedule, seed }) => {
      const probe = createTokenBucket(options, {
        clock: createManualClock(0),
        sleep: async () => {},
      })._unsafeUnwrap();
      const quota = probe.requestsPerWindow;
      const span = probe.windowMs + probe.windowMarginMs;
      const arrivals = schedules[schedule]?.(probe.windowMs, quota, seededRandom(seed)) ?? [];
      const { starts } = await simulate(options, arrivals);
      expect(starts).toHaveLength(arrivals.length);
      expect(busiestWindow(starts, span)).toBeLessThanOrEqual(quota);
    },
  );

  it('still uses the whole window: N start at once after an idle spell', async () => {
    const { starts } = await simulate({ requestsPerMinute: 9, burst: 9, windowMarginMs: 0 }, [
      ...Array(9).fill(0),
      ...Array(9).fill(5 * MINUTE),
    ]);
    expect(starts).toEqual([...Array(9).fill(0), ...Array(9).fill(5 * MINUTE)]);
  });
});
