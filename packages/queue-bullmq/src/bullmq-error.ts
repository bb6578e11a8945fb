import { isVBucketsError, type VBucketsError, vbucketsError } from '@vbuckets/core';
import { withErrorSource } from '@vbuckets/core/adapter-kit';
import { ResultAsync } from 'neverthrow';

/** The adapter name every error of this package carries. */
export const ADAPTER = 'bullmq';

/**
 * A failure of Redis or BullMQ as a retryable `STORAGE` error naming the operation in its
 * fields; a VBucketsError passes through with its source filled in.
 */
export function toStorageError(thrown: unknown, operation: string): VBucketsError {
  if (isVBucketsError(thrown)) return withErrorSource(thrown, { adapter: ADAPTER, operation });
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  return vbucketsError('STORAGE', `The job queue could not reach Redis (${reason})`, {
    retryable: true,
    cause: thrown,
    adapter: ADAPTER,
    operation,
  });
}

/** Runs a call to Redis; a throw becomes a `STORAGE` error of `operation`. */
export function fromRedis<T>(
  operation: string,
  run: () => Promise<T>,
): ResultAsync<T, VBucketsError> {
  return ResultAsync.fromPromise(run(), (thrown) => toStorageError(thrown, operation));
}

/** An error listener that cannot take the engine down by throwing. */
export function safeReporter(
  listener: (error: VBucketsError) => void,
): (error: VBucketsError) => void {
  return (error) => {
    try {
      listener(error);
    } catch {
      // A failing error listener must not stop a worker or a queue.
    }
  };
}

/** Thrown to BullMQ by a failed attempt that is to be retried after `delayMs` (see the backoff strategy). */
export class RetryLaterError extends Error {
  readonly delayMs: number;

  constructor(message: string, delayMs: number) {
    super(message);
    this.name = 'RetryLaterError';
    this.delayMs = delayMs;
  }
}

/** The custom backoff type stored on every job: its strategy reads the delay the retry rule chose. */
export const BACKOFF_TYPE = 'vbuckets';

/**
 * The worker's backoff strategy: the delay `decideAfterFailure` chose, carried by the error.
 * Any other error (one BullMQ raised itself) is retried at once.
 */
export function backoffStrategy(_attemptsMade: number, _type?: string, error?: Error): number {
  return error instanceof RetryLaterError ? error.delayMs : 0;
}
