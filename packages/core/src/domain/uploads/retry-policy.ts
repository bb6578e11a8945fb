import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { conflictError, fromZodError, type VBucketsError } from '../../errors';
import type { Upload } from '../../schemas/upload';

const ONE_WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Options of `createRetryPolicy`; all optional. */
export const RetryPolicyOptionsSchema = z
  .strictObject({
    /** Failures that still get an automatic retry; the next one is FAILED_FINAL. */
    maxAutomaticRetries: z.number().int().min(0).max(100).default(3),
    /** The backoff before the retry after the first failure; it doubles per failure. */
    baseDelayMs: z.number().int().min(0).max(ONE_WEEK_MS).default(30_000),
    /** The longest backoff, however many failures. */
    maxDelayMs: z.number().int().min(0).max(ONE_WEEK_MS).default(3_600_000),
    /** A source of numbers in [0, 1) for jitter; inject a fixed one in tests. */
    random: z
      .custom<() => number>((value) => typeof value === 'function', 'must be a function')
      .optional(),
  })
  .refine((options) => options.maxDelayMs >= options.baseDelayMs, {
    path: ['maxDelayMs'],
    message: 'must be at least baseDelayMs',
  });
export type RetryPolicyOptions = z.input<typeof RetryPolicyOptionsSchema>;

/** What a failed attempt leaves on the upload row; spread it into the row's patch. */
export interface RetryDecision {
  status: 'FAILED' | 'FAILED_FINAL' | 'RATE_LIMITED';
  /** Failures of the video counted so far in this cycle (rate limits do not count). */
  retryCount: number;
  /** ISO time of the next automatic attempt; null when there is none. */
  nextAttemptAt: string | null;
  /** The wait before that attempt, for logs; null when there is none. */
  delayMs: number | null;
  errorMessage: string;
}

/** The facts of one failed attempt. */
export interface RetryFailure {
  /** The row's retryCount before this failure. */
  retryCount: number;
  /** Milliseconds since the Unix epoch, from the injected Clock. */
  now: number;
  /** What the uploader reported. */
  error: VBucketsError;
}

export interface RetryPolicy {
  readonly maxAutomaticRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The backoff ceiling before the retry after failure `failureNumber` (1-based), without jitter. */
  backoffCeilingMs(failureNumber: number): number;
  /** The jittered backoff after failure `failureNumber`: within [ceiling / 2, ceiling]. */
  backoffDelayMs(failureNumber: number): number;
  /** The state a failed attempt leads to. */
  afterFailure(failure: RetryFailure): RetryDecision;
}

/**
 * Builds the automatic retry rules of seed 001: failures 1..maxAutomaticRetries leave the
 * upload FAILED with an exponential backoff (`baseDelayMs * 2^(n-1)`, capped at `maxDelayMs`);
 * the next failure, or any non-retryable one, is FAILED_FINAL. A RATE_LIMITED error is not a
 * failure of the video: the row waits for the server's retry-after and retryCount stays.
 *
 * Jitter is "equal jitter": half the ceiling is fixed and the other half random, so workers
 * that failed together spread out, yet the wait after failure n+1 is never shorter than the
 * wait after failure n.
 */
