import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { fromZodError, type VBucketsError, validationError, vbucketsError } from '../../errors';
import type { EnqueueOptions, JobBackoff, JobState } from '../../ports/job-queue';
import { IdSchema } from '../../schemas/common';
import { createRetryPolicy } from '../uploads/retry-policy';

/** Every job state, in the order listings show them. */
export const JOB_STATES: readonly JobState[] = [
  'waiting',
  'delayed',
  'active',
  'completed',
  'failed',
];

/** Attempts of a job when the enqueue does not say, the first included. */
export const DEFAULT_JOB_ATTEMPTS = 3;
/** The backoff of a job when the enqueue does not say. */
export const DEFAULT_JOB_BACKOFF: Required<JobBackoff> = { delayMs: 1000, maxDelayMs: 300_000 };

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** A job kind: `segment.name` words of letters, digits, `-` and `_` (`uploads.runDue`, `my-app.report`). */
export const JobKindSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/,
    'must be dot-separated words of letters, digits, - and _',
  );

const BackoffSchema = z
  .strictObject({
    delayMs: z.number().int().min(0).max(ONE_YEAR_MS),
    maxDelayMs: z.number().int().min(0).max(ONE_YEAR_MS).optional(),
  })
  .refine((backoff) => (backoff.maxDelayMs ?? Number.POSITIVE_INFINITY) >= backoff.delayMs, {
    path: ['maxDelayMs'],
    message: 'must be at least delayMs',
  });

const EnqueueOptionsSchema = z.strictObject({
  jobId: IdSchema.optional(),
  delayMs: z.number().int().min(0).max(ONE_YEAR_MS).optional(),
  attempts: z.number().int().min(1).max(100).optional(),
  backoff: BackoffSchema.optional(),
});

/** An enqueue after its checks, with every default filled in. */
export interface CheckedEnqueue {
  kind: string;
  /** The payload as its JSON text round-trips it (what a worker will be given). */
  payload: unknown;
  jobId: string | null;
  delayMs: number;
  attempts: number;
  backoff: Required<JobBackoff>;
}

/**
 * The checks every engine runs before it stores a job: a well-formed kind, JSON payload
 * (at most `maxPayloadBytes` of it) and options. `VALIDATION` naming the field otherwise.
 */
export function checkEnqueue(
  kind: unknown,
  payload: unknown,
  options: unknown,
  maxPayloadBytes = 512 * 1024,
): Result<CheckedEnqueue, VBucketsError> {
  const parsedKind = JobKindSchema.safeParse(kind);
  if (!parsedKind.success) return err(fromZodError(parsedKind.error, 'job kind'));
  // Most enqueues give no options: nothing to check then.
  const parsedOptions =
    options === undefined
      ? ({ success: true, data: {} } as const)
      : EnqueueOptionsSchema.safeParse(options);
  if (!parsedOptions.success) return err(fromZodError(parsedOptions.error, 'enqueue options'));
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (cause) {
    return err(
      validationError('The job payload cannot be written as JSON', { path: 'payload', cause }),
    );
  }
  if (text === undefined) {
    return err(validationError('The job payload must be a JSON value', { path: 'payload' }));
  }
  // A UTF-16 unit takes at most 3 UTF-8 bytes: a short text needs no encoding to be counted.
  const bytes =
    text.length * 3 <= maxPayloadBytes ? text.length : new TextEncoder().encode(text).length;
  if (bytes > maxPayloadBytes) {
    return err(
      validationError(
        `The job payload is ${bytes} bytes; at most ${maxPayloadBytes} are allowed (store large data and pass its id)`,
        { path: 'payload' },
      ),
    );
  }
  const given: EnqueueOptions = parsedOptions.data;
  return ok({
    kind: parsedKind.data,
    payload: JSON.parse(text) as unknown,
    jobId: given.jobId ?? null,
    delayMs: given.delayMs ?? 0,
    attempts: given.attempts ?? DEFAULT_JOB_ATTEMPTS,
    backoff: {
      delayMs: given.backoff?.delayMs ?? DEFAULT_JOB_BACKOFF.delayMs,
      maxDelayMs: Math.max(
        given.backoff?.maxDelayMs ?? DEFAULT_JOB_BACKOFF.maxDelayMs,
        given.backoff?.delayMs ?? 0,
      ),
    },
  });
}

/** What an engine does after an attempt failed. */
export type JobFailureDecision =
  | {
      action: 'retry';
      delayMs: number;
      /** False for a rate limit: the attempt is given back. */
      countsAsAttempt: boolean;
      reason: string;
    }
  | { action: 'fail'; reason: string };

/**
 * The retry rule of every engine, the upload retry policy's: a retryable error is retried
 * after the jittered exponential backoff while attempts remain; `RATE_LIMITED` waits the
 * server's `retryAfterMs` (or the backoff) and does not use up an attempt; anything else fails.
 */
export function decideAfterFailure(
  error: VBucketsError,
  attempt: { number: number; maxAttempts: number; backoff: Required<JobBackoff> },
  random: () => number = Math.random,
): JobFailureDecision {
  const policy = createRetryPolicy({
    maxAutomaticRetries: Math.max(0, attempt.maxAttempts - 1),
    baseDelayMs: attempt.backoff.delayMs,
    maxDelayMs: Math.max(attempt.backoff.maxDelayMs, attempt.backoff.delayMs),
    random,
  });
  // The options are checked at enqueue; a policy error here means a corrupt stored job.
  if (policy.isErr()) return { action: 'fail', reason: policy.error.message };
  const decision = policy.value.afterFailure({
    retryCount: Math.max(0, attempt.number - 1),
    now: 0,
    error,
  });
  if (decision.status === 'FAILED_FINAL') return { action: 'fail', reason: error.message };
  return {
    action: 'retry',
    delayMs: decision.delayMs ?? 0,
    countsAsAttempt: decision.status !== 'RATE_LIMITED',
    reason: error.message,
  };
}

/** A processor's throw as the error a job records: retryable, since a crash may pass. */
export function jobErrorFromThrow(thrown: unknown, kind: string): VBucketsError {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return vbucketsError('PROVIDER', `The ${kind} job threw: ${message}`, {
    retryable: true,
    cause: thrown,
    details: { kind },
  });
}
