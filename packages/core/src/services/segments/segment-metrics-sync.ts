import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import {
  cancelledError,
  settingsError,
  toVBucketsError,
  type VBucketsError,
  validationError,
  vbucketsError,
} from '../../errors';
import type { MetricsSource, PostMetricsResult, PostRef } from '../../ports/metrics-source';
import type { SocialUsageRef } from '../../ports/segment-store';
import type { Scope } from '../../schemas/common';
import type { SocialPlatform } from '../../schemas/segment';
import { isoNow } from '../iso-now';
import type { SyncMetricsSchema } from './segment-inputs';
import type { SegmentsContext } from './segments-context';
import type { PostSyncResult, SyncMetricsSummary } from './segments-types';

type ParsedSync = z.output<typeof SyncMetricsSchema>;

/** The wait after a `RATE_LIMITED` answer that does not say how long. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

const cancelled = () => cancelledError('Syncing metrics was cancelled');
const rowKey = (ref: Pick<SocialUsageRef, 'segmentId' | 'platform'>) =>
  `${ref.segmentId}:${ref.platform}`;

const failure = (ref: SocialUsageRef, error: VBucketsError): PostSyncResult => ({
  segmentId: ref.segmentId,
  platform: ref.platform,
  postId: ref.postId,
  ok: false,
  error,
});

/** How long a `RATE_LIMITED` answer asks to wait: the error's field, else its details'. */
function retryAfterOf(error: VBucketsError): number {
  const fromDetails = error.details?.retryAfterMs;
  const wait =
    error.retryAfterMs ?? (typeof fromDetails === 'number' ? fromDetails : DEFAULT_RETRY_AFTER_MS);
  return Number.isFinite(wait) && wait > 0 ? wait : 0;
}

/**
 * `segments.syncMetrics`: pages through the posted usage rows (keyset, `pageSize` at a time),
 * and for each page asks each platform's source for its posts, `maxPostsPerCall` at a time
 * through the platform's token bucket. Posts answered `RATE_LIMITED` are asked again after the
 * wait the platform gave (the bucket is held until then, so every call to the platform waits),
 * at most `maxRateLimitRetries` times. Each successful post is written alone (metrics and
 * `lastSyncedAt`), so a failed one never blocks the rest and keeps its old `lastSyncedAt`.
 */
export async function syncMetrics(
  context: SegmentsContext,
  scope: Scope,
  options: ParsedSync,
): Promise<Result<SyncMetricsSummary, VBucketsError>> {
  const startedAt = isoNow(context.clock);
  const { signal } = options;
  const results: PostSyncResult[] = [];
  let after: string | undefined;
  for (;;) {
    if (signal?.aborted) return err(cancelled());
    const page = await context.store.segments.listPosted(scope, {
      ...(options.segmentIds === undefined ? {} : { segmentIds: options.segmentIds }),
      ...(options.platforms === undefined ? {} : { platforms: options.platforms }),
      ...(options.syncedBefore === undefined ? {} : { syncedBefore: options.syncedBefore }),
      ...(after === undefined ? {} : { after }),
      limit: context.pageSize,
    });
    if (page.isErr()) return err(page.error);
    const rows = page.value;
    const byPlatform = new Map<SocialPlatform, SocialUsageRef[]>();
    for (const ref of rows) {
      const group = byPlatform.get(ref.platform) ?? [];
      group.push(ref);
      byPlatform.set(ref.platform, group);
    }
    const outcomes = new Map<string, PostSyncResult>();
    for (const [platform, refs] of byPlatform) {
      const done = await syncPlatform(context, scope, platform, refs, signal);
      if (done.isErr()) return err(done.error);
      for (const result of done.value) outcomes.set(rowKey(result), result);
    }
    for (const ref of rows) {
      results.push(
        outcomes.get(rowKey(ref)) ??
          failure(ref, vbucketsError('PROVIDER', `No answer for post ${ref.postId}`)),
      );
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < context.pageSize) break;
    after = rowKey(last);
  }
  const synced = results.filter((result) => result.ok).length;
  return ok({ startedAt, results, synced, failed: results.length - synced });
}

