import { ApiError } from '@google/genai';
import { isVBucketsError, VBucketsError } from '@vbuckets/core';
import { transientNetworkCode } from '@vbuckets/core/adapter-kit';

/** Used when a 429 says nothing about when to come back: one quota minute. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** The `error` object of a Google API error body: `{ error: { code, message, status, details } }`. */
export interface GoogleApiErrorInfo {
  code?: number;
  message?: string;
  status?: string;
  details?: unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads Google's error object out of a body or an SDK error message. The SDK stringifies the
 * body into `ApiError.message`, and wraps a non-JSON body as `{ error: { message: text } }`,
 * where the text may itself be a JSON error (Vertex sends a one-element array): all are
 * unwrapped to the innermost error.
 */
export function googleErrorInfo(body: unknown, depth = 0): GoogleApiErrorInfo | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(value)) value = value[0];
  if (!isRecord(value) || !isRecord(value.error)) return undefined;
  const error = value.error;
  const info: GoogleApiErrorInfo = {
    code: typeof error.code === 'number' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
    status: typeof error.status === 'string' ? error.status : undefined,
    details: Array.isArray(error.details) ? error.details : undefined,
  };
  if (depth < 2 && info.message !== undefined && info.details === undefined) {
    const inner = googleErrorInfo(info.message, depth + 1);
    if (inner !== undefined) return inner;
  }
  return info;
}

function detailOfType(info: GoogleApiErrorInfo | undefined, type: string) {
  return info?.details?.find(
    (detail): detail is Record<string, unknown> =>
      isRecord(detail) && detail['@type'] === `type.googleapis.com/${type}`,
  );
}

/** A protobuf Duration in JSON ("12s", "1.5s", "0.250s") in milliseconds, or undefined. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const match = /^\s*(\d+(?:\.\d+)?)s\s*$/u.exec(value);
    return match ? Math.round(Number(match[1]) * 1000) : undefined;
  }
  if (isRecord(value)) {
    const seconds = Number(value.seconds ?? 0);
    const nanos = Number(value.nanos ?? 0);
    if (Number.isFinite(seconds) && Number.isFinite(nanos)) {
      return Math.round(seconds * 1000 + nanos / 1_000_000);
    }
  }
  return undefined;
}

/** A Retry-After header (delta seconds or an HTTP date) in milliseconds, or undefined. */
export function parseRetryAfterHeader(value: string | null | undefined, now = Date.now()) {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/u.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What is known of a failed HTTP answer. */
export interface GeminiHttpFailure {
  httpStatus: number;
  /** The response body (text or parsed JSON). */
  body: unknown;
  /** The `retry-after` response header, when the response was seen. */
  retryAfter?: string | null;
  cause?: unknown;
}

function isApiKeyProblem(info: GoogleApiErrorInfo | undefined): boolean {
  const reason = detailOfType(info, 'google.rpc.ErrorInfo')?.reason;
  if (typeof reason === 'string' && reason.startsWith('API_KEY_')) return true;
  return /API key (not valid|expired|invalid)/iu.test(info?.message ?? '');
}

/**
 * Maps an HTTP failure of the Gemini API: a bad or missing key (400 API_KEY_*, 401, 403) is
 * UNAUTHENTICATED; 429 is RATE_LIMITED after the server's RetryInfo delay (else Retry-After,
 * else a minute); 408 and 5xx are retryable PROVIDER errors; any other 4xx is a final PROVIDER
 * error.
 */
export function geminiHttpError(failure: GeminiHttpFailure, action: string): VBucketsError {
  const { httpStatus } = failure;
  const info = googleErrorInfo(failure.body);
  const serverMessage =
    info?.message ?? (typeof failure.body === 'string' ? failure.body.slice(0, 300) : undefined);
  const statusText =
    info?.status === undefined ? `HTTP ${httpStatus}` : `HTTP ${httpStatus} ${info.status}`;
  // The message names Gemini: a person reading a failed row should not need the error's fields.
  const message = `${action} failed (Gemini answered ${statusText})${serverMessage ? `: ${serverMessage}` : ''}`;
  const details = {
    httpStatus,
    ...(info?.status === undefined ? {} : { status: info.status }),
  };
  const options = { cause: failure.cause, details };

  if (httpStatus === 401 || httpStatus === 403 || (httpStatus === 400 && isApiKeyProblem(info))) {
    return new VBucketsError('UNAUTHENTICATED', message, { ...options, retryable: false });
  }
  if (httpStatus === 429) {
    const retryAfterMs =
      parseDurationMs(detailOfType(info, 'google.rpc.RetryInfo')?.retryDelay) ??
      parseRetryAfterHeader(failure.retryAfter) ??
      DEFAULT_RETRY_AFTER_MS;
    return new VBucketsError('RATE_LIMITED', message, {
      ...options,
      retryable: true,
      retryAfterMs,
    });
  }
  const retryable = httpStatus === 408 || httpStatus >= 500;
  return new VBucketsError('PROVIDER', message, { ...options, retryable });
}

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

function isApiError(error: unknown): error is { status: number; message: string } {
  return (
    error instanceof ApiError ||
    (errorName(error) === 'ApiError' && typeof (error as { status?: unknown }).status === 'number')
  );
}

/**
 * Turns anything thrown while talking to Gemini into a VBucketsError (one passes through):
 * the caller's abort is CANCELLED; an SDK `ApiError` goes through `geminiHttpError`; timeouts,
 * resets and other network failures are retryable PROVIDER errors; anything else is a final
 * PROVIDER error.
 */
export function toGeminiError(error: unknown, action: string, signal?: AbortSignal): VBucketsError {
  if (isVBucketsError(error)) return error;
  if (signal?.aborted) {
    return new VBucketsError('CANCELLED', `${action} was cancelled`, { cause: error });
  }
  if (isApiError(error)) {
    return geminiHttpError({ httpStatus: error.status, body: error.message, cause: error }, action);
  }
  const name = errorName(error);
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new VBucketsError('PROVIDER', `${action} timed out`, {
      cause: error,
      retryable: true,
    });
  }
  const code = transientNetworkCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (
    code !== undefined ||
    (error instanceof TypeError && /fetch failed|terminated|network/iu.test(detail))
  ) {
    return new VBucketsError(
      'PROVIDER',
      `${action} failed (network error reaching Gemini${code === undefined ? '' : `, ${code}`}): ${detail}`,
      { cause: error, retryable: true, ...(code === undefined ? {} : { details: { code } }) },
    );
  }
  return new VBucketsError('PROVIDER', `${action} failed: ${detail}`, {
    cause: error,
    retryable: false,
  });
}
