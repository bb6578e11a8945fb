import {
  expectErrorCode,
  expectOk,
  type FakeTikTokServer,
  startFakeTikTokServer,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTikTokMetricsSource,
  createTikTokUploader,
  type MetricsSourceSettings,
} from '../src/index';
import { testBytes } from './meta-test-helpers';
import { abortingFetch, failureOf, metricsOf, postsOf } from './metrics-test-helpers';

let server: FakeTikTokServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(settings: Partial<MetricsSourceSettings> = {}) {
  server = await startFakeTikTokServer({ minChunkBytes: 1_000 });
  const fake = server;
  const source = createTikTokMetricsSource({
    accessToken: () => fake.accessToken,
    baseURL: fake.baseUrl,
    ...settings,
  });
  return { fake, source };
}

const tiktok = (ids: readonly string[]) => postsOf('tiktok', ids);
const ids = (count: number, prefix = '7') =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(18, '0')}`);

describe('createTikTokMetricsSource: the Display API video query', () => {
  it('serves the counts of a direct post as POST /v2/video/query/ with the fields and video_ids', async () => {
    const { fake, source } = await setup();
    const uploader = createTikTokUploader({
      accessToken: () => fake.accessToken,
      baseURL: fake.baseUrl,
      mode: 'direct',
      chunkBytes: 4_000,
      pollIntervalMs: 1,
    });
    const posted = await expectOk(uploader.upload(uploadableVideoOf(testBytes(3_000)), {}));
    fake.setMetrics(posted.platformPostId, { views: 900, likes: 80, comments: 7, shares: 6 });
    const results = await expectOk(source.fetch(tiktok([posted.platformPostId])));
    expect(metricsOf(results[0])).toEqual({
      views: 900,
      likes: 80,
      shares: 6,
      comments: 7,
      clicks: null,
      conversions: null,
    });
    const query = fake.requestsTo('video-query')[0];
    expect(query?.path).toBe(
      `/v2/video/query/?fields=${encodeURIComponent('id,view_count,like_count,comment_count,share_count')}`,
    );
    expect(query?.json).toEqual({ filters: { video_ids: [posted.platformPostId] } });
    expect(query?.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(query?.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(source.maxPostsPerCall).toBe(20);
  });

  it('answers NOT_FOUND for the publish id of an inbox upload the user never posted', async () => {
    const { fake, source } = await setup();
    const uploader = createTikTokUploader({
      accessToken: () => fake.accessToken,
      baseURL: fake.baseUrl,
      pollIntervalMs: 1,
    });
    const inbox = await expectOk(uploader.upload(uploadableVideoOf(testBytes(3_000)), {}));
    const results = await expectOk(source.fetch(tiktok([inbox.platformPostId])));
    expect(failureOf(results[0], 'NOT_FOUND').details?.postId).toBe(inbox.platformPostId);
  });

  it('asks 20 ids a call: 45 posts are 3 calls, answered in order', async () => {
    const { fake, source } = await setup();
    const all = ids(45);
    for (const [index, id] of all.entries()) fake.setMetrics(id, { views: index, shares: 1 });
    const results = await expectOk(source.fetch(tiktok(all)));
    const calls = fake.requestsTo('video-query');
    const asked = calls.map(
      (call) => (call.json as { filters: { video_ids: string[] } }).filters.video_ids,
    );
    expect(asked.map((batch) => batch.length)).toEqual([20, 20, 5]);
    expect(asked.flat()).toEqual(all);
    expect(results.map((result) => metricsOf(result).views)).toEqual(all.map((_, index) => index));
  });

  it('answers NOT_FOUND for deleted videos without hiding the others', async () => {
    const { fake, source } = await setup();
    const [a, b, c] = ids(3);
    for (const id of [a, b, c]) fake.setMetrics(id as string, { likes: 3 });
    fake.deletePost(b as string);
    const results = await expectOk(source.fetch(tiktok([a, b, c] as string[])));
    expect(metricsOf(results[0]).likes).toBe(3);
    failureOf(results[1], 'NOT_FOUND');
    expect(metricsOf(results[2]).likes).toBe(3);
  });

  it('answers 429 rate_limit_exceeded as RATE_LIMITED with Retry-After for the call and the posts after it', async () => {
    const { fake, source } = await setup();
    const all = ids(30);
    for (const id of all) fake.setMetrics(id, { views: 1 });
    fake.enqueue('video-query', { type: 'rate-limit', retryAfterSeconds: 12 });
    const results = await expectOk(source.fetch(tiktok(all)));
    expect(fake.requestsTo('video-query')).toHaveLength(1);
    for (const result of results) {
      const error = failureOf(result, 'RATE_LIMITED');
      expect(error.retryAfterMs).toBe(12_000);
      expect(error.details?.reason).toBe('rate_limit_exceeded');
    }
  });

  it('keeps the answers of earlier calls when a later one is throttled (no Retry-After: a minute)', async () => {
    const { fake, source } = await setup();
    const all = ids(25);
    for (const id of all) fake.setMetrics(id, { views: 1 });
    fake.enqueue('video-query', { type: 'pass' }, { type: 'rate-limit' });
    const results = await expectOk(source.fetch(tiktok(all)));
    expect(results.slice(0, 20).every((result) => result.ok)).toBe(true);
    for (const result of results.slice(20)) {
      expect(failureOf(result, 'RATE_LIMITED').retryAfterMs).toBe(60_000);
    }
  });

  it('answers access_token_invalid as UNAUTHENTICATED for every post', async () => {
    const { fake, source } = await setup({ accessToken: () => 'act.expired' });
    const results = await expectOk(source.fetch(tiktok(ids(25))));
    expect(fake.requestsTo('video-query')).toHaveLength(1);
    for (const result of results) {
      const error = failureOf(result, 'UNAUTHENTICATED');
      expect(error.details?.reason).toBe('access_token_invalid');
    }
  });

  it('answers a server error as a retryable PROVIDER error for that call only', async () => {
    const { fake, source } = await setup();
    const all = ids(21);
    for (const id of all) fake.setMetrics(id, { views: 4 });
    fake.enqueue('video-query', { type: 'server-error', status: 503 });
    const results = await expectOk(source.fetch(tiktok(all)));
    for (const result of results.slice(0, 20)) {
      expect(failureOf(result, 'PROVIDER').retryable).toBe(true);
    }
    expect(metricsOf(results[20]).views).toBe(4);
  });

  it('answers CANCELLED for the call in flight and the posts not asked when the signal aborts', async () => {
    const controller = new AbortController();
    const aborting = abortingFetch(controller);
    const { source } = await setup({ fetch: aborting.fetch });
    const results = await expectOk(source.fetch(tiktok(ids(50)), { signal: controller.signal }));
    expect(aborting.sent).toHaveLength(1);
    for (const result of results) failureOf(result, 'CANCELLED');
  });

  it('refuses a post of another platform with VALIDATION, asking nothing', async () => {
    const { fake, source } = await setup();
    const error = await expectErrorCode(
      source.fetch([{ platform: 'youtube', postId: 'abc' }]),
      'VALIDATION',
    );
    expect(error.path).toBe('posts.0.platform');
    expect(error.adapter).toBe('tiktok');
    expect(fake.requests).toHaveLength(0);
  });
});
