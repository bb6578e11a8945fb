import { VBucketsError } from '@vbuckets/core';
import {
  type HeadersLike,
  headerValue,
  mapHttpFailure,
  parseRetryAfter,
  sentenceStart,
} from './uploader-error';

/** Used when a Graph rate limit gives no `estimated_time_to_regain_access`: five minutes. */
export const META_DEFAULT_RATE_LIMIT_RETRY_MS = 300_000;

/** The `error` object of a Graph API error body. */
export interface GraphErrorInfo {
  message?: string;
  type?: string;
  code?: number;
  subcode?: number;
  userMessage?: string;
  transient?: boolean;
  fbtraceId?: string;
}

/** Graph codes that mean "slow down": app, user, page and ad-account (80000–80014) limits. */
const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([4, 17, 32, 341, 613]);
/** Graph codes of a temporary server problem (unknown error, service unavailable). */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([1, 2]);
/** Graph codes of a token that is invalid, expired or revoked. */
const AUTH_CODES: ReadonlySet<number> = new Set([102, 190]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads Graph's `{ error: { message, type, code, error_subcode, error_user_msg, fbtrace_id } }`. */
export function graphErrorInfo(body: unknown): GraphErrorInfo | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const error = body.error;
  const text = (key: string) =>
    typeof error[key] === 'string' ? (error[key] as string) : undefined;
  const number = (key: string) =>
    typeof error[key] === 'number' ? (error[key] as number) : undefined;
  return {
    message: text('message'),
    type: text('type'),
    code: number('code'),
    subcode: number('error_subcode'),
    userMessage: text('error_user_msg'),
    transient: typeof error.is_transient === 'boolean' ? error.is_transient : undefined,
    fbtraceId: text('fbtrace_id'),
  };
}

/**
 * The wait a Graph rate limit asks for: the largest `estimated_time_to_regain_access`
 * (minutes) of the `X-Business-Use-Case-Usage` / `X-Ad-Account-Usage` headers, in ms.
 */
export function graphRetryAfterMs(headers: HeadersLike): number | undefined {
  let minutes: number | undefined;
  const consider = (value: unknown) => {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      minutes = Math.max(minutes ?? 0, value);
    }
  };
  const businessUsage = headerValue(headers, 'x-business-use-case-usage');
  if (businessUsage !== undefined) {
    try {
      const parsed: unknown = JSON.parse(businessUsage);
      if (isRecord(parsed)) {
        for (const entries of Object.values(parsed)) {
          if (!Array.isArray(entries)) continue;
          for (const entry of entries) {
            if (isRecord(entry)) consider(entry.estimated_time_to_regain_access);
          }
        }
      }
    } catch {
      // An unreadable usage header leaves the default wait.
    }
  }
  const adAccountUsage = headerValue(headers, 'x-ad-account-usage');
  if (adAccountUsage !== undefined) {
    try {
      const parsed: unknown = JSON.parse(adAccountUsage);
      if (isRecord(parsed) && typeof parsed.reset_time_duration === 'number') {
        consider(parsed.reset_time_duration / 60);
      }
    } catch {
      // As above.
    }
  }
  return minutes === undefined ? undefined : Math.round(minutes * 60_000);
}

/** What is known of a failed Graph answer. */
export interface GraphHttpFailure {
  /** `meta` or `instagram`: the message prefix. */
  platform: string;
  status: number;
  headers?: HeadersLike;
  body?: unknown;
  action: string;
}

/**
 * Maps a failed Graph API answer by its error code (Graph answers most errors with HTTP 400):
 * 102/190 (token invalid or expired) → UNAUTHENTICATED, re-authenticate; 4/17/32/341/613 and
 * 80000–80014 → RATE_LIMITED after `estimated_time_to_regain_access` (else Retry-After, else
 * 5 min); 1/2 or `is_transient` → retryable PROVIDER; anything else (100 invalid parameter, 352
 * unsupported format, 6000-range video errors…) → final PROVIDER with the platform's message.
 * Bodies without a Graph error fall back to the shared HTTP mapping.
 */
export function graphHttpError(failure: GraphHttpFailure): VBucketsError {
  const info = graphErrorInfo(failure.body);
  if (info?.code === undefined) {
    return mapHttpFailure({
      platform: failure.platform,
      status: failure.status,
      headers: failure.headers,
      body: failure.body,
      action: failure.action,
    });
  }
  const code = info.code;
  const platformMessage = [info.message, info.userMessage].filter(Boolean).join(' — ');
  const details = {
    platform: failure.platform,
    httpStatus: failure.status,
    graphCode: code,
    ...(info.subcode === undefined ? {} : { graphSubcode: info.subcode }),
    ...(info.type === undefined ? {} : { graphType: info.type }),
    ...(info.fbtraceId === undefined ? {} : { fbtraceId: info.fbtraceId }),
    ...(platformMessage === '' ? {} : { platformMessage }),
  };
  const suffix = platformMessage === '' ? '' : `: ${platformMessage}`;
  const described = `(HTTP ${failure.status}, Graph error ${code}${info.subcode === undefined ? '' : `/${info.subcode}`})`;
  if (AUTH_CODES.has(code) || failure.status === 401) {
    return new VBucketsError(
      'UNAUTHENTICATED',
      `The ${failure.platform} access token was refused ${described}; re-authenticate${suffix}`,
      { retryable: false, details },
    );
  }
  const message = `${sentenceStart(failure.action)} on ${failure.platform} failed ${described}${suffix}`;
  if (RATE_LIMIT_CODES.has(code) || (code >= 80000 && code <= 80014) || failure.status === 429) {
    return new VBucketsError('RATE_LIMITED', message, {
      retryable: true,
      retryAfterMs:
        graphRetryAfterMs(failure.headers) ??
        parseRetryAfter(failure.headers) ??
        META_DEFAULT_RATE_LIMIT_RETRY_MS,
      details,
    });
  }
  const retryable = TRANSIENT_CODES.has(code) || info.transient === true || failure.status >= 500;
  return new VBucketsError('PROVIDER', message, { retryable, details });
}

/**
 * When `error` is Graph's answer about an object that is not there — code 100 with subcode 33
 * ("Object with ID … does not exist, cannot be loaded due to missing permissions, or does not
 * support this operation": deleted media) or 803 (unknown alias) — its platform message (or
 * an empty string); otherwise undefined.
 */
export function graphMissingObject(error: unknown): string | undefined {
  if (!(error instanceof VBucketsError) || error.details === undefined) return undefined;
  const { graphCode, graphSubcode, platformMessage } = error.details;
  const missing = (graphCode === 100 && graphSubcode === 33) || graphCode === 803;
  if (!missing) return undefined;
  return typeof platformMessage === 'string' ? platformMessage : '';
}
