import { err, type Result, type ResultAsync } from 'neverthrow';
import {
  cancelledError,
  isVBucketsError,
  toVBucketsError,
  type VBucketsError,
  vbucketsError,
} from '../../errors';
import type { BatchJob } from './categorize-context';

/** What a retry loop tells its caller before it waits. */
export type RetryNotice = (notice: {
  attempt: number;
  delayMs: number;
  error: VBucketsError;
}) => void;

/**
 * The wait before attempt `attempt + 1`: the server's retry delay when it gave one (never
 * shortened), else exponential backoff with equal jitter — half the ceiling fixed, half random.
 */
export function retryDelayMs(job: BatchJob, error: VBucketsError, attempt: number): number {
  const serverWait = error.retryAfterMs;
  if (serverWait !== undefined && Number.isFinite(serverWait) && serverWait >= 0) {
    return Math.ceil(serverWait);
  }
  const { retryBaseDelayMs, retryMaxDelayMs } = job.context.settings;
  const ceiling = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** Math.max(0, attempt - 1));
  const draw = job.context.random();
  const fraction = Number.isFinite(draw) ? Math.min(1, Math.max(0, draw)) : 0;
  return Math.round(ceiling / 2 + (fraction * ceiling) / 2);
}

/** The cancellation error of a batch, whatever the provider said while being aborted. */
export function batchCancelled(job: BatchJob): VBucketsError {
  return cancelledError(`Categorization session ${job.sessionId} was cancelled`, {
    cause: job.signal?.reason,
    details: { sessionId: job.sessionId },
  });
}

function gaveUp(error: VBucketsError, attempts: number): VBucketsError {
  if (attempts <= 1) return error;
  return vbucketsError(error.code, `${error.message} (gave up after ${attempts} attempts)`, {
    cause: error,
    retryable: error.retryable,
    path: error.path,
    retryAfterMs: error.retryAfterMs,
    details: { ...error.details, attempts },
  });
}

/**
 * One provider request with the batch's rules: a token from the provider's bucket first,
 * then the call; a retryable failure is tried again up to `maxAttempts` times. A rate limit
 * holds the whole provider's bucket for the retry delay (every caller would hit it too); other
 * retryable failures wait out their backoff alone. Cancellation ends it at any point.
 */
export async function callProvider<T>(
  job: BatchJob,
  call: () => ResultAsync<T, VBucketsError>,
  onRetry?: RetryNotice,
): Promise<Result<T, VBucketsError>> {
  const { maxAttempts } = job.context.settings;
  const { limiter } = job.provider;
  for (let attempt = 1; ; attempt += 1) {
    const token = await limiter.take(job.signal);
    if (token.isErr()) return err(batchCancelled(job));
    let result: Result<T, VBucketsError>;
    try {
      result = await call();
    } catch (error) {
      // Adapters should return errors, but a throw must not escape the batch.
      result = err(
        isVBucketsError(error)
          ? error
          : toVBucketsError(error, 'PROVIDER', `[${job.provider.name}] The call threw`),
      );
    }
    if (result.isOk()) return result;
    const error = result.error;
    if (job.signal?.aborted) return err(batchCancelled(job));
    if (!error.retryable || attempt >= maxAttempts) return err(gaveUp(error, attempt));
    const delayMs = retryDelayMs(job, error, attempt);
    onRetry?.({ attempt, delayMs, error });
    if (error.code === 'RATE_LIMITED') {
      limiter.holdUntil(job.context.clock.now() + delayMs);
    } else {
      await job.context.sleep(delayMs, job.signal);
      if (job.signal?.aborted) return err(batchCancelled(job));
    }
  }
}
