import { afterEach, describe, expect, it } from 'vitest';
import { startFakeInstagramServer } from '../../src/fake-instagram/fake-instagram-server';
import { startFakeMetaServer } from '../../src/fake-meta/fake-meta-server';
import { createFakeMetricsBook } from '../../src/fake-metrics';
import { startFakeTikTokServer } from '../../src/fake-tiktok/fake-tiktok-server';
import { startFakeYouTubeServer } from '../../src/fake-youtube/fake-youtube-server';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function started<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const value = await server;
  closers.push(() => value.close());
  return value;
}

describe("the fakes' metrics book", () => {
  it('publishes at zero, keeps set counts, hides deleted posts until they are set again', () => {
    const book = createFakeMetricsBook();
    book.publish('a');
    expect(book.get('a')).toEqual({ views: 0, likes: 0, comments: 0, shares: 0 });
    book.set('a', { views: 5 });
    book.publish('a');
    expect(book.get('a')?.views).toBe(5);
    book.delete('a');
    expect(book.get('a')).toBeUndefined();
    expect(book.isDeleted('a')).toBe(true);
    book.set('a', { likes: 1 });
    expect(book.get('a')).toMatchObject({ views: 5, likes: 1 });
  });
});

describe('fake YouTube videos.list', () => {
  it('answers statistics as strings, leaves hidden counts and deleted ids out, and checks the token', async () => {
    const server = await started(startFakeYouTubeServer());
    server.setMetrics('a', { views: 12, likes: 3, comments: 1, commentsHidden: true });
    server.setMetrics('b', { views: 1 });
    server.deletePost('b');
    const url = `${server.baseUrl}/youtube/v3/videos?part=statistics&id=a,b,c`;
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    expect(
      ((await refused.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0]
        ?.reason,
    ).toBe('authError');
    const answer = await fetch(url, { headers: { authorization: 'Bearer fake-youtube-token' } });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { kind: string; items: Array<Record<string, unknown>> };
    expect(body.kind).toBe('youtube#videoListResponse');
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      kind: 'youtube#video',
      id: 'a',
      statistics: { viewCount: '12', likeCount: '3', favoriteCount: '0' },
    });
    expect(body.items[0]?.statistics).not.toHaveProperty('commentCount');
    expect(server.requests.at(-1)?.videoIds).toEqual(['a', 'b', 'c']);
  });

  it('refuses more than 50 ids and answers a scripted 403 quotaExceeded', async () => {
    const server = await started(startFakeYouTubeServer());
    const auth = { headers: { authorization: 'Bearer fake-youtube-token' } };
    const ids = Array.from({ length: 51 }, (_, index) => `v${index}`).join(',');
    const tooMany = await fetch(
      `${server.baseUrl}/youtube/v3/videos?part=statistics&id=${ids}`,
      auth,
    );
    expect(tooMany.status).toBe(400);
    server.script({ route: 'videos-list', failure: { kind: 'rate-limit' } });
    const quota = await fetch(`${server.baseUrl}/youtube/v3/videos?part=statistics&id=a`, auth);
    expect(quota.status).toBe(403);
    expect(JSON.stringify(await quota.json())).toContain('quotaExceeded');
  });
});

describe('fake TikTok video query', () => {
  const query = (baseUrl: string, fields: string, ids: unknown, token = 'fake-tiktok-token') =>
    fetch(`${baseUrl}/v2/video/query/?fields=${fields}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filters: { video_ids: ids } }),
    });

  it("answers the requested fields of known ids only, in TikTok's envelope", async () => {
    const server = await started(startFakeTikTokServer());
    server.setMetrics('701', { views: 9, likes: 8, comments: 7, shares: 6 });
    server.setMetrics('702', { views: 1 });
    server.deletePost('702');
    const answer = await query(server.baseUrl, 'id,view_count,share_count', ['701', '702', '703']);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      data: { videos: unknown[] };
      error: { code: string; log_id: string };
    };
    expect(body.data.videos).toEqual([{ id: '701', view_count: 9, share_count: 6 }]);
    expect(body.error.code).toBe('ok');
    expect(body.error.log_id).not.toBe('');
  });

  it('refuses a bad token, more than 20 ids and unknown fields; sends Retry-After on a scripted 429', async () => {
    const server = await started(startFakeTikTokServer());
    const refused = await query(server.baseUrl, 'id', ['1'], 'wrong');
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'access_token_invalid',
    );
    const many = Array.from({ length: 21 }, (_, index) => String(index));
    expect((await query(server.baseUrl, 'id', many)).status).toBe(400);
    expect((await query(server.baseUrl, 'id,fps', ['1'])).status).toBe(400);
    server.enqueue('video-query', { type: 'rate-limit', retryAfterSeconds: 3 });
    const limited = await query(server.baseUrl, 'id', ['1']);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
  });
});

describe('fake Instagram media insights', () => {
  it('answers Graph insights, refuses the deprecated plays metric, and 100/33 for a deleted media', async () => {
    const server = await started(startFakeInstagramServer());
    server.setMetrics('1790', { views: 40, likes: 4, comments: 2, shares: 1 });
    const get = (id: string, metric: string, token = server.accessToken) =>
      fetch(`${server.baseUrl}/v24.0/${id}/insights?metric=${metric}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const answer = await get('1790', 'views,shares');
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { data: Array<Record<string, unknown>> };
    expect(body.data).toEqual([
      expect.objectContaining({ name: 'views', period: 'lifetime', values: [{ value: 40 }] }),
      expect.objectContaining({ name: 'shares', id: '1790/insights/shares/lifetime' }),
    ]);
    const plays = await get('1790', 'plays');
    expect(((await plays.json()) as { error: { code: number } }).error.code).toBe(100);
    expect(
      ((await (await get('1790', 'views', 'bad')).json()) as { error: { code: number } }).error
        .code,
    ).toBe(190);
    server.deletePost('1790');
    const gone = (await (await get('1790', 'views')).json()) as {
      error: { code: number; error_subcode: number };
    };
    expect([gone.error.code, gone.error.error_subcode]).toEqual([100, 33]);
  });
});

describe('fake Meta video insights', () => {
  it('answers breakdowns as objects and takes the token as access_token too', async () => {
    const server = await started(startFakeMetaServer());
    server.setMetrics('1200', {
      views: 7,
      likes: 2,
      reactions: { love: 1 },
      comments: 3,
      shares: 4,
    });
    const answer = await fetch(
      `${server.baseUrl}/v24.0/1200/video_insights?metric=total_video_reactions_by_type_total,total_video_stories_by_action_type&access_token=${server.accessToken}`,
    );
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { data: Array<{ values: Array<{ value: unknown }> }> };
    expect(body.data.map((metric) => metric.values[0]?.value)).toEqual([
      { like: 2, love: 1 },
      { share: 4, like: 2, comment: 3 },
    ]);
    const unknown = await fetch(`${server.baseUrl}/v24.0/1200/video_insights?metric=clicks`, {
      headers: { authorization: `Bearer ${server.accessToken}` },
    });
    expect(((await unknown.json()) as { error: { code: number } }).error.code).toBe(100);
    expect(server.requestsTo('video-insights')).toHaveLength(2);
  });
});