export function createRetryPolicy(
  options: RetryPolicyOptions = {},
): Result<RetryPolicy, VBucketsError> {
  const parsed = RetryPolicyOptionsSchema.safeParse(options);
  if (!parsed.success) return err(fromZodError(parsed.error, 'retry policy options'));
  const { maxAutomaticRetries, baseDelayMs, maxDelayMs } = parsed.data;
  const random = parsed.data.random ?? Math.random;

  const backoffCeilingMs = (failureNumber: number): number => {
    const exponent = Math.max(0, Math.floor(failureNumber) - 1);
    // 2^exponent overflows to Infinity for huge counts; the cap absorbs that.
    return Math.min(maxDelayMs, baseDelayMs * 2 ** exponent);
  };

  const backoffDelayMs = (failureNumber: number): number => {
    const ceiling = backoffCeilingMs(failureNumber);
    const half = ceiling / 2;
    // A misbehaving random source must not push the wait outside the documented bounds.
    const draw = random();
    const fraction = Number.isFinite(draw) ? Math.min(1, Math.max(0, draw)) : 0;
    return Math.round(half + fraction * half);
  };

  const afterFailure = ({ retryCount, now, error }: RetryFailure): RetryDecision => {
    // Rows are schema-checked integers; this only keeps a corrupt count from going negative.
    const failuresSoFar = Number.isFinite(retryCount) ? Math.max(0, Math.floor(retryCount)) : 0;
    const errorMessage = error.message;

    if (error.code === 'RATE_LIMITED') {
      const serverWait = error.retryAfterMs;
      // The server's wait is honoured as given, not capped: retrying sooner only earns another 429.
      const delayMs =
        serverWait !== undefined && Number.isFinite(serverWait) && serverWait >= 0
          ? Math.ceil(serverWait)
          : backoffDelayMs(failuresSoFar + 1);
      return {
        status: 'RATE_LIMITED',
        retryCount: failuresSoFar,
        nextAttemptAt: new Date(now + delayMs).toISOString(),
        delayMs,
        errorMessage,
      };
    }

    const failureNumber = failuresSoFar + 1;
    if (!error.retryable || failureNumber > maxAutomaticRetries) {
      return {
        status: 'FAILED_FINAL',
        retryCount: failureNumber,
        nextAttemptAt: null,
        delayMs: null,
        errorMessage,
      };
    }
    const delayMs = backoffDelayMs(failureNumber);
    return {
      status: 'FAILED',
      retryCount: failureNumber,
      nextAttemptAt: new Date(now + delayMs).toISOString(),
      delayMs,
      errorMessage,
    };
  };

  return ok(
    Object.freeze({
      maxAutomaticRetries,
      baseDelayMs,
      maxDelayMs,
      backoffCeilingMs,
      backoffDelayMs,
      afterFailure,
    }),
  );
}

/**
 * True when a scheduler should start the next automatic attempt now: FAILED and RATE_LIMITED
 * rows whose `nextAttemptAt` has come (or was never set). FAILED_FINAL is never due
 * automatically, and other statuses are not retries at all.
 */
export function isUploadDue(
  upload: Pick<Upload, 'status' | 'nextAttemptAt'>,
  now: number,
): boolean {
  if (upload.status !== 'FAILED' && upload.status !== 'RATE_LIMITED') return false;
  if (upload.nextAttemptAt === null) return true;
  const dueAt = Date.parse(upload.nextAttemptAt);
  // An unreadable time would otherwise hold the row back for ever.
  return Number.isNaN(dueAt) || dueAt <= now;
}

/** The row fields a manual retry starts with. */
export interface ManualRetryPlan {
  retryCount: 0;
  nextAttemptAt: null;
}

/**
 * A person's "try again" on an upload whose previous attempt did not succeed (FAILED,
 * FAILED_FINAL or RATE_LIMITED, waiting or not). The retry count restarts at 0: a person
 * overriding has usually fixed the cause (credentials, file, quota), so the new attempt gets
 * the full set of automatic retries; the earlier failures stay in the audit trail. Claim the
 * row with `{ force: true }` so FAILED_FINAL -> IN_PROGRESS is legal. Posting again after
 * SUCCESS or BLOCKED is a duplicate question for the duplicate guard, not a retry.
 */
export function planManualRetry(
  upload: Pick<Upload, 'status'>,
): Result<ManualRetryPlan, VBucketsError> {
  const { status } = upload;
  if (status === 'FAILED' || status === 'FAILED_FINAL' || status === 'RATE_LIMITED') {
    return ok({ retryCount: 0, nextAttemptAt: null });
  }
  const why =
    status === 'IN_PROGRESS'
      ? 'it is in progress'
      : status === 'PENDING'
        ? 'it has not been attempted yet; start it instead'
        : 'its last attempt did not fail; posting again is a duplicate upload (allow duplicates or force)';
  return err(
    conflictError(`Cannot retry an upload that is ${status}: ${why}`, { details: { status } }),
  );
}
