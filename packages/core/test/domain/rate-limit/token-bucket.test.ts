import { describe, expect, it } from 'vitest';
import type { Sleep } from '../../../src/domain/rate-limit/sleep';
import {
  createTokenBucket,
  DEFAULT_WINDOW_MARGIN_MS,
  type TokenBucketOptions,
} from '../../../src/domain/rate-limit/token-bucket';
import { createManualClock, type ManualClock } from '../../../src/testing/manual-clock';

const MINUTE = 60_000;

/**
 * A Sleep that moves the manual clock instead of waiting, recording each wait. It lets
 * everything already runnable run first, as a real timer would, before time moves.
 */
function fakeSleep(clock: ManualClock) {
  const waits: number[] = [];
  const sleep: Sleep = async (milliseconds) => {
    waits.push(milliseconds);
    await new Promise((resolve) => setTimeout(resolve, 0));
    clock.advance(milliseconds);
  };
  return { sleep, waits };
}

function setup(options: TokenBucketOptions = {}) {
  const clock = createManualClock(Date.UTC(2026, 1, 18));
  const { sleep, waits } = fakeSleep(clock);
  const bucket = createTokenBucket(options, { clock, sleep })._unsafeUnwrap();
  return { clock, bucket, waits };
}

async function grantTimes(options: TokenBucketOptions, requests: number) {
  const { clock, bucket } = setup(options);
  const start = clock.now();
  const times = await Promise.all(
    Array.from({ length: requests }, async () => {
      (await bucket.take())._unsafeUnwrap();
      return clock.now() - start;
    }),
  );
  return times.sort((left, right) => left - right);
}

/** The most grants in any half-open window [t, t + width). */
function busiestWindow(times: readonly number[], width: number): number {
  let most = 0;
  for (const [index, start] of times.entries()) {
    const inside = times.slice(index).filter((time) => time < start + width).length;
    most = Math.max(most, inside);
  }
  return most;
}

