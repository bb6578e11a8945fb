import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import {
  isSettingsError,
  notFoundError,
  validationError,
  vbucketsError,
} from '../../../src/errors';
import type { Clock } from '../../../src/ports/clock';
import type {
  MetricsSource,
  PostMetrics,
  PostMetricsResult,
} from '../../../src/ports/metrics-source';
import type { SyncMetricsSummary } from '../../../src/services/segments/segments-types';
import { acme, createSegment, registerVideo, setUsage, setup } from './segments-setup';

const metrics = (views: number, likes = 0, fields: Partial<PostMetrics> = {}): PostMetrics => ({
  views,
  likes,
  shares: 0,
  comments: 0,
  clicks: null,
  conversions: null,
  ...fields,
});

interface SourceScript {
  platform: string;
  maxPostsPerCall: number;
  /** The posts that exist, and their current counts. */
  posts: Record<string, PostMetrics>;
  /** How many times each post answers RATE_LIMITED before it answers. */
  rateLimited?: Record<string, number>;
  retryAfterMs?: number;
}

/**
 * An honest MetricsSource: one result per post, in order; a post it does not have is NOT_FOUND;
 * a post with a rate-limit budget answers RATE_LIMITED (with `retryAfterMs`) until it is spent.
 */
function createScriptedSource(script: SourceScript, clock: Clock) {
  const calls: { postIds: string[]; atMs: number }[] = [];
  const rateLimited = { ...script.rateLimited };
  const source: MetricsSource = {
    specificationVersion: 'v1',
    platform: script.platform,
    maxPostsPerCall: script.maxPostsPerCall,
    fetch(posts) {
      calls.push({ postIds: posts.map((post) => post.postId), atMs: clock.now() });
      if (posts.length > script.maxPostsPerCall) {
        return errAsync(validationError(`at most ${script.maxPostsPerCall} posts a call`));
      }
      if (posts.some((post) => post.platform !== script.platform)) {
        return errAsync(validationError('a post of another platform'));
      }
      return okAsync(
        posts.map((post): PostMetricsResult => {
          const left = rateLimited[post.postId] ?? 0;
          if (left > 0) {
            rateLimited[post.postId] = left - 1;
            return {
              post,
              ok: false,
              error: vbucketsError('RATE_LIMITED', `${script.platform} quota exhausted`, {
                retryAfterMs: script.retryAfterMs ?? 5_000,
              }),
            };
          }
          const found = script.posts[post.postId];
          return found === undefined
            ? { post, ok: false, error: notFoundError(`Post ${post.postId} was deleted`) }
            : { post, ok: true, metrics: found };
        }),
      );
    },
  };
  return { source, calls, script };
}

const byPost = (summary: SyncMetricsSummary) =>
  Object.fromEntries(
    summary.results.map((result) => [
      result.postId,
      result.ok
        ? 'ok'
        : `${result.error.code}${isSettingsError(result.error) ? ' (settings)' : ''}`,
    ]),
  );

async function posted(options: Parameters<typeof setup>[0] = {}) {
  const context = setup(options);
  const video = await registerVideo(context);
  const first = await createSegment(context, video.id);
  const second = await createSegment(context, video.id);
  const third = await createSegment(context, video.id);
  await setUsage(context, first.id, [
    { platform: 'youtube', postId: 'yt-a', views: 1 },
    { platform: 'tiktok', postId: 'tt-a' },
  ]);
  await setUsage(context, second.id, [
    { platform: 'youtube', postId: 'yt-gone', views: 7, likes: 1 },
    { platform: 'instagram', postId: 'ig-1' },
  ]);
  await setUsage(context, third.id, [
    { platform: 'youtube', postId: 'yt-slow' },
    // Not posted yet: nothing to sync.
    { platform: 'facebook', views: 3 },
  ]);
  return { ...context, video, first, second, third };
}

function sources(context: ReturnType<typeof setup>, overrides: Partial<SourceScript> = {}) {
  const youtube = createScriptedSource(
    {
      platform: 'youtube',
      maxPostsPerCall: 2,
      posts: { 'yt-a': metrics(1000, 50), 'yt-slow': metrics(300, 3, { clicks: 9 }) },
      rateLimited: { 'yt-slow': 1 },
      ...overrides,
    },
    context.clock,
  );
  const tiktok = createScriptedSource(
    { platform: 'tiktok', maxPostsPerCall: 50, posts: { 'tt-a': metrics(80, 8) } },
    context.clock,
  );
  return { youtube, tiktok };
}

