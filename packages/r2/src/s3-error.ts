import { isVBucketsError, VBucketsError, type VBucketsErrorCode } from '@vbuckets/core';
import { transientNetworkCode } from '@vbuckets/core/adapter-kit';

/** Error codes (or error names, for bodiless HEAD answers) that mean the object or bucket is absent. */
const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket', 'NoSuchUpload']);
const FORBIDDEN_CODES = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'AllAccessDisabled',
]);
const THROTTLING_CODES = new Set([
  'SlowDown',
  'TooManyRequests',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
]);
/** Node socket errors and SDK timeouts: the server was not reached or did not answer, so trying again may work. */
/** What the S3 SDK adds to core's transient network codes: DNS misses and its own timeouts. */
const SDK_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { headers?: Record<string, unknown> };
  $retryable?: unknown;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The S3 error code, or the Node error code, or the error's name: whichever says most. */
function errorCodeOf(error: SdkErrorShape): string | undefined {
  return stringOf(error.Code) ?? stringOf(error.code) ?? stringOf(error.name);
}

function statusOf(error: SdkErrorShape): number | undefined {
  const status = error.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** `Retry-After` in seconds or as an HTTP date, when the server sent one. */
function retryAfterMsOf(error: SdkErrorShape): number | undefined {
  const raw = error.$response?.headers?.['retry-after'];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function make(
  code: VBucketsErrorCode,
  message: string,
  cause: unknown,
  extra: {
    retryable?: boolean;
    retryAfterMs?: number | undefined;
    details?: Record<string, unknown>;
  },
): VBucketsError {
  return new VBucketsError(code, message, {
    cause,
    ...(extra.retryable === undefined ? {} : { retryable: extra.retryable }),
    ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
    ...(extra.details === undefined ? {} : { details: extra.details }),
  });
}

/**
 * Turns anything the S3 SDK (or lib-storage, or a socket) threw into a VBucketsError whose
 * message says which action failed and why (`Reading b/k failed: access denied (…)`); the
 * store fills in `adapter` and `operation`. A VBucketsError passes through.
 * NOT_FOUND: NoSuchKey / NotFound / 404. FORBIDDEN: AccessDenied, bad keys or signatures, 403.
 * RATE_LIMITED (retryable): SlowDown, 429, 503. Retryable STORAGE: network failures, timeouts
 * and other 5xx. CANCELLED: an aborted request. Anything else: STORAGE, not retryable.
 */
export function toS3Error(error: unknown, action: string): VBucketsError {
  if (isVBucketsError(error)) return error;
  const shaped = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const code = errorCodeOf(shaped);
  const status = statusOf(shaped);
  const detail = stringOf(shaped.message) ?? code ?? String(error);
  const details: Record<string, unknown> = {
    ...(code === undefined ? {} : { s3Code: code }),
    ...(status === undefined ? {} : { httpStatus: status }),
  };
  const message = (what: string) => `${action} failed: ${what}`;

  if (code === 'AbortError' || code === 'ABORT_ERR') {
    return make('CANCELLED', `${action} was aborted`, error, { details });
  }
  if ((code !== undefined && NOT_FOUND_CODES.has(code)) || status === 404) {
    return make('NOT_FOUND', message(`not found (${detail})`), error, { details });
  }
  if ((code !== undefined && FORBIDDEN_CODES.has(code)) || status === 403 || status === 401) {
    return make('FORBIDDEN', message(`access denied (${detail})`), error, { details });
  }
  if ((code !== undefined && THROTTLING_CODES.has(code)) || status === 429 || status === 503) {
    return make('RATE_LIMITED', message(`rate limited (${detail})`), error, {
      retryable: true,
      retryAfterMs: retryAfterMsOf(shaped),
      details,
    });
  }
  const network = transientNetworkCode(error, SDK_NETWORK_CODES);
  if (network !== undefined) {
    return make(
      'STORAGE',
      message(`the server could not be reached (${network}: ${detail})`),
      error,
      {
        retryable: true,
        details: { ...details, networkCode: network },
      },
    );
  }
  if (status !== undefined && status >= 500) {
    return make('STORAGE', message(`server error ${status} (${detail})`), error, {
      retryable: true,
      details,
    });
  }
  return make('STORAGE', message(detail), error, { retryable: false, details });
}