describe('createTokenBucket', () => {
  it('defaults to 9 requests a minute, spaced evenly (burst 1)', () => {
    const { bucket } = setup();
    expect(bucket.requestsPerMinute).toBe(9);
    expect(bucket.burst).toBe(1);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(Math.ceil(MINUTE / 9));
  });

  it('takes 30 requests at 9/min in at least (30 - burst) / 9 minutes, never above the rate', async () => {
    const times = await grantTimes({ requestsPerMinute: 9, windowMarginMs: 0 }, 30);
    expect(times[0]).toBe(0);
    expect(times.at(-1)).toBeGreaterThanOrEqual(((30 - 1) / 9) * MINUTE);
    // And not much more: the limiter sleeps only until the next token is due.
    expect(times.at(-1)).toBeLessThanOrEqual(((30 - 1) / 9) * MINUTE + 30);
    expect(busiestWindow(times, MINUTE)).toBeLessThanOrEqual(9);
  });

  it('lets a burst through at once, then holds the rate and the window', async () => {
    const times = await grantTimes({ requestsPerMinute: 9, burst: 3 }, 30);
    expect(times.slice(0, 3)).toEqual([0, 0, 0]);
    expect(times[3]).toBeGreaterThan(0);
    expect(times.at(-1)).toBeGreaterThanOrEqual(((30 - 3) / 9) * MINUTE);
    expect(busiestWindow(times, MINUTE + DEFAULT_WINDOW_MARGIN_MS)).toBeLessThanOrEqual(9);
  });

  // Pins the bug of issue 10 point 7: the bucket alone let burst + N − 1 = 17 start in one minute.
  it('with burst = N, sends N at once and the next N one window (plus margin) later, never more in a window', async () => {
    const times = await grantTimes({ requestsPerMinute: 9, burst: 9, windowMarginMs: 500 }, 27);
    expect(times.slice(0, 9)).toEqual(Array(9).fill(0));
    expect(times.slice(9, 18)).toEqual(Array(9).fill(MINUTE + 500));
    expect(times.slice(18)).toEqual(Array(9).fill(2 * (MINUTE + 500)));
    expect(busiestWindow(times, MINUTE + 500)).toBe(9);
  });

  it('stretches the window below one request a minute, and reports its shape', () => {
    const { bucket, clock } = setup({ requestsPerMinute: 0.5, windowMarginMs: 0 });
    expect([bucket.requestsPerWindow, bucket.windowMs, bucket.windowMarginMs]).toEqual([
      1,
      2 * MINUTE,
      0,
    ]);
    expect(bucket.tryTake()).toBe(0);
    clock.advance(2 * MINUTE - 1);
    expect(bucket.tryTake()).toBe(1);
    clock.advance(1);
    expect(bucket.tryTake()).toBe(0);
  });

  it('refills while idle, up to the burst only', () => {
    const { bucket, clock } = setup({ requestsPerMinute: 6, burst: 2 });
    expect(bucket.available()).toBe(2);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(10_000);
    clock.advance(5_000);
    expect(bucket.available()).toBeCloseTo(0.5);
    clock.advance(60 * MINUTE);
    expect(bucket.available()).toBe(2);
  });

  it('counts starts still inside the window (plus margin) as unavailable, however full the bucket', () => {
    const { bucket, clock } = setup({ requestsPerMinute: 2, burst: 2 });
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(0);
    clock.advance(MINUTE);
    expect(bucket.available()).toBe(0);
    expect(bucket.tryTake()).toBe(DEFAULT_WINDOW_MARGIN_MS);
    clock.advance(DEFAULT_WINDOW_MARGIN_MS);
    expect(bucket.available()).toBe(2);
  });

  it('serves waiters first come, first served', async () => {
    const { bucket } = setup({ requestsPerMinute: 60 });
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].map(async (caller) => {
        (await bucket.take())._unsafeUnwrap();
        order.push(caller);
      }),
    );
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('cancels a waiter whose signal aborts, without using a token', async () => {
    const clock = createManualClock(0);
    const sleeps: Array<{ milliseconds: number; signal: AbortSignal | undefined }> = [];
    // A sleep that never finishes by itself: the test decides when time passes.
    const sleep: Sleep = (milliseconds, signal) => {
      sleeps.push({ milliseconds, signal });
      return new Promise((resolve) => signal?.addEventListener('abort', () => resolve()));
    };
    const bucket = createTokenBucket(
      { requestsPerMinute: 1, windowMarginMs: 0 },
      { clock, sleep },
    )._unsafeUnwrap();
    (await bucket.take())._unsafeUnwrap();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    await Promise.resolve();
    controller.abort();
    const error = (await waiting)._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
    // Nobody is waiting any more, so the loop's sleep was ended too.
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]?.signal?.aborted).toBe(true);
    clock.advance(MINUTE);
    expect(bucket.tryTake()).toBe(0);
  });

  it('refuses an already-aborted signal at once', async () => {
    const { bucket } = setup();
    const error = (await bucket.take(AbortSignal.abort()))._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
    expect(bucket.available()).toBe(1);
  });

  it('holds tokens back until a retry-after, then frees one', async () => {
    const { bucket, clock } = setup({ requestsPerMinute: 60, burst: 5 });
    const start = clock.now();
    bucket.holdUntil(start + 30_000);
    expect(bucket.tryTake()).toBe(30_000);
    (await bucket.take())._unsafeUnwrap();
    expect(clock.now() - start).toBe(30_000);
    // Only one token at the end of the hold, then the normal rate.
    expect(bucket.tryTake()).toBe(1_000);
  });

  it('never holds back with Infinity requests per minute, except for a retry-after', () => {
    const { bucket, clock } = setup({ requestsPerMinute: Number.POSITIVE_INFINITY });
    for (let index = 0; index < 1_000; index += 1) expect(bucket.tryTake()).toBe(0);
    expect(bucket.available()).toBe(Number.POSITIVE_INFINITY);
    bucket.holdUntil(clock.now() + 500);
    expect(bucket.tryTake()).toBe(500);
    expect(bucket.available()).toBe(0);
  });

  it.each([
    [{ requestsPerMinute: 0 }, 'requestsPerMinute'],
    [{ requestsPerMinute: -3 }, 'requestsPerMinute'],
    [{ requestsPerMinute: Number.NaN }, 'requestsPerMinute'],
    [{ burst: 0 }, 'burst'],
    [{ burst: 1.5 }, 'burst'],
    [{ windowMarginMs: -1 }, 'windowMarginMs'],
    [{ windowMarginMs: Number.POSITIVE_INFINITY }, 'windowMarginMs'],
    [{ rate: 3 } as TokenBucketOptions, ''],
  ])('rejects %j as VALIDATION naming the field', (options, path) => {
    const clock = createManualClock(0);
    const error = createTokenBucket(options, {
      clock,
      sleep: fakeSleep(clock).sleep,
    })._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
  });
});