/** The rows of one platform, in chunks the source takes; `CANCELLED` is the only Err. */
async function syncPlatform(
  context: SegmentsContext,
  scope: Scope,
  platform: SocialPlatform,
  refs: readonly SocialUsageRef[],
  signal: AbortSignal | undefined,
): Promise<Result<PostSyncResult[], VBucketsError>> {
  const source = context.sources.get(platform);
  if (source === undefined) {
    const missing = settingsError(
      validationError(
        `No MetricsSource for ${platform}: give one in createVBuckets({ metricsSources })`,
        { path: 'metricsSources', details: { platform } },
      ),
    );
    return ok(refs.map((ref) => failure(ref, missing)));
  }
  const results: PostSyncResult[] = [];
  for (let start = 0; start < refs.length; start += source.maxPostsPerCall) {
    const chunk = refs.slice(start, start + source.maxPostsPerCall);
    const done = await syncChunk(context, scope, source, chunk, signal);
    if (done.isErr()) return err(done.error);
    results.push(...done.value);
  }
  return ok(results);
}

async function syncChunk(
  context: SegmentsContext,
  scope: Scope,
  source: MetricsSource,
  chunk: readonly SocialUsageRef[],
  signal: AbortSignal | undefined,
): Promise<Result<PostSyncResult[], VBucketsError>> {
  const limiter = context.limiters.get(source.platform as SocialPlatform);
  const results: PostSyncResult[] = [];
  let pending = [...chunk];
  for (let retry = 0; pending.length > 0; retry += 1) {
    if (signal?.aborted) return err(cancelled());
    if (limiter !== undefined) {
      const token = await limiter.take(signal);
      if (token.isErr()) return err(token.error);
    }
    const answers = await fetchPosts(source, pending, signal);
    if (signal?.aborted) return err(cancelled());
    const limited: { ref: SocialUsageRef; error: VBucketsError }[] = [];
    for (const [index, ref] of pending.entries()) {
      const answer = answers[index] as Result<PostMetricsResult, VBucketsError>;
      if (answer.isErr()) {
        results.push(failure(ref, answer.error));
        continue;
      }
      const result = answer.value;
      if (!result.ok) {
        if (result.error.code === 'RATE_LIMITED' && retry < context.maxRateLimitRetries) {
          limited.push({ ref, error: result.error });
        } else {
          results.push(failure(ref, result.error));
        }
        continue;
      }
      const written = await context.store.segments.upsertUsage(scope, {
        segmentId: ref.segmentId,
        platform: ref.platform,
        metrics: result.metrics,
        lastSyncedAt: isoNow(context.clock),
        now: isoNow(context.clock),
      });
      results.push(
        written.isErr()
          ? failure(ref, written.error)
          : {
              segmentId: ref.segmentId,
              platform: ref.platform,
              postId: ref.postId,
              ok: true,
              metrics: result.metrics,
            },
      );
    }
    if (limited.length === 0) break;
    const wait = Math.max(...limited.map(({ error }) => retryAfterOf(error)));
    if (wait > context.maxRetryWaitMs) {
      // Longer than this run waits: the posts keep their answer, for a later run.
      for (const { ref, error } of limited) results.push(failure(ref, error));
      break;
    }
    // Held in the platform's bucket, so the next call to the platform waits too.
    if (limiter !== undefined) limiter.holdUntil(context.clock.now() + wait);
    else await context.sleep(wait, signal);
    pending = limited.map(({ ref }) => ref);
  }
  return ok(results);
}

/**
 * The source's answer for each post, in order: its result, or the error that stands for it
 * (a refused call, a throw, a wrong count or a post the answer does not name).
 */
async function fetchPosts(
  source: MetricsSource,
  refs: readonly SocialUsageRef[],
  signal: AbortSignal | undefined,
): Promise<Result<PostMetricsResult, VBucketsError>[]> {
  const posts: PostRef[] = refs.map((ref) => ({ platform: ref.platform, postId: ref.postId }));
  const every = (error: VBucketsError) => refs.map(() => err(error));
  let answer: Result<PostMetricsResult[], VBucketsError>;
  try {
    answer = await source.fetch(posts, signal === undefined ? {} : { signal });
  } catch (error) {
    return every(
      toVBucketsError(error, 'PROVIDER', `The ${source.platform} metrics source threw`, {
        adapter: source.platform,
        operation: 'metrics.fetch',
      }),
    );
  }
  if (answer.isErr()) return every(answer.error);
  const results = answer.value;
  if (!Array.isArray(results) || results.length !== refs.length) {
    return every(
      vbucketsError(
        'PROVIDER',
        `[${source.platform}] metrics source answered ${Array.isArray(results) ? results.length : 'no'} results for ${refs.length} posts`,
      ),
    );
  }
  return results.map((result, index) =>
    result?.post?.postId === posts[index]?.postId
      ? ok(result)
      : err(
          vbucketsError(
            'PROVIDER',
            `[${source.platform}] metrics source answered for another post than ${posts[index]?.postId} at position ${index}`,
          ),
        ),
  );
}
