import { err, type Result, type ResultAsync } from 'neverthrow';
import {
  cancelledError,
  isVBucketsError,
  toVBucketsError,
  type VBucketsError,
  vbucketsError,
} from '../../errors';
import type { CallOptions } from '../../ports/video-analyzer';
import type { BatchJob } from './categorize-context';

/** The limiter as an analyzer or categorizer that gates its own requests sees it. */
export type RequestRateLimit = NonNullable<CallOptions['rateLimit']>;

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
 * One provider call with the batch's rules: a token from the provider's bucket first, then the
 * call; a retryable failure is tried again up to `maxAttempts` times. When the callee gates its
 * own requests (`gatesRequests`), it is handed the bucket instead and takes a token right before
 * each request its provider's quota counts, so the parts of a call that the quota ignores
 * (uploads, polls) cannot bunch those requests together. A rate limit holds the whole provider's
 * bucket for the retry delay (every caller would hit it too); other retryable failures wait out
 * their backoff alone. Cancellation ends it at any point.
 */
export async function callProvider<T>(
  job: BatchJob,
  call: (rateLimit: RequestRateLimit | undefined) => ResultAsync<T, VBucketsError>,
  options: { gatesRequests?: boolean | undefined; onRetry?: RetryNotice | undefined } = {},
): Promise<Result<T, VBucketsError>> {
  const { maxAttempts } = job.context.settings;
  const { limiter } = job.provider;
  const gatesRequests = options.gatesRequests === true;
  // Only `take`: holding the bucket after a 429 stays core's decision. A take without a signal
  // still ends with the batch.
  const rateLimit: RequestRateLimit | undefined = gatesRequests
    ? { take: (signal) => limiter.take(signal ?? job.signal) }
    : undefined;
  for (let attempt = 1; ; attempt += 1) {
    if (!gatesRequests) {
      const token = await limiter.take(job.signal);
      if (token.isErr()) return err(batchCancelled(job));
    } else if (job.signal?.aborted) {
      return err(batchCancelled(job));
    }
    let result: Result<T, VBucketsError>;
    try {
      result = await call(rateLimit);
    } catch (error) {
      // Adapters should return errors, but a throw must not escape the batch.
      result = err(
        isVBucketsError(error)
          ? error
          : toVBucketsError(
              error,
              'PROVIDER',
              `The call to the ${job.provider.name} provider threw`,
              // Which method (analyze, categorize) is the caller's to know; the adapter is enough to look.
              { adapter: job.provider.name },
            ),
      );
    }
    if (result.isOk()) return result;
    const error = result.error;
    if (job.signal?.aborted) return err(batchCancelled(job));
    if (!error.retryable || attempt >= maxAttempts) return err(gaveUp(error, attempt));
    const delayMs = retryDelayMs(job, error, attempt);
    options.onRetry?.({ attempt, delayMs, error });
    if (error.code === 'RATE_LIMITED') {
      limiter.holdUntil(job.context.clock.now() + delayMs);
    } else {
      await job.context.sleep(delayMs, job.signal);
      if (job.signal?.aborted) return err(batchCancelled(job));
    }
  }
}
