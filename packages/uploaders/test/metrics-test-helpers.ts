import type { VBucketsErrorCode } from '@vbuckets/core';
import type { PostMetricsResult, PostRef } from '@vbuckets/core/adapter-kit';
import { expect } from 'vitest';

/** Post refs of one platform. */
export const postsOf = (platform: string, ids: readonly string[]): PostRef[] =>
  ids.map((postId) => ({ platform, postId }));

/** The error of a failed result, checked to have `code` and to name the source in its fields. */
export function failureOf(result: PostMetricsResult | undefined, code: VBucketsErrorCode) {
  expect(result?.ok, `expected ${code}, got ${JSON.stringify(result)}`).toBe(false);
  if (result === undefined || result.ok) throw new Error('unreachable');
  expect(result.error.code).toBe(code);
  expect(result.error.adapter).toBe(result.post.platform);
  expect(result.error.operation).toBe('fetch');
  // Sentences for people: no `[adapter]` or `op:` prefixes.
  expect(result.error.message).not.toMatch(/^\[|^\w+\.\w+:/u);
  return result.error;
}

/** The metrics of a successful result. */
export function metricsOf(result: PostMetricsResult | undefined) {
  expect(result?.ok, `expected metrics, got ${JSON.stringify(result)}`).toBe(true);
  if (result === undefined || !result.ok) throw new Error('unreachable');
  return result.metrics;
}

/**
 * A fetch that aborts `controller` as soon as its first request is on its way (the fake holds
 * it unanswered), so the abort lands mid-call without any timer; counts the requests sent.
 */
export function abortingFetch(controller: AbortController) {
  const sent: string[] = [];
  const fetchImpl: typeof globalThis.fetch = (input, init) => {
    sent.push(String(input));
    const pending = globalThis.fetch(input, init);
    controller.abort(new Error('stop syncing'));
    return pending;
  };
  return { fetch: fetchImpl, sent };
}
