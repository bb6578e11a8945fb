import {
  expectErrorCode,
  expectOk,
  type FakeInstagramServer,
  startFakeInstagramServer,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createInstagramMetricsSource,
  createInstagramReelsUploader,
  META_DEFAULT_RATE_LIMIT_RETRY_MS,
  type MetricsSourceSettings,
} from '../src/index';
import { withPublicUrl } from './instagram-test-helpers';
import { testBytes } from './meta-test-helpers';
import { abortingFetch, failureOf, metricsOf, postsOf } from './metrics-test-helpers';

const IG_USER = '17841400000000001';
let server: FakeInstagramServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(settings: Partial<MetricsSourceSettings> = {}) {
  server = await startFakeInstagramServer();
  const fake = server;
  const source = createInstagramMetricsSource({
    accessToken: () => fake.accessToken,
    baseURL: `${fake.baseUrl}/v24.0`,
    ...settings,
  });
  return { fake, source };
}

const instagram = (ids: readonly string[]) => postsOf('instagram', ids);
const mediaIds = (count: number) =>
  Array.from({ length: count }, (_, index) => `1790000000000${String(index).padStart(4, '0')}`);

describe('createInstagramMetricsSource: media insights', () => {
  it('serves the counts of a published reel as GET /{media-id}/insights?metric=views,likes,comments,shares', async () => {
    const { fake, source } = await setup();
    const uploader = createInstagramReelsUploader({
      igUserId: IG_USER,
      accessToken: () => fake.accessToken,
      baseURL: `${fake.baseUrl}/v24.0`,
      pollIntervalMs: 1,
    });
    const posted = await expectOk(
      uploader.upload(withPublicUrl(uploadableVideoOf(testBytes(2_000)), fake), {}),
    );
    fake.setMetrics(posted.platformPostId, { views: 5000, likes: 300, comments: 12, shares: 40 });
    const results = await expectOk(source.fetch(instagram([posted.platformPostId])));
    expect(metricsOf(results[0])).toEqual({
      views: 5000,
      likes: 300,
      shares: 40,
      comments: 12,
      clicks: null,
      conversions: null,
    });
    const call = fake.requestsTo('media-insights')[0];
    expect(call?.method).toBe('GET');
    expect(call?.path).toBe(
      `/v24.0/${posted.platformPostId}/insights?metric=views%2Clikes%2Ccomments%2Cshares`,
    );
    expect(call?.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(source.maxPostsPerCall).toBe(1);
  });

  it('asks one media a call, in order, and answers NOT_FOUND for a deleted one (Graph 100/33) without hiding the others', async () => {
    const { fake, source } = await setup();
    const all = mediaIds(4);
    for (const [index, id] of all.entries()) fake.setMetrics(id, { views: 10 * index });
    fake.deletePost(all[1] as string);
    const results = await expectOk(source.fetch(instagram(all)));
    expect(fake.requestsTo('media-insights').map((call) => call.path.split('/')[2])).toEqual(all);
    expect(metricsOf(results[0]).views).toBe(0);
    const gone = failureOf(results[1], 'NOT_FOUND');
    expect(gone.message).toContain('does not exist');
    expect(metricsOf(results[2]).views).toBe(20);
    expect(metricsOf(results[3]).views).toBe(30);
  });

  it('answers a rate limit (code 4) as RATE_LIMITED after the usage header, for that media and the ones not asked yet', async () => {
    const { fake, source } = await setup();
    const all = mediaIds(5);
    for (const id of all) fake.setMetrics(id, { likes: 1 });
    fake.enqueue(
      'media-insights',
      { type: 'pass' },
      { type: 'rate-limit', regainAccessMinutes: 2 },
    );
    const results = await expectOk(source.fetch(instagram(all)));
    expect(fake.requestsTo('media-insights')).toHaveLength(2);
    expect(metricsOf(results[0]).likes).toBe(1);
    for (const result of results.slice(1)) {
      const error = failureOf(result, 'RATE_LIMITED');
      expect(error.retryAfterMs).toBe(120_000);
      expect(error.details?.graphCode).toBe(4);
    }
  });

  it('waits the Graph default when a rate limit says nothing of when to come back', async () => {
    const { fake, source } = await setup();
    fake.setMetrics('1', { likes: 1 });
    fake.enqueue('media-insights', { type: 'rate-limit', code: 32 });
    const results = await expectOk(source.fetch(instagram(['1'])));
    expect(failureOf(results[0], 'RATE_LIMITED').retryAfterMs).toBe(
      META_DEFAULT_RATE_LIMIT_RETRY_MS,
    );
  });

  it('answers an invalid token (Graph 190) as UNAUTHENTICATED for every media, asking once', async () => {
    const { fake, source } = await setup({ accessToken: () => 'expired' });
    const results = await expectOk(source.fetch(instagram(mediaIds(3))));
    expect(fake.requestsTo('media-insights')).toHaveLength(1);
    for (const result of results) failureOf(result, 'UNAUTHENTICATED');
  });

  it('answers CANCELLED for the media in flight and the ones not asked when the signal aborts', async () => {
    const controller = new AbortController();
    const aborting = abortingFetch(controller);
    const { source } = await setup({ fetch: aborting.fetch });
    const results = await expectOk(
      source.fetch(instagram(mediaIds(3)), { signal: controller.signal }),
    );
    expect(aborting.sent).toHaveLength(1);
    for (const result of results) failureOf(result, 'CANCELLED');
  });

  it('refuses a post of another platform with VALIDATION, asking nothing', async () => {
    const { fake, source } = await setup();
    const error = await expectErrorCode(
      source.fetch([...instagram(['1']), { platform: 'meta', postId: '2' }]),
      'VALIDATION',
    );
    expect(error.path).toBe('posts.1.platform');
    expect(fake.requests).toHaveLength(0);
  });
});
