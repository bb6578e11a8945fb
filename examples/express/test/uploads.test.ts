import { vbucketsError } from '@vbuckets/core';
import { createFakePlatformUploader, type FakePlatformUploader } from '@vbuckets/core/testing';
import { type FakeYouTubeServer, startFakeYouTubeServer } from '@vbuckets/testkit';
import { createYouTubeUploader } from '@vbuckets/uploaders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatrix, ORG_SHARED } from './auth-matrix';
import { problemOf, STORES, startTestHost, type TestHost, tokenFor } from './host';
import { mp4Bytes, nextSeed, registerVideo } from './videos-helpers';

interface UploadJson {
  id: string;
  videoId: string;
  platform: string;
  status: string;
  retryCount: number;
  platformPostId: string | null;
}

describe.each(STORES)('upload routes on %s', (kind) => {
  let host: TestHost;
  let youtube: FakeYouTubeServer;
  let flaky: FakePlatformUploader;
  let owner: string;
  let other: string;
  beforeAll(async () => {
    youtube = await startFakeYouTubeServer();
    flaky = createFakePlatformUploader({ platform: 'flaky', fallback: { platformPostId: 'ok-1' } });
    host = await startTestHost(kind, {
      vbucketsOptions: {
        uploaders: [
          createYouTubeUploader({
            accessToken: () => 'fake-youtube-token',
            baseURL: youtube.baseUrl,
          }),
          createFakePlatformUploader({ platform: 'fake', fallback: { platformPostId: 'post-1' } }),
          flaky,
        ],
        // Retries are due at once, so retry-due has work without waiting.
        uploads: { baseDelayMs: 0, maxDelayMs: 0 },
      },
    });
    owner = await tokenFor({ userId: 'ana', orgId: 'acme' });
    other = await tokenFor({ userId: 'dee', orgId: 'globex', roles: ['admin'] });
  });
  afterAll(async () => {
    await host.close();
    await youtube.close();
  });

  const post = (token: string | undefined, videoId: string, json: unknown) =>
    host.call(`/api/v1/videos/${videoId}/uploads`, { method: 'POST', token, json });

  it('posts a video to (fake) YouTube through the real uploader, once', async () => {
    const seed = nextSeed();
    const video = await registerVideo(host, owner, seed, { title: 'Bloated after lunch' });
    const posted = await post(owner, video.id, {
      platform: 'youtube',
      metadata: { title: 'Bloated?', tags: ['gut'], privacyStatus: 'unlisted' },
    });
    expect(posted.status).toBe(200);
    const upload = (await posted.json()) as UploadJson;
    expect(upload).toMatchObject({ videoId: video.id, platform: 'youtube', status: 'SUCCESS' });
    const stored = youtube.videos.get(upload.platformPostId ?? '');
    expect(Buffer.from(stored?.bytes ?? new Uint8Array())).toEqual(Buffer.from(mp4Bytes(seed)));
    expect(stored?.metadata).toMatchObject({
      snippet: { title: 'Bloated?', tags: ['gut'] },
      status: { privacyStatus: 'unlisted' },
    });

    const canUpload = await host.call(`/api/v1/videos/${video.id}/can-upload?platform=youtube`, {
      token: owner,
    });
    const answer = (await canUpload.json()) as { allowed: boolean; reason: string };
    expect(answer.allowed).toBe(false);
    expect(answer.reason).toMatch(/youtube/i);

    const duplicate = await post(owner, video.id, { platform: 'youtube' });
    expect(duplicate.status).toBe(409);
    expect((await problemOf(duplicate)).code).toBe('DUPLICATE_UPLOAD');
    expect(youtube.videos.size).toBe(1);

    const forced = await post(owner, video.id, { platform: 'youtube', force: true });
    expect(forced.status).toBe(200);
    expect(youtube.videos.size).toBe(2);

    const history = await host.call(`/api/v1/videos/${video.id}/uploads`, { token: owner });
    const entries = (await history.json()) as { platform: string; attempts: unknown[] }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ platform: 'youtube', symbol: '✔' });
    expect(entries[0]?.attempts).toHaveLength(2);

    const videos = (await (await host.call('/api/v1/videos', { token: owner })).json()) as {
      id: string;
      uploads: Record<string, string>;
    }[];
    expect(videos.find((entry) => entry.id === video.id)?.uploads).toEqual({ youtube: 'SUCCESS' });

    const listed = await host.call('/api/v1/uploads?platform=youtube&status=SUCCESS&limit=5', {
      token: owner,
    });
    expect(((await listed.json()) as UploadJson[]).map((row) => row.videoId)).toContain(video.id);
  });

  it('lists the platforms it has an uploader for, which an upload accepts', async () => {
    const listed = await host.call('/api/v1/platforms', { token: owner });
    expect(listed.status).toBe(200);
    const { platforms } = (await listed.json()) as { platforms: string[] };
    expect(platforms).toEqual(['fake', 'flaky', 'youtube']);
    const video = await registerVideo(host, owner, nextSeed());
    const posted = await post(owner, video.id, { platform: platforms[0] });
    expect(((await posted.json()) as UploadJson).status).toBe('SUCCESS');
  });

  it('answers can-upload allowed for a fresh video', async () => {
    const video = await registerVideo(host, owner, nextSeed());
    const response = await host.call(`/api/v1/videos/${video.id}/can-upload?platform=fake`, {
      token: owner,
    });
    expect(await response.json()).toEqual({ allowed: true, reason: null });
  });

  it('records a failed post, and retry-due (admins only) posts it again', async () => {
    const token = await tokenFor({ userId: 'ana', orgId: `retry-${kind}` });
    const adminOfIt = await tokenFor({ userId: 'cy', orgId: `retry-${kind}`, roles: ['admin'] });
    const video = await registerVideo(host, token, nextSeed());
    flaky.queueUpload(
      vbucketsError('PROVIDER', '[flaky] the platform answered 503', { retryable: true }),
    );
    const failed = await post(token, video.id, { platform: 'flaky' });
    expect(failed.status).toBe(502);
    expect((await problemOf(failed)).detail).toMatch(/503/);
    const rows = (await (
      await host.call('/api/v1/uploads?status=FAILED', { token })
    ).json()) as UploadJson[];
    expect(rows).toMatchObject([{ videoId: video.id, platform: 'flaky', retryCount: 1 }]);

    const refused = await host.call('/api/v1/uploads/retry-due', { method: 'POST', token });
    expect(refused.status).toBe(403);
    const retried = await host.call('/api/v1/uploads/retry-due?limit=10', {
      method: 'POST',
      token: adminOfIt,
    });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject([
      { videoId: video.id, platform: 'flaky', status: 'SUCCESS', platformPostId: 'ok-1' },
    ]);
  });

  it('answers a platform rate limit with 429 and Retry-After in whole seconds', async () => {
    const token = await tokenFor({ userId: 'ana', orgId: `limited-${kind}` });
    const video = await registerVideo(host, token, nextSeed());
    flaky.queueUpload(
      vbucketsError('RATE_LIMITED', 'The platform asks to slow down', { retryAfterMs: 2_500 }),
    );
    const limited = await post(token, video.id, { platform: 'flaky' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await problemOf(limited)).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryable: true,
      retryAfterSec: 3,
    });
  });

  it('queues an upload for a worker with queue: true and answers 202 with the job', async () => {
    const video = await registerVideo(host, owner, nextSeed());
    const queued = await post(owner, video.id, { platform: 'fake', queue: true });
    expect(queued.status).toBe(202);
    const enqueued = (await queued.json()) as { kind: string; id: string; created: boolean };
    expect(enqueued).toMatchObject({ kind: 'uploads.upload', created: true });
    const job = (await host.vbuckets.jobs.get('uploads.upload', enqueued.id))._unsafeUnwrap();
    expect(job.payload).toEqual({ orgId: 'acme', videoId: video.id, platform: 'fake' });

    const forcedQueue = await post(owner, video.id, { platform: 'fake', queue: true, force: true });
    expect(forcedQueue.status).toBe(400);
    expect((await problemOf(forcedQueue)).path).toBe('body.force');
    const foreign = await post(other, video.id, { platform: 'fake', queue: true });
    expect(foreign.status).toBe(404);
  });

  it('answers 400 naming the field, and 404 for another org', async () => {
    const video = await registerVideo(host, owner, nextSeed());
    const noPlatform = await post(owner, video.id, {});
    expect(noPlatform.status).toBe(400);
    expect((await problemOf(noPlatform)).path).toBe('body.platform');
    const badPlatform = await post(owner, video.id, { platform: 'you tube!' });
    expect((await problemOf(badPlatform)).path).toBe('body.platform');
    const unknownPlatform = await post(owner, video.id, { platform: 'myspace' });
    expect(unknownPlatform.status).toBe(400);
    expect((await problemOf(unknownPlatform)).detail).toMatch(/myspace/);
    const badMetadata = await post(owner, video.id, { platform: 'fake', metadata: 'caption' });
    expect((await problemOf(badMetadata)).path).toBe('body.metadata');
    const noQuery = await host.call(`/api/v1/videos/${video.id}/can-upload`, { token: owner });
    expect((await problemOf(noQuery)).path).toBe('query.platform');
    const badStatus = await host.call('/api/v1/uploads?status=DONE', { token: owner });
    expect((await problemOf(badStatus)).path).toBe('query.status');

    for (const path of [
      `/videos/${video.id}/uploads`,
      `/videos/${video.id}/can-upload?platform=fake`,
    ]) {
      const foreign = await host.call(`/api/v1${path}`, { token: other });
      expect(foreign.status, path).toBe(404);
    }
    expect((await post(other, video.id, { platform: 'fake' })).status).toBe(404);
    expect(await (await host.call('/api/v1/uploads', { token: other })).json()).toEqual([]);
  });

  it('holds the auth matrix on every upload route', async () => {
    const fresh = async (_host: TestHost, token: string) => ({
      video: await registerVideo(host, token, nextSeed()),
    });
    await assertMatrix(host, {
      name: 'POST /videos/:videoId/uploads',
      setup: fresh,
      request: (_host, token, { video }) => post(token, video.id, { platform: 'fake' }),
      expected: ORG_SHARED(200),
    });
    await assertMatrix(host, {
      name: 'POST /videos/:videoId/uploads (queue)',
      setup: fresh,
      request: (_host, token, { video }) =>
        post(token, video.id, { platform: 'fake', queue: true }),
      expected: ORG_SHARED(202),
    });
    await assertMatrix(host, {
      name: 'GET /videos/:videoId/can-upload',
      setup: fresh,
      request: (_host, token, { video }) =>
        host.call(`/api/v1/videos/${video.id}/can-upload?platform=fake`, { token }),
      expected: ORG_SHARED(200),
    });
    await assertMatrix(host, {
      name: 'GET /videos/:videoId/uploads',
      setup: fresh,
      request: (_host, token, { video }) =>
        host.call(`/api/v1/videos/${video.id}/uploads`, { token }),
      expected: ORG_SHARED(200),
    });
    await assertMatrix(host, {
      name: 'GET /uploads',
      setup: async () => ({}),
      request: (_host, token) => host.call('/api/v1/uploads', { token }),
      // A list: another org gets its own (empty) list, not a 404.
      expected: { ...ORG_SHARED(200), otherOrg: 200 },
    });
    await assertMatrix(host, {
      name: 'GET /platforms',
      setup: async () => ({}),
      request: (_host, token) => host.call('/api/v1/platforms', { token }),
      // The host's configuration, the same for every org.
      expected: { ...ORG_SHARED(200), otherOrg: 200 },
    });
    await assertMatrix(host, {
      name: 'POST /uploads/retry-due',
      setup: async () => ({}),
      request: (_host, token) => host.call('/api/v1/uploads/retry-due', { method: 'POST', token }),
      expected: { anonymous: 401, owner: 403, member: 403, admin: 200, otherOrg: 200 },
    });
  });
});
