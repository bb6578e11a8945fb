import { isSettingsError } from '@vbuckets/core';
import {
  expectErrorCode,
  expectOk,
  type FakeYouTubeServer,
  startFakeYouTubeServer,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createYouTubeMetricsSource,
  createYouTubeUploader,
  DEFAULT_QUOTA_RETRY_MS,
  type MetricsSourceSettings,
} from '../src/index';
import { testBytes } from './meta-test-helpers';
import { abortingFetch, failureOf, metricsOf, postsOf } from './metrics-test-helpers';
import { CHUNK, TOKEN } from './youtube-test-helpers';

let server: FakeYouTubeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(settings: Partial<MetricsSourceSettings> = {}) {
  server = await startFakeYouTubeServer();
  const fake = server;
  const source = createYouTubeMetricsSource({
    accessToken: () => TOKEN,
    baseURL: fake.baseUrl,
    ...settings,
  });
  return { fake, source };
}

const listCalls = (fake: FakeYouTubeServer) =>
  fake.requests.filter((request) => request.route === 'videos-list');
const youtube = (ids: readonly string[]) => postsOf('youtube', ids);

describe('createYouTubeMetricsSource: videos.list statistics', () => {
  it('serves the counts of an uploaded video, as GET /youtube/v3/videos?part=statistics with the token', async () => {
    const { fake, source } = await setup();
    const uploader = createYouTubeUploader({
      accessToken: () => TOKEN,
      baseURL: fake.baseUrl,
      chunkBytes: CHUNK,
    });
    const posted = await expectOk(uploader.upload(uploadableVideoOf(testBytes(1_000)), {}));
    const fresh = await expectOk(source.fetch(youtube([posted.platformPostId])));
    expect(metricsOf(fresh[0])).toEqual({
      views: 0,
      likes: 0,
      shares: 0,
      comments: 0,
      clicks: null,
      conversions: null,
    });
    fake.setMetrics(posted.platformPostId, { views: 1234, likes: 56, comments: 7, shares: 99 });
    const later = await expectOk(source.fetch(youtube([posted.platformPostId])));
    expect(later[0]?.post).toEqual({ platform: 'youtube', postId: posted.platformPostId });
    // YouTube has no share count: the fake's shares never reach the source.
    expect(metricsOf(later[0])).toEqual({
      views: 1234,
      likes: 56,
      shares: 0,
      comments: 7,
      clicks: null,
      conversions: null,
    });
    const call = listCalls(fake).at(-1);
    expect(call?.method).toBe('GET');
    const url = new URL(call?.path ?? '', fake.baseUrl);
    expect(url.pathname).toBe('/youtube/v3/videos');
    expect(url.searchParams.get('part')).toBe('statistics');
    expect(url.searchParams.get('id')).toBe(posted.platformPostId);
    expect(call?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(source.platform).toBe('youtube');
    expect(source.maxPostsPerCall).toBe(50);
    expect(source.specificationVersion).toBe('v1');
  });

  it('reads hidden like and comment counts (absent from statistics) as 0', async () => {
    const { fake, source } = await setup();
    fake.setMetrics('hidden', { views: 10, likes: 4, comments: 2, likesHidden: true });
    fake.setMetrics('nocomments', { views: 3, likes: 1, comments: 9, commentsHidden: true });
    const results = await expectOk(source.fetch(youtube(['hidden', 'nocomments'])));
    expect(metricsOf(results[0])).toMatchObject({ views: 10, likes: 0, comments: 2 });
    expect(metricsOf(results[1])).toMatchObject({ views: 3, likes: 1, comments: 0 });
  });

  it('asks 50 ids a call: 120 posts are 3 calls, answered in the order given', async () => {
    const { fake, source } = await setup();
    const ids = Array.from({ length: 120 }, (_, index) => `vid${String(index).padStart(3, '0')}`);
    for (const [index, id] of ids.entries()) fake.setMetrics(id, { views: index });
    const asked = [...ids].reverse();
    const results = await expectOk(source.fetch(youtube(asked)));
    expect(listCalls(fake).map((call) => call.videoIds?.length)).toEqual([50, 50, 20]);
    expect(listCalls(fake).flatMap((call) => call.videoIds)).toEqual(asked);
    expect(results.map((result) => result.post.postId)).toEqual(asked);
    expect(results.map((result) => metricsOf(result).views)).toEqual(
      asked.map((id) => ids.indexOf(id)),
    );
  });

  it('asks a post named twice once, and answers it twice', async () => {
    const { fake, source } = await setup();
    fake.setMetrics('a', { views: 1 });
    const results = await expectOk(source.fetch(youtube(['a', 'a'])));
    expect(listCalls(fake)[0]?.videoIds).toEqual(['a']);
    expect(results.map((result) => metricsOf(result).views)).toEqual([1, 1]);
  });

  it('answers NOT_FOUND for a deleted video (left out of items) without hiding the others', async () => {
    const { fake, source } = await setup();
    fake.setMetrics('kept1', { views: 5 });
    fake.setMetrics('gone', { views: 6 });
    fake.setMetrics('kept2', { views: 7 });
    fake.deletePost('gone');
    const results = await expectOk(source.fetch(youtube(['kept1', 'gone', 'kept2', 'never'])));
    expect(metricsOf(results[0]).views).toBe(5);
    const gone = failureOf(results[1], 'NOT_FOUND');
    expect(gone.message).toContain('gone');
    expect(gone.message).toContain('youtube');
    expect(gone.retryable).toBe(false);
    expect(metricsOf(results[2]).views).toBe(7);
    failureOf(results[3], 'NOT_FOUND');
    expect(listCalls(fake)).toHaveLength(1);
  });

  it('answers RATE_LIMITED with Retry-After for the throttled call and every post after it, asking no more', async () => {
    const { fake, source } = await setup();
    const ids = Array.from({ length: 120 }, (_, index) => `v${index}`);
    for (const id of ids) fake.setMetrics(id, { views: 1 });
    fake.script({
      route: 'videos-list',
      failure: {
        kind: 'rate-limit',
        status: 429,
        reason: 'rateLimitExceeded',
        retryAfterSeconds: 7,
      },
    });
    const results = await expectOk(source.fetch(youtube(ids)));
    expect(listCalls(fake)).toHaveLength(1);
    for (const result of results) {
      const error = failureOf(result, 'RATE_LIMITED');
      expect(error.retryAfterMs).toBe(7_000);
      expect(error.retryable).toBe(true);
    }
    expect(results[0]?.ok === false && results[0].error.message).toMatch(
      /^Metrics fetch on youtube failed \(HTTP 429\)/u,
    );
  });

  it("answers a spent daily quota (403 quotaExceeded) as RATE_LIMITED for an hour, keeping the earlier calls' answers", async () => {
    // The quota runs out after the first call: scripted once that call has been answered.
    const scriptAfterFirstCall: typeof globalThis.fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (server !== undefined && listCalls(server).length === 1) {
        server.script({ route: 'videos-list', failure: { kind: 'rate-limit' } });
      }
      return response;
    };
    const { fake, source } = await setup({ fetch: scriptAfterFirstCall });
    const ids = Array.from({ length: 60 }, (_, index) => `q${index}`);
    for (const id of ids) fake.setMetrics(id, { views: 2 });
    const results = await expectOk(source.fetch(youtube(ids)));
    expect(listCalls(fake)).toHaveLength(2);
    expect(results.slice(0, 50).every((result) => result.ok)).toBe(true);
    for (const result of results.slice(50)) {
      const quota = failureOf(result, 'RATE_LIMITED');
      expect(quota.retryAfterMs).toBe(DEFAULT_QUOTA_RETRY_MS);
      expect(quota.details?.reason).toBe('quotaExceeded');
      expect(quota.details?.httpStatus).toBe(403);
    }
  });

  it('answers UNAUTHENTICATED for every post when the token is refused', async () => {
    const { fake, source } = await setup({ accessToken: () => 'stale-token' });
    fake.setMetrics('a', { views: 1 });
    const ids = Array.from({ length: 70 }, (_, index) => (index === 0 ? 'a' : `x${index}`));
    const results = await expectOk(source.fetch(youtube(ids)));
    expect(listCalls(fake)).toHaveLength(1);
    for (const result of results) {
      expect(failureOf(result, 'UNAUTHENTICATED').message).toMatch(/re-authenticate/u);
    }
  });

  it('answers CANCELLED for the call in flight and the posts not asked when the signal aborts', async () => {
    const controller = new AbortController();
    const aborting = abortingFetch(controller);
    const { fake, source } = await setup({ fetch: aborting.fetch });
    fake.script({ route: 'videos-list', failure: { kind: 'hold' } });
    const ids = Array.from({ length: 75 }, (_, index) => `c${index}`);
    const results = await expectOk(source.fetch(youtube(ids), { signal: controller.signal }));
    expect(aborting.sent).toHaveLength(1);
    for (const result of results) failureOf(result, 'CANCELLED');
  });

  it('asks nothing when the signal is already aborted', async () => {
    const { fake, source } = await setup();
    const controller = new AbortController();
    controller.abort();
    const results = await expectOk(
      source.fetch(youtube(['a', 'b']), { signal: controller.signal }),
    );
    expect(results.map((result) => !result.ok && result.error.code)).toEqual([
      'CANCELLED',
      'CANCELLED',
    ]);
    expect(listCalls(fake)).toHaveLength(0);
  });

  it('refuses a post of another platform or an empty id with VALIDATION, asking nothing', async () => {
    const { fake, source } = await setup();
    const wrong = await expectErrorCode(
      source.fetch([
        { platform: 'youtube', postId: 'a' },
        { platform: 'tiktok', postId: 'b' },
      ]),
      'VALIDATION',
    );
    expect(wrong.path).toBe('posts.1.platform');
    expect(wrong.message).toContain('tiktok');
    expect(wrong.adapter).toBe('youtube');
    expect(wrong.operation).toBe('fetch');
    const empty = await expectErrorCode(source.fetch(youtube(['a', '  '])), 'VALIDATION');
    expect(empty.path).toBe('posts.1.postId');
    expect(listCalls(fake)).toHaveLength(0);
    expect(await expectOk(source.fetch([]))).toEqual([]);
  });

  it('refuses invalid settings on every fetch, as a settings error', async () => {
    const source = createYouTubeMetricsSource({
      accessToken: () => TOKEN,
      baseURL: 'ftp://nowhere',
    });
    const error = await expectErrorCode(source.fetch(youtube(['a'])), 'VALIDATION');
    expect(isSettingsError(error)).toBe(true);
    expect(error.message).toContain('youtube metrics settings.baseURL');
  });
});
