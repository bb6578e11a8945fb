import { VBucketsError } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUOTA_RETRY_MS,
  DEFAULT_RATE_LIMIT_RETRY_MS,
  mapHttpFailure,
  mapNetworkFailure,
  parseRetryAfter,
  platformErrorInfo,
} from '../src/index';

const google = (code: number, reason: string, message: string) => ({
  error: { code, message, errors: [{ reason, domain: 'youtube.quota', message }] },
});

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates from fetch Headers or plain objects', () => {
    expect(parseRetryAfter(new Headers({ 'Retry-After': '12' }))).toBe(12_000);
    expect(parseRetryAfter({ 'Retry-After': '1.5' })).toBe(1_500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('platformErrorInfo', () => {
  it("reads Google's, Meta's and plain error shapes", () => {
    expect(platformErrorInfo(google(403, 'quotaExceeded', 'Quota gone'))).toEqual({
      message: 'Quota gone',
      reason: 'quotaExceeded',
    });
    expect(
      platformErrorInfo(JSON.stringify({ error: { message: 'Bad file', code: 'invalid_file' } })),
    ).toEqual({
      message: 'Bad file',
      reason: 'invalid_file',
    });
    expect(platformErrorInfo({ error_description: 'expired' })).toEqual({ message: 'expired' });
    expect(platformErrorInfo('<html>Bad Gateway</html>')).toEqual({
      message: '<html>Bad Gateway</html>',
    });
    expect(platformErrorInfo('')).toEqual({});
  });
});

describe('mapHttpFailure', () => {
  const table: Array<
    [string, Parameters<typeof mapHttpFailure>[0], string, boolean, number | undefined]
  > = [
    ['401', { platform: 'x', status: 401 }, 'UNAUTHENTICATED', false, undefined],
    ['429 bare', { platform: 'x', status: 429 }, 'RATE_LIMITED', true, DEFAULT_RATE_LIMIT_RETRY_MS],
    [
      '429 Retry-After',
      { platform: 'x', status: 429, headers: { 'retry-after': '3' } },
      'RATE_LIMITED',
      true,
      3_000,
    ],
    [
      '403 quotaExceeded',
      { platform: 'x', status: 403, body: google(403, 'quotaExceeded', 'q') },
      'RATE_LIMITED',
      true,
      DEFAULT_QUOTA_RETRY_MS,
    ],
    [
      '403 forbidden',
      { platform: 'x', status: 403, body: google(403, 'forbidden', 'no') },
      'PROVIDER',
      false,
      undefined,
    ],
    [
      '400 forced rate limit',
      { platform: 'x', status: 400, rateLimited: true, retryAfterMs: 5 },
      'RATE_LIMITED',
      true,
      5,
    ],
    ['408', { platform: 'x', status: 408 }, 'PROVIDER', true, undefined],
    ['502', { platform: 'x', status: 502 }, 'PROVIDER', true, undefined],
    ['400', { platform: 'x', status: 400, body: 'bad' }, 'PROVIDER', false, undefined],
  ];
  it.each(table)('%s', (_name, failure, code, retryable, retryAfterMs) => {
    const error = mapHttpFailure(failure);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expect(error.details).toMatchObject({ platform: 'x', httpStatus: failure.status });
  });

  it("names the platform and action and carries the platform's message", () => {
    const error = mapHttpFailure({
      platform: 'tiktok',
      status: 400,
      action: 'publish',
      body: { error: { message: 'Video too short', code: 'invalid_params' } },
    });
    expect(error.message).toBe('Publish on tiktok failed (HTTP 400): Video too short');
    expect(error.details).toMatchObject({
      reason: 'invalid_params',
      platformMessage: 'Video too short',
    });
    expect(mapHttpFailure({ platform: 'meta', status: 401 }).message).toBe(
      'The meta access token was refused (HTTP 401); re-authenticate',
    );
  });
});

describe('mapNetworkFailure', () => {
  it('is CANCELLED when the signal aborted', () => {
    const controller = new AbortController();
    controller.abort();
    expect(mapNetworkFailure('x', new Error('aborted'), controller.signal).code).toBe('CANCELLED');
  });

  it('makes resets and timeouts retryable, other errors final, VBucketsErrors pass through', () => {
    const reset = new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    expect(mapNetworkFailure('x', reset)).toMatchObject({ code: 'PROVIDER', retryable: true });
    const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' });
    expect(mapNetworkFailure('x', timeout).retryable).toBe(true);
    const bug = mapNetworkFailure('x', new RangeError('oops'), undefined, 'upload chunk');
    expect(bug).toMatchObject({ code: 'PROVIDER', retryable: false });
    expect(bug.message).toBe('Upload chunk on x failed: oops');
    const own = new VBucketsError('MEDIA', 'short');
    expect(mapNetworkFailure('x', own)).toBe(own);
  });
});
