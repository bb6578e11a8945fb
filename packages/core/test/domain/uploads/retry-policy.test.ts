import { describe, expect, it } from 'vitest';
import {
  createRetryPolicy,
  isUploadDue,
  planManualRetry,
  type RetryPolicyOptions,
} from '../../../src/domain/uploads/retry-policy';
import { VBucketsError, vbucketsError } from '../../../src/errors';
import type { UploadStatus } from '../../../src/schemas/upload';

const NOW = Date.parse('2026-02-11T08:00:00.000Z');
const ALMOST_ONE = 0.9999999999;

const policyWith = (options: RetryPolicyOptions = {}) => createRetryPolicy(options)._unsafeUnwrap();
const providerFailure = (message = 'socket hang up') =>
  vbucketsError('PROVIDER', message, { retryable: true });
const waitOf = (nextAttemptAt: string | null) =>
  nextAttemptAt === null ? null : Date.parse(nextAttemptAt) - NOW;

describe('createRetryPolicy', () => {
  it('has the documented defaults', () => {
    const policy = policyWith();
    expect(policy.maxAutomaticRetries).toBe(3);
    expect(policy.baseDelayMs).toBe(30_000);
    expect(policy.maxDelayMs).toBe(3_600_000);
  });

  it.each([
    [{ maxAutomaticRetries: -1 }, 'maxAutomaticRetries'],
    [{ maxAutomaticRetries: 1.5 }, 'maxAutomaticRetries'],
    [{ baseDelayMs: -5 }, 'baseDelayMs'],
    [{ baseDelayMs: 60_000, maxDelayMs: 1_000 }, 'maxDelayMs'],
    [{ random: 0.5 as unknown as () => number }, 'random'],
    [{ retries: 3 } as unknown as RetryPolicyOptions, ''],
  ])('rejects %o as VALIDATION naming %s', (options, path) => {
    const error = createRetryPolicy(options)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
  });
});

