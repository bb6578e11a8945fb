import { VBucketsError } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { toS3Error } from '../src/index';

const sdkError = (name: string, status: number | undefined, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    $metadata: { httpStatusCode: status },
    ...extra,
  });

describe('toS3Error', () => {
  it.each([
    ['NoSuchKey', 404, 'NOT_FOUND', false],
    ['NotFound', 404, 'NOT_FOUND', false],
    ['Unknown', 404, 'NOT_FOUND', false],
    ['AccessDenied', 403, 'FORBIDDEN', false],
    ['InvalidAccessKeyId', 403, 'FORBIDDEN', false],
    ['SignatureDoesNotMatch', 403, 'FORBIDDEN', false],
    ['Forbidden', 403, 'FORBIDDEN', false],
    ['SlowDown', 503, 'RATE_LIMITED', true],
    ['TooManyRequests', 429, 'RATE_LIMITED', true],
    ['Unknown', 503, 'RATE_LIMITED', true],
    ['InternalError', 500, 'STORAGE', true],
    ['Unknown', 502, 'STORAGE', true],
    ['InvalidArgument', 400, 'STORAGE', false],
  ] as const)('maps %s (%i) to %s (retryable %s)', (name, status, code, retryable) => {
    const error = toS3Error(sdkError(name, status), 'Reading b/k');
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message.startsWith('Reading b/k failed: ')).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN'])(
    'maps the network error %s to retryable STORAGE',
    (code) => {
      const error = toS3Error(Object.assign(new Error('socket'), { code }), 'Writing b/k');
      expect(error).toMatchObject({ code: 'STORAGE', retryable: true });
    },
  );

  it('finds a network error inside an AggregateError and a cause chain', () => {
    const inner = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    expect(toS3Error(new AggregateError([inner]), 'x').retryable).toBe(true);
    expect(toS3Error(new Error('outer', { cause: inner }), 'x').retryable).toBe(true);
  });

  it('maps an SDK timeout to retryable STORAGE and an abort to CANCELLED', () => {
    expect(toS3Error(sdkError('TimeoutError', undefined), 'x')).toMatchObject({
      code: 'STORAGE',
      retryable: true,
    });
    expect(toS3Error(sdkError('AbortError', undefined), 'x').code).toBe('CANCELLED');
  });

  it('reads Retry-After in seconds or as a date', () => {
    const seconds = sdkError('SlowDown', 503, { $response: { headers: { 'retry-after': '2' } } });
    expect(toS3Error(seconds, 'x').retryAfterMs).toBe(2000);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const dated = sdkError('SlowDown', 503, { $response: { headers: { 'retry-after': date } } });
    expect(toS3Error(dated, 'x').retryAfterMs).toBeGreaterThan(50_000);
  });

  it('passes a VBucketsError through', () => {
    const original = new VBucketsError('CANCELLED', 'stop');
    expect(toS3Error(original, 'x')).toBe(original);
  });
});
