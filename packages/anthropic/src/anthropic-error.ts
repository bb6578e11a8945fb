import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  CredentialsError,
} from '@anthropic-ai/sdk';
import { cancelledError, isVBucketsError, VBucketsError } from '@vbuckets/core';
import { transientNetworkCode } from '@vbuckets/core/adapter-kit';

/** Used when a 429 says nothing about when to come back: one rate-limit minute. */
export const DEFAULT_RATE_LIMIT_RETRY_MS = 60_000;

/** Used when a 529 says nothing: overload clears in seconds, and every customer retries. */
export const DEFAULT_OVERLOADED_RETRY_MS = 10_000;

/** The 429 of an organisation's monthly spend cap, which no wait of minutes lifts. */
const SPEND_LIMIT_CODE = 'enforced_spend_limit_reached';

/** What is known of a failed HTTP answer of the Messages API. */
export interface ClaudeHttpFailure {
  httpStatus: number;
  /** `error.type` of the body, e.g. `rate_limit_error`. */
  errorType?: string | null;
  /** `error.message` of the body. */
  apiMessage?: string | null;
  /** `error.details.error_code` of the body, when there is one. */
  errorCode?: string | null;
  requestId?: string | null;
  headers?: Pick<Headers, 'get'> | null;
  cause?: unknown;
}

/**
 * A `retry-after-ms` header (milliseconds), else `retry-after` (seconds or an HTTP date), in
 * milliseconds; undefined when neither is there or readable.
 */
export function retryAfterMsOf(
  headers: Pick<Headers, 'get'> | null | undefined,
  now = Date.now(),
): number | undefined {
  const milliseconds = headers?.get('retry-after-ms');
  if (
    milliseconds !== null &&
    milliseconds !== undefined &&
    /^\s*\d+(\.\d+)?\s*$/u.test(milliseconds)
  ) {
    return Math.round(Number(milliseconds));
  }
  const value = headers?.get('retry-after');
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/u.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Maps an HTTP failure of the Messages API: a bad key (401, 403) is UNAUTHENTICATED; 429 and
 * 529 (overloaded) are retryable RATE_LIMITED errors after the server's `retry-after` (else a
 * minute, or 10 s for an overload), except the 429 of a spent monthly cap, which is final;
 * 408 and 5xx are retryable PROVIDER errors; any other status is a final PROVIDER error.
 */
export function claudeHttpError(failure: ClaudeHttpFailure, action: string): VBucketsError {
  const { httpStatus } = failure;
  const errorType = failure.errorType ?? undefined;
  const statusText =
    errorType === undefined ? `HTTP ${httpStatus}` : `HTTP ${httpStatus} ${errorType}`;
  const serverMessage = failure.apiMessage ?? undefined;
  const retryAfter = failure.headers?.get('retry-after') ?? undefined;
  const details = {
    httpStatus,
    ...(errorType === undefined ? {} : { type: errorType }),
    ...(failure.errorCode ? { errorCode: failure.errorCode } : {}),
    ...(failure.requestId ? { requestId: failure.requestId } : {}),
    ...(retryAfter === undefined ? {} : { retryAfter }),
  };
  const hint =
    httpStatus === 413
      ? '; send smaller frames (maxFrameWidth, maxFrameHeight) or fewer timestamps'
      : '';
  // The message names Claude: a person reading a failed row should not need the error's fields.
  const message = `${action} failed (Claude answered ${statusText})${serverMessage ? `: ${serverMessage}` : ''}${hint}`;
  const options = { cause: failure.cause, details };

  if (httpStatus === 401 || httpStatus === 403) {
    return new VBucketsError('UNAUTHENTICATED', message, { ...options, retryable: false });
  }
  if (httpStatus === 429 && failure.errorCode === SPEND_LIMIT_CODE) {
    return new VBucketsError('RATE_LIMITED', message, { ...options, retryable: false });
  }
  if (httpStatus === 429 || httpStatus === 529 || errorType === 'overloaded_error') {
    const fallback = httpStatus === 429 ? DEFAULT_RATE_LIMIT_RETRY_MS : DEFAULT_OVERLOADED_RETRY_MS;
    return new VBucketsError('RATE_LIMITED', message, {
      ...options,
      retryable: true,
      retryAfterMs: retryAfterMsOf(failure.headers) ?? fallback,
    });
  }
  const retryable = httpStatus === 408 || httpStatus >= 500;
  return new VBucketsError('PROVIDER', message, { ...options, retryable });
}

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns anything thrown while talking to Claude into a VBucketsError (one passes through): the
 * caller's abort is CANCELLED; an HTTP answer goes through `claudeHttpError`; the request's
 * time limit, resets and other network failures are retryable PROVIDER errors; credentials the
 * SDK could not find are UNAUTHENTICATED; anything else is a final PROVIDER error.
 */
export function toClaudeError(
  error: unknown,
  action: string,
  signal?: AbortSignal,
  timeoutMs?: number,
): VBucketsError {
  if (isVBucketsError(error)) return error;
  if (signal?.aborted || error instanceof APIUserAbortError) {
    return cancelledError(`${action} was cancelled`, { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError || errorName(error) === 'TimeoutError') {
    const limit = timeoutMs === undefined ? '' : ` after ${timeoutMs} ms`;
    return new VBucketsError('PROVIDER', `${action} timed out${limit} waiting for Claude`, {
      cause: error,
      retryable: true,
    });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    return claudeHttpError(
      {
        httpStatus: error.status,
        errorType: error.type,
        apiMessage: error.apiMessage,
        errorCode: error.errorCode,
        requestId: error.requestID,
        headers: error.headers,
        cause: error,
      },
      action,
    );
  }
  const code = transientNetworkCode(error);
  if (error instanceof APIConnectionError || code !== undefined) {
    return new VBucketsError(
      'PROVIDER',
      `${action} failed (network error reaching Claude${code === undefined ? '' : `, ${code}`}): ${describe(error)}`,
      { cause: error, retryable: true, ...(code === undefined ? {} : { details: { code } }) },
    );
  }
  if (error instanceof CredentialsError) {
    return new VBucketsError('UNAUTHENTICATED', `${action} failed: ${describe(error)}`, {
      cause: error,
      retryable: false,
    });
  }
  return new VBucketsError('PROVIDER', `${action} failed: ${describe(error)}`, {
    cause: error,
    retryable: false,
  });
}
