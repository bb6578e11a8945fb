import { isVBucketsError, VBucketsError } from '@vbuckets/core';
import {
  type MetricsSource,
  type PostMetrics,
  type PostMetricsResult,
  type PostRef,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { errAsync, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { type ApiClientSettings, apiClientSettings } from './api-client';
import { mapNetworkFailure } from './uploader-error';
import { uploaderSettingsError } from './uploader-run';
import { type ApiUploaderSettings, apiSettingsFields } from './uploader-settings';

/** The action metrics requests are named by in messages (`Metrics fetch on youtube failed …`). */
export const METRICS_ACTION = 'metrics fetch';

/**
 * Asks the vendor about up to `maxPostsPerCall` distinct post ids. Answers each id's metrics or
 * its own error; an id left out of the map is NOT_FOUND. A throw fails every id of the call.
 */
export type MetricsBatchFetch = (
  postIds: readonly string[],
  signal: AbortSignal | undefined,
) => Promise<Map<string, PostMetrics | VBucketsError>>;

export interface MetricsSourceDefinition {
  platform: string;
  maxPostsPerCall: number;
  fetchBatch: MetricsBatchFetch;
}

/** Errors after which asking again in the same fetch is pointless: the answer would be the same. */
const STOPPING_CODES: ReadonlySet<string> = new Set(['RATE_LIMITED', 'UNAUTHENTICATED']);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size)
    out.push(items.slice(index, index + size));
  return out;
}

/** The caller's mistake in `posts`: a post of another platform, or an empty id. */
function refusal(platform: string, posts: readonly PostRef[]): VBucketsError | undefined {
  if (!Array.isArray(posts)) {
    return new VBucketsError('VALIDATION', 'The posts to fetch metrics of must be an array', {
      path: 'posts',
    });
  }
  for (const [index, post] of posts.entries()) {
    if (post?.platform !== platform) {
      return new VBucketsError(
        'VALIDATION',
        `Post ${index} is on ${JSON.stringify(post?.platform)}, not ${platform}: ask that platform's metrics source`,
        { path: `posts.${index}.platform`, details: { platform, postPlatform: post?.platform } },
      );
    }
    if (typeof post.postId !== 'string' || post.postId.trim() === '') {
      return new VBucketsError('VALIDATION', `Post ${index} has no post id`, {
        path: `posts.${index}.postId`,
        details: { platform },
      });
    }
  }
  return undefined;
}

/** NOT_FOUND for a post the vendor does not know (deleted, private, never there). */
export function postNotFound(platform: string, postId: string, reason?: string): VBucketsError {
  return new VBucketsError(
    'NOT_FOUND',
    `Post ${postId} is not on ${platform} any more (deleted, private or never there)${reason ? `: ${reason}` : ''}`,
    { retryable: false, details: { platform, postId } },
  );
}

/**
 * The MetricsSource of a vendor: checks the posts (Err VALIDATION only for the caller's
 * mistakes), asks the vendor for distinct ids `maxPostsPerCall` at a time, one call after the
 * other, and answers one result per post in the order given. A call that fails fails its posts
 * only; after a RATE_LIMITED or UNAUTHENTICATED call the posts not asked yet get the same error
 * without another request, and after the signal aborts they answer CANCELLED. Every error names
 * the platform in `error.adapter` and `fetch` in `error.operation`.
 */
export function metricsSource(definition: MetricsSourceDefinition): MetricsSource {
  const { platform, maxPostsPerCall, fetchBatch } = definition;
  const at = (error: VBucketsError) =>
    withErrorSource(error, { adapter: platform, operation: 'fetch' });

  async function run(
    posts: readonly PostRef[],
    signal?: AbortSignal,
  ): Promise<PostMetricsResult[]> {
    const ids = [...new Set(posts.map((post) => post.postId))];
    const answers = new Map<string, PostMetrics | VBucketsError>();
    let stopped: VBucketsError | undefined;
    for (const batch of chunks(ids, maxPostsPerCall)) {
      if (signal?.aborted) {
        stopped = mapNetworkFailure(platform, signal.reason, signal, METRICS_ACTION);
      }
      if (stopped !== undefined) {
        for (const id of batch) answers.set(id, stopped);
        continue;
      }
      try {
        const found = await fetchBatch(batch, signal);
        for (const id of batch) answers.set(id, found.get(id) ?? postNotFound(platform, id));
      } catch (thrown) {
        const error = mapNetworkFailure(platform, thrown, signal, METRICS_ACTION);
        for (const id of batch) answers.set(id, error);
        if (STOPPING_CODES.has(error.code) || error.code === 'CANCELLED') stopped = error;
      }
    }
    return posts.map((post) => {
      const answer = answers.get(post.postId) ?? postNotFound(platform, post.postId);
      return isVBucketsError(answer)
        ? { post, ok: false as const, error: at(answer) }
        : { post, ok: true as const, metrics: answer };
    });
  }

  return {
    specificationVersion: 'v1',
    platform,
    maxPostsPerCall,
    fetch(posts, options = {}) {
      const refused = refusal(platform, posts);
      if (refused !== undefined) return errAsync(at(refused));
      return ResultAsync.fromPromise(run(posts, options.signal), (error) =>
        at(mapNetworkFailure(platform, error, options.signal, METRICS_ACTION)),
      );
    },
  };
}

/** The source of invalid settings: every fetch answers the settings VALIDATION error, nothing is sent. */
export function refusingMetricsSource(
  platform: string,
  maxPostsPerCall: number,
  refusal: VBucketsError,
): MetricsSource {
  const error = withErrorSource(refusal, { adapter: platform, operation: 'fetch' });
  return {
    specificationVersion: 'v1',
    platform,
    maxPostsPerCall,
    fetch: () => errAsync(error),
  };
}

/** A count the vendor sent as a number or a decimal string; absent or unreadable is 0. */
export function count(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : 0;
  if (typeof value === 'string' && /^\d+$/u.test(value.trim())) return Number(value.trim());
  return 0;
}

/**
 * How a metrics source reaches its platform's API: the same token, root, headers and fetch as
 * the uploaders (`ApiUploaderSettings`); `requestTimeoutMs` defaults to 60 000 ms here.
 */
export type MetricsSourceSettings = ApiUploaderSettings;

const MetricsSettingsSchema = z.strictObject({
  ...apiSettingsFields,
  requestTimeoutMs: z.number().int().positive().default(60_000),
});

/**
 * The metrics source of `definition` on parsed settings (strict: an unknown key is refused), or
 * the refusing source answering the settings VALIDATION error named after `subject`.
 */
export function metricsSourceOfSettings(
  settings: MetricsSourceSettings,
  subject: string,
  platform: string,
  maxPostsPerCall: number,
  defaultBaseURL: string,
  build: (client: ApiClientSettings) => MetricsBatchFetch,
): MetricsSource {
  const parsed = MetricsSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    return refusingMetricsSource(
      platform,
      maxPostsPerCall,
      uploaderSettingsError(parsed.error, subject),
    );
  }
  const client = apiClientSettings(platform, defaultBaseURL, parsed.data);
  return metricsSource({ platform, maxPostsPerCall, fetchBatch: build(client) });
}

/** A 2xx answer that does not read as the API documents it: a final PROVIDER error. */
export function unexpectedAnswer(platform: string, answer: unknown, cause: unknown): VBucketsError {
  return new VBucketsError(
    'PROVIDER',
    `The ${platform} API gave an unexpected answer to the metrics fetch`,
    {
      cause,
      retryable: false,
      details: { platform, answer: JSON.stringify(answer)?.slice(0, 500) },
    },
  );
}