/** The SDK with the scripted sources, over a freshly posted catalogue. */
async function syncing(
  overrides: Partial<SourceScript> = {},
  options: Parameters<typeof setup>[0] = {},
) {
  const holder: { sources?: ReturnType<typeof sources> } = {};
  const lazy = (platform: 'youtube' | 'tiktok'): MetricsSource => ({
    specificationVersion: 'v1',
    platform,
    maxPostsPerCall: platform === 'youtube' ? (overrides.maxPostsPerCall ?? 2) : 50,
    fetch: (posts, fetchOptions) => holder.sources![platform].source.fetch(posts, fetchOptions),
  });
  const context = await posted({ metricsSources: [lazy('youtube'), lazy('tiktok')], ...options });
  holder.sources = sources(context, overrides);
  return { ...context, ...holder.sources };
}

const usageOf = async (
  context: Awaited<ReturnType<typeof syncing>>,
  segmentId: string,
  platform: string,
) =>
  (await context.vb.segments.get(acme, segmentId))
    ._unsafeUnwrap()
    .socialUsage.find((usage) => usage.platform === platform);

describe('segments.syncMetrics', () => {
  it('writes each answered post’s metrics and lastSyncedAt; a failed post keeps its row', async () => {
    const context = await syncing();
    const startedAt = context.clock.isoNow();
    const summary = (await context.vb.segments.syncMetrics(acme))._unsafeUnwrap();
    expect(summary.startedAt).toBe(startedAt);
    expect(byPost(summary)).toEqual({
      'yt-a': 'ok',
      'tt-a': 'ok',
      'yt-gone': 'NOT_FOUND',
      'ig-1': 'VALIDATION (settings)',
      'yt-slow': 'ok',
    });
    expect(summary).toMatchObject({ synced: 3, failed: 2 });
    // One result per posted row, in (segment, platform) order.
    expect(summary.results.map((result) => [result.segmentId, result.platform])).toEqual(
      [...summary.results]
        .map((result) => [result.segmentId, result.platform])
        .sort((left, right) => (`${left}` < `${right}` ? -1 : 1)),
    );
    const synced = await usageOf(context, context.first.id, 'youtube');
    expect(synced).toMatchObject({
      views: 1000,
      likes: 50,
      engagementRate: 0.05,
      lastSyncedAt: startedAt,
    });
    // The rate-limited post was written after the wait the platform asked for.
    const slow = await usageOf(context, context.third.id, 'youtube');
    expect(slow).toMatchObject({ views: 300, clicks: 9 });
    expect(Date.parse(slow!.lastSyncedAt!)).toBe(Date.parse(startedAt) + 5_000);
    // Failures keep their counts and their (never) synced time.
    expect(await usageOf(context, context.second.id, 'youtube')).toMatchObject({
      views: 7,
      likes: 1,
      lastSyncedAt: null,
    });
    expect(await usageOf(context, context.second.id, 'instagram')).toMatchObject({
      lastSyncedAt: null,
    });
    expect(await usageOf(context, context.third.id, 'facebook')).toMatchObject({
      views: 3,
      lastSyncedAt: null,
    });
  });

  it('batches by maxPostsPerCall and retries only the rate-limited posts after retryAfterMs', async () => {
    const context = await syncing();
    (await context.vb.segments.syncMetrics(acme))._unsafeUnwrap();
    const start = Date.parse('2026-04-01T09:00:00.000Z');
    expect(context.youtube.calls.map((call) => call.postIds.length)).toEqual([2, 1, 1]);
    expect(context.youtube.calls.flatMap((call) => call.postIds).sort()).toEqual(
      ['yt-a', 'yt-gone', 'yt-slow', 'yt-slow'].sort(),
    );
    const retry = context.youtube.calls.at(-1)!;
    expect(retry.postIds).toEqual(['yt-slow']);
    expect(retry.atMs - start).toBe(5_000);
    expect(context.slept).toContain(5_000);
    expect(context.tiktok.calls).toHaveLength(1);
  });

  it('resumes: a re-run with syncedBefore = the first run’s start asks only what failed', async () => {
    const context = await syncing();
    const first = (await context.vb.segments.syncMetrics(acme))._unsafeUnwrap();
    context.clock.advance(60_000);
    context.youtube.script.posts['yt-gone'] = metrics(12, 2);
    const youtubeCalls = context.youtube.calls.length;
    const second = (
      await context.vb.segments.syncMetrics(acme, { syncedBefore: first.startedAt })
    )._unsafeUnwrap();
    expect(byPost(second)).toEqual({ 'yt-gone': 'ok', 'ig-1': 'VALIDATION (settings)' });
    expect(context.youtube.calls.slice(youtubeCalls).map((call) => call.postIds)).toEqual([
      ['yt-gone'],
    ]);
    expect(context.tiktok.calls).toHaveLength(1);
    expect(await usageOf(context, context.second.id, 'youtube')).toMatchObject({
      views: 12,
      lastSyncedAt: '2026-04-01T09:01:05.000Z',
    });
  });

  it('keeps the old lastSyncedAt and counts of a post that fails on a later run', async () => {
    const context = await syncing();
    (await context.vb.segments.syncMetrics(acme, { platforms: ['tiktok'] }))._unsafeUnwrap();
    const before = await usageOf(context, context.first.id, 'tiktok');
    expect(before).toMatchObject({ views: 80, likes: 8 });
    context.clock.advance(3_600_000);
    delete context.tiktok.script.posts['tt-a'];
    const later = (
      await context.vb.segments.syncMetrics(acme, { platforms: ['tiktok'] })
    )._unsafeUnwrap();
    expect(byPost(later)).toEqual({ 'tt-a': 'NOT_FOUND' });
    expect(await usageOf(context, context.first.id, 'tiktok')).toEqual(before);
  });

  it('gives up on a post still rate limited after maxRateLimitRetries, or asked to wait too long', async () => {
    const stubborn = await syncing(
      { rateLimited: { 'yt-slow': 10 } },
      { segments: { maxRateLimitRetries: 2 } },
    );
    const summary = (
      await stubborn.vb.segments.syncMetrics(acme, { segmentIds: [stubborn.third.id] })
    )._unsafeUnwrap();
    expect(byPost(summary)).toEqual({ 'yt-slow': 'RATE_LIMITED' });
    expect(stubborn.youtube.calls).toHaveLength(3);

    const patient = await syncing(
      { retryAfterMs: 3_600_000 },
      { segments: { maxRetryWaitMs: 60_000 } },
    );
    const waited = (
      await patient.vb.segments.syncMetrics(acme, { segmentIds: [patient.third.id] })
    )._unsafeUnwrap();
    expect(byPost(waited)).toEqual({ 'yt-slow': 'RATE_LIMITED' });
    expect(patient.youtube.calls).toHaveLength(1);
    expect(patient.slept).toEqual([]);
    expect((await usageOf(patient, patient.third.id, 'youtube'))?.lastSyncedAt).toBeNull();
  });

  it('spaces a platform’s calls by its requestsPerMinute', async () => {
    const context = await syncing(
      { maxPostsPerCall: 1, rateLimited: {} },
      { segments: { requestsPerMinute: { youtube: 2 } } },
    );
    (await context.vb.segments.syncMetrics(acme, { platforms: ['youtube'] }))._unsafeUnwrap();
    const start = Date.parse('2026-04-01T09:00:00.000Z');
    expect(context.youtube.calls.map((call) => call.atMs - start)).toEqual([0, 30_000, 61_000]);
  });

  it('reads the rows in pages and filters by segment and platform', async () => {
    const context = await syncing({}, { segments: { pageSize: 1 } });
    const summary = (await context.vb.segments.syncMetrics(acme))._unsafeUnwrap();
    expect(summary.results).toHaveLength(5);
    const only = (
      await context.vb.segments.syncMetrics(acme, {
        segmentIds: [context.first.id],
        platforms: ['youtube'],
      })
    )._unsafeUnwrap();
    expect(byPost(only)).toEqual({ 'yt-a': 'ok' });
  });

  it('turns a refused or throwing call into per-post errors', async () => {
    const context = await syncing();
    context.youtube.source.fetch = () => errAsync(validationError('bad post id'));
    context.tiktok.source.fetch = () => {
      throw new Error('socket hang up');
    };
    const summary = (await context.vb.segments.syncMetrics(acme))._unsafeUnwrap();
    expect(byPost(summary)).toMatchObject({
      'yt-a': 'VALIDATION',
      'yt-gone': 'VALIDATION',
      'tt-a': 'PROVIDER',
    });
    expect(summary.synced).toBe(0);
  });

  it('is CANCELLED when the signal aborts, keeping what was written', async () => {
    const context = await syncing();
    const controller = new AbortController();
    const fetch = context.youtube.source.fetch;
    context.youtube.source.fetch = (posts, options) => {
      controller.abort();
      return fetch(posts, options);
    };
    const error = (
      await context.vb.segments.syncMetrics(acme, { signal: controller.signal })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
  });

  it.each([
    ['syncedBefore', { syncedBefore: 'yesterday' }],
    ['platforms.0', { platforms: ['myspace'] }],
    ['segmentIds', { segmentIds: [] }],
  ])('refuses bad options naming %s', async (path, options) => {
    const context = await syncing();
    const error = (
      await context.vb.segments.syncMetrics(acme, options as object)
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'VALIDATION', path });
  });
});
