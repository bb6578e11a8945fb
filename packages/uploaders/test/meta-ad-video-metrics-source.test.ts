import {
  expectErrorCode,
  expectOk,
  type FakeMetaServer,
  startFakeMetaServer,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetaAdVideoMetricsSource,
  createMetaAdVideoUploader,
  type MetricsSourceSettings,
} from '../src/index';
import { testBytes } from './meta-test-helpers';
import { abortingFetch, failureOf, metricsOf, postsOf } from './metrics-test-helpers';

let server: FakeMetaServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(settings: Partial<MetricsSourceSettings> = {}) {
  server = await startFakeMetaServer();
  const fake = server;
  const source = createMetaAdVideoMetricsSource({
    accessToken: () => fake.accessToken,
    baseURL: `${fake.baseUrl}/v24.0`,
    ...settings,
  });
  return { fake, source };
}

const meta = (ids: readonly string[]) => postsOf('meta', ids);
const videoIds = (count: number) =>
  Array.from({ length: count }, (_, index) => `12000000000${String(index).padStart(4, '0')}`);

describe('createMetaAdVideoMetricsSource: video insights', () => {
  it('serves the lifetime insights of an uploaded ad video: views, all reactions as likes, shares and comments', async () => {
    const { fake, source } = await setup();
    const uploader = createMetaAdVideoUploader({
      adAccountId: '1234',
      accessToken: () => fake.accessToken,
      baseURL: `${fake.baseUrl}/v24.0`,
      pollIntervalMs: 1,
    });
    const posted = await expectOk(uploader.upload(uploadableVideoOf(testBytes(2_000)), {}));
    fake.setMetrics(posted.platformPostId, {
      views: 700,
      likes: 30,
      reactions: { love: 5, wow: 2 },
      comments: 9,
      shares: 4,
    });
    const results = await expectOk(source.fetch(meta([posted.platformPostId])));
    expect(metricsOf(results[0])).toEqual({
      views: 700,
      likes: 37,
      shares: 4,
      comments: 9,
      clicks: null,
      conversions: null,
    });
    const call = fake.requestsTo('video-insights')[0];
    const url = new URL(call?.path ?? '', fake.baseUrl);
    expect(url.pathname).toBe(`/v24.0/${posted.platformPostId}/video_insights`);
    expect(url.searchParams.get('metric')).toBe(
      'total_video_views,total_video_reactions_by_type_total,total_video_stories_by_action_type',
    );
    expect(url.searchParams.get('period')).toBe('lifetime');
    expect(call?.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(source.platform).toBe('meta');
    expect(source.maxPostsPerCall).toBe(1);
  });

  it('answers NOT_FOUND for a deleted video without hiding the others', async () => {
    const { fake, source } = await setup();
    const all = videoIds(3);
    for (const id of all) fake.setMetrics(id, { views: 3 });
    fake.deletePost(all[0] as string);
    const results = await expectOk(source.fetch(meta(all)));
    expect(failureOf(results[0], 'NOT_FOUND').details?.postId).toBe(all[0]);
    expect(metricsOf(results[1]).views).toBe(3);
    expect(metricsOf(results[2]).views).toBe(3);
  });

  it('answers an ad-account rate limit as RATE_LIMITED after estimated_time_to_regain_access, asking no more', async () => {
    const { fake, source } = await setup();
    const all = videoIds(3);
    for (const id of all) fake.setMetrics(id, { views: 3 });
    fake.enqueue('video-insights', { type: 'rate-limit', code: 80004, regainAccessMinutes: 3 });
    const results = await expectOk(source.fetch(meta(all)));
    expect(fake.requestsTo('video-insights')).toHaveLength(1);
    for (const result of results) {
      expect(failureOf(result, 'RATE_LIMITED').retryAfterMs).toBe(180_000);
    }
  });

  it('answers a transient Graph error as a retryable PROVIDER error for that video only', async () => {
    const { fake, source } = await setup();
    const all = videoIds(2);
    for (const id of all) fake.setMetrics(id, { views: 3 });
    fake.enqueue('video-insights', { type: 'server-error' });
    const results = await expectOk(source.fetch(meta(all)));
    expect(failureOf(results[0], 'PROVIDER').retryable).toBe(true);
    expect(metricsOf(results[1]).views).toBe(3);
  });

  it('answers an invalid token as UNAUTHENTICATED for every video', async () => {
    const { source } = await setup({ accessToken: () => 'nope' });
    const results = await expectOk(source.fetch(meta(videoIds(2))));
    for (const result of results) failureOf(result, 'UNAUTHENTICATED');
  });

  it('answers CANCELLED when the signal aborts', async () => {
    const controller = new AbortController();
    const aborting = abortingFetch(controller);
    const { source } = await setup({ fetch: aborting.fetch });
    const results = await expectOk(source.fetch(meta(videoIds(2)), { signal: controller.signal }));
    expect(aborting.sent).toHaveLength(1);
    for (const result of results) failureOf(result, 'CANCELLED');
  });

  it('refuses an empty post id with VALIDATION', async () => {
    const { fake, source } = await setup();
    const error = await expectErrorCode(source.fetch(meta([''])), 'VALIDATION');
    expect(error.path).toBe('posts.0.postId');
    expect(fake.requests).toHaveLength(0);
  });
});