describe('backoff', () => {
  it('doubles per failure from the base', () => {
    const policy = policyWith();
    expect([1, 2, 3, 4].map((failure) => policy.backoffCeilingMs(failure))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
  });

  it('is capped at maxDelayMs, even for absurd failure counts', () => {
    const policy = policyWith({ baseDelayMs: 1_000, maxDelayMs: 5_000 });
    expect(policy.backoffCeilingMs(3)).toBe(4_000);
    expect(policy.backoffCeilingMs(4)).toBe(5_000);
    expect(policy.backoffCeilingMs(5_000)).toBe(5_000);
    expect(
      policyWith({
        baseDelayMs: 1_000,
        maxDelayMs: 5_000,
        random: () => ALMOST_ONE,
      }).backoffDelayMs(40),
    ).toBe(5_000);
  });

  it('uses equal jitter: half the ceiling when random gives 0', () => {
    const policy = policyWith({ random: () => 0 });
    expect([1, 2, 3].map((failure) => policy.backoffDelayMs(failure))).toEqual([
      15_000, 30_000, 60_000,
    ]);
  });

  it('uses equal jitter: the ceiling when random gives almost 1', () => {
    const policy = policyWith({ random: () => ALMOST_ONE });
    expect([1, 2, 3].map((failure) => policy.backoffDelayMs(failure))).toEqual([
      30_000, 60_000, 120_000,
    ]);
  });

  it('keeps a misbehaving random source inside the bounds', () => {
    expect(policyWith({ random: () => 7 }).backoffDelayMs(1)).toBe(30_000);
    expect(policyWith({ random: () => -3 }).backoffDelayMs(1)).toBe(15_000);
    expect(policyWith({ random: () => Number.NaN }).backoffDelayMs(1)).toBe(15_000);
  });
});

describe('afterFailure', () => {
  it('walks FAILED 1, 2, 3 with growing waits, then FAILED_FINAL on failure 4', () => {
    const policy = policyWith({ random: () => 0.5 });
    const decisions = [0, 1, 2, 3].map((retryCount) =>
      policy.afterFailure({ retryCount, now: NOW, error: providerFailure() }),
    );
    expect(decisions.map((decision) => [decision.status, decision.retryCount])).toEqual([
      ['FAILED', 1],
      ['FAILED', 2],
      ['FAILED', 3],
      ['FAILED_FINAL', 4],
    ]);
    expect(decisions.map((decision) => waitOf(decision.nextAttemptAt))).toEqual([
      22_500,
      45_000,
      90_000,
      null,
    ]);
    expect(decisions.map((decision) => decision.delayMs)).toEqual([22_500, 45_000, 90_000, null]);
    expect(decisions[0]!.errorMessage).toBe('socket hang up');
  });

  it('never shortens the wait from one failure to the next, whatever the jitter', () => {
    const longestFirst = policyWith({ random: () => ALMOST_ONE }).afterFailure({
      retryCount: 0,
      now: NOW,
      error: providerFailure(),
    });
    const shortestSecond = policyWith({ random: () => 0 }).afterFailure({
      retryCount: 1,
      now: NOW,
      error: providerFailure(),
    });
    expect(waitOf(shortestSecond.nextAttemptAt)!).toBeGreaterThanOrEqual(
      waitOf(longestFirst.nextAttemptAt)!,
    );
  });

  it('honours maxAutomaticRetries', () => {
    const policy = policyWith({ maxAutomaticRetries: 1 });
    expect(policy.afterFailure({ retryCount: 0, now: NOW, error: providerFailure() }).status).toBe(
      'FAILED',
    );
    expect(policy.afterFailure({ retryCount: 1, now: NOW, error: providerFailure() }).status).toBe(
      'FAILED_FINAL',
    );
    expect(
      policyWith({ maxAutomaticRetries: 0 }).afterFailure({
        retryCount: 0,
        now: NOW,
        error: providerFailure(),
      }).status,
    ).toBe('FAILED_FINAL');
  });

  it('makes a non-retryable error FAILED_FINAL at once, still counting it', () => {
    const decision = policyWith().afterFailure({
      retryCount: 0,
      now: NOW,
      error: vbucketsError('PROVIDER', 'video rejected: too long', { retryable: false }),
    });
    expect(decision).toEqual({
      status: 'FAILED_FINAL',
      retryCount: 1,
      nextAttemptAt: null,
      delayMs: null,
      errorMessage: 'video rejected: too long',
    });
  });

  it('waits for retryAfterMs on RATE_LIMITED without counting a failure', () => {
    const decision = policyWith().afterFailure({
      retryCount: 2,
      now: NOW,
      error: vbucketsError('RATE_LIMITED', 'quota', { retryAfterMs: 90_000 }),
    });
    expect(decision).toEqual({
      status: 'RATE_LIMITED',
      retryCount: 2,
      nextAttemptAt: '2026-02-11T08:01:30.000Z',
      delayMs: 90_000,
      errorMessage: 'quota',
    });
  });

  it('does not cap the server retry-after at maxDelayMs', () => {
    const decision = policyWith({ maxDelayMs: 60_000 }).afterFailure({
      retryCount: 0,
      now: NOW,
      error: vbucketsError('RATE_LIMITED', 'daily quota', { retryAfterMs: 7_200_000 }),
    });
    expect(waitOf(decision.nextAttemptAt)).toBe(7_200_000);
  });

  it('falls back to the backoff when RATE_LIMITED has no retryAfterMs', () => {
    const decision = policyWith({ random: () => 0 }).afterFailure({
      retryCount: 1,
      now: NOW,
      error: vbucketsError('RATE_LIMITED', 'slow down'),
    });
    expect(decision.status).toBe('RATE_LIMITED');
    expect(decision.retryCount).toBe(1);
    expect(waitOf(decision.nextAttemptAt)).toBe(30_000);
  });

  it('stays RATE_LIMITED however many rate limits came before', () => {
    const decision = policyWith().afterFailure({
      retryCount: 3,
      now: NOW,
      error: new VBucketsError('RATE_LIMITED', '429', { retryAfterMs: 1_000 }),
    });
    expect(decision.status).toBe('RATE_LIMITED');
    expect(decision.retryCount).toBe(3);
  });
});

describe('isUploadDue', () => {
  const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

  it.each<[UploadStatus, string | null, boolean]>([
    ['FAILED', at(-1), true],
    ['FAILED', at(0), true],
    ['FAILED', at(1), false],
    ['FAILED', null, true],
    ['RATE_LIMITED', at(-1_000), true],
    ['RATE_LIMITED', at(1_000), false],
    ['FAILED_FINAL', at(-1_000), false],
    ['FAILED_FINAL', null, false],
    ['PENDING', null, false],
    ['IN_PROGRESS', at(-1_000), false],
    ['SUCCESS', null, false],
    ['BLOCKED', null, false],
  ])('%s with nextAttemptAt %s is due: %s', (status, nextAttemptAt, due) => {
    expect(isUploadDue({ status, nextAttemptAt }, NOW)).toBe(due);
  });
});

describe('planManualRetry', () => {
  it.each<UploadStatus>(['FAILED_FINAL', 'FAILED', 'RATE_LIMITED'])(
    'restarts the retry count after %s',
    (status) => {
      expect(planManualRetry({ status })._unsafeUnwrap()).toEqual({
        retryCount: 0,
        nextAttemptAt: null,
      });
    },
  );

  it('gives the overridden attempt the full set of automatic retries again', () => {
    const policy = policyWith();
    const plan = planManualRetry({ status: 'FAILED_FINAL' })._unsafeUnwrap();
    const decision = policy.afterFailure({
      retryCount: plan.retryCount,
      now: NOW,
      error: providerFailure(),
    });
    expect(decision.status).toBe('FAILED');
    expect(decision.retryCount).toBe(1);
  });

  it.each<UploadStatus>(['PENDING', 'IN_PROGRESS', 'SUCCESS', 'BLOCKED'])(
    'refuses %s as CONFLICT',
    (status) => {
      const error = planManualRetry({ status })._unsafeUnwrapErr();
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain(`Cannot retry an upload that is ${status}`);
    },
  );
});
