import { type MetricsSource, vbucketsError } from '@vbuckets/core';
import { okAsync } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatrix, MATRIX_USERS } from './auth-matrix';
import { problemOf, STORES, startTestHost, type TestHost, tokenFor } from './host';
import { runJob } from './jobs-helpers';
import {
  addSegment,
  recordUsage,
  registerVideo,
  segmentHostOptions,
  segmentOfNewVideo,
} from './segments-helpers';
import { createTestClip, type TestClip } from './tasks-media';

/** A TikTok metrics source answering fixed numbers, except for post `gone` (a per-post failure). */
function tiktokNumbers(): MetricsSource {
  return {
    specificationVersion: 'v1',
    platform: 'tiktok',
    maxPostsPerCall: 20,
    fetch: (posts) =>
      okAsync(
        posts.map((post) =>
          post.postId === 'gone'
            ? {
                post,
                ok: false as const,
                error: vbucketsError('NOT_FOUND', '[tiktok] post removed'),
              }
            : {
                post,
                ok: true as const,
                metrics: {
                  views: 1000,
                  likes: 90,
                  shares: 5,
                  comments: 5,
                  clicks: null,
                  conversions: null,
                },
              },
        ),
      ),
  };
}

describe.each(STORES)(
  'segment social, analytics, download, sync and split routes on %s',
  (kind) => {
    let host: TestHost;
    let clip: TestClip;
    let owner: string;
    let member: string;
    let admin: string;
    beforeAll(async () => {
      clip = createTestClip();
      host = await startTestHost(kind, segmentHostOptions({ metricsSources: [tiktokNumbers()] }));
      owner = await tokenFor(MATRIX_USERS.owner);
      member = await tokenFor(MATRIX_USERS.member);
      admin = await tokenFor(MATRIX_USERS.admin);
    });
    afterAll(async () => {
      await host.close();
      clip.remove();
    });

    it('records posts per platform, lists them and analyses one segment and the org by platform', async () => {
      const segment = await segmentOfNewVideo(host);
      const record = (json: unknown) =>
        host.call(`/api/v1/segments/${segment.id}/social-media`, {
          method: 'POST',
          token: owner,
          json,
        });
      const tiktok = await record({
        platform: 'tiktok',
        postId: '7300',
        views: 200,
        likes: 20,
        shares: 10,
      });
      expect(tiktok.status).toBe(200);
      expect(await tiktok.json()).toMatchObject({
        platform: 'tiktok',
        views: 200,
        engagementRate: 0.15,
      });
      await record({ platform: 'youtube', postId: 'yt1', views: 800, likes: 8 });
      const again = await record({ platform: 'tiktok', comments: 10 });
      expect(await again.json()).toMatchObject({ platform: 'tiktok', views: 200, comments: 10 });

      const rows = await host.call(`/api/v1/segments/${segment.id}/social-media`, { token: owner });
      expect(
        ((await rows.json()) as { platform: string }[]).map((row) => row.platform).sort(),
      ).toEqual(['tiktok', 'youtube']);
      const bad = await record({ platform: 'myspace' });
      expect((await problemOf(bad)).path).toBe('body.platform');
      const negative = await record({ platform: 'tiktok', views: -1 });
      expect((await problemOf(negative)).path).toBe('body.views');

      const analytics = await host.call(`/api/v1/segments/${segment.id}/analytics`, {
        token: owner,
      });
      expect(await analytics.json()).toMatchObject({
        totals: { views: 1000, likes: 28, shares: 10, comments: 10 },
        topPlatform: 'tiktok',
        platformCount: 2,
      });

      const byPlatform = await host.call(
        `/api/v1/segments/analytics?groupBy=platform&videoId=${segment.videoId}`,
        { token: owner },
      );
      expect(byPlatform.status).toBe(200);
      const groups = (await byPlatform.json()) as { key: string; views: number }[];
      expect(groups.find((group) => group.key === 'tiktok')).toMatchObject({ views: 200 });
      const noProduct = await host.call('/api/v1/segments/analytics?groupBy=bucket', {
        token: owner,
      });
      expect(noProduct.status).toBe(400);
      const noGroup = await host.call('/api/v1/segments/analytics', { token: owner });
      expect((await problemOf(noGroup)).path).toBe('query.groupBy');
    });

    it('hands the owner a presigned URL as JSON, or a 302 to it with redirect=true', async () => {
      const segment = await segmentOfNewVideo(host);
      const json = await host.call(`/api/v1/segments/${segment.id}/download?ttlSec=600`, {
        token: owner,
      });
      expect(json.status).toBe(200);
      const download = (await json.json()) as { url: string; expiresIn: number };
      expect(download.expiresIn).toBe(600);
      expect(download.url).toMatch(/^https:\/\/blobs\.example\//);

      const redirect = await host.call(`/api/v1/segments/${segment.id}/download?redirect=true`, {
        token: admin,
        redirect: 'manual',
      });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('location')).toMatch(/^https:\/\/blobs\.example\//);
      const hidden = await host.call(`/api/v1/segments/${segment.id}/download?redirect=true`, {
        token: member,
        redirect: 'manual',
      });
      expect(hidden.status).toBe(404);
      expect((await problemOf(hidden)).code).toBe('NOT_FOUND');
      const tooLong = await host.call(`/api/v1/segments/${segment.id}/download?ttlSec=9999999`, {
        token: owner,
      });
      expect((await problemOf(tooLong)).path).toBe('query.ttlSec');
    });

    it('streams the bytes as an attachment to the owner and an admin, on any blob store', async () => {
      const segment = await segmentOfNewVideo(host);
      for (const token of [owner, admin]) {
        const file = await host.call(`/api/v1/segments/${segment.id}/file`, { token });
        expect(file.status).toBe(200);
        expect(file.headers.get('content-type')).toBe('video/mp4');
        expect(file.headers.get('content-disposition')).toContain(
          `filename="segment-${segment.id}.mp4"`,
        );
        expect(await file.text()).toBe('segment bytes');
      }
      const hidden = await host.call(`/api/v1/segments/${segment.id}/file`, { token: member });
      expect((await problemOf(hidden)).code).toBe('NOT_FOUND');
      const missing = await host.call('/api/v1/segments/nope/file', { token: owner });
      expect(missing.status).toBe(404);
    });

    it('syncs metrics for admins only, keeps a failed post as it was, and queues a sync on request', async () => {
      const videoId = await registerVideo(host);
      const posted = await addSegment(host, videoId);
      const removed = await addSegment(host, videoId);
      await recordUsage(host, posted.id, { platform: 'tiktok', postId: 'live', views: 1 });
      await recordUsage(host, removed.id, { platform: 'tiktok', postId: 'gone', views: 7 });

      const sync = (token: string, json: unknown) =>
        host.call('/api/v1/segments/metrics-sync', { method: 'POST', token, json });
      expect((await sync(member, {})).status).toBe(403);
      const done = await sync(admin, { segmentIds: [posted.id, removed.id] });
      expect(done.status).toBe(200);
      const summary = (await done.json()) as {
        synced: number;
        failed: number;
        results: { segmentId: string; ok: boolean; error?: { code: string } }[];
      };
      expect(summary).toMatchObject({ synced: 1, failed: 1 });
      expect(summary.results.find((result) => !result.ok)).toMatchObject({
        segmentId: removed.id,
        error: { code: 'NOT_FOUND' },
      });
      const after = await host.call(`/api/v1/segments/${posted.id}`, { token: owner });
      expect(await after.json()).toMatchObject({
        socialUsage: [{ platform: 'tiktok', views: 1000 }],
      });

      const queued = await sync(admin, { segmentIds: [posted.id], queue: true });
      expect(queued.status).toBe(202);
      expect(await queued.json()).toMatchObject({ kind: 'segments.syncMetrics' });
      const resumeQueued = await sync(admin, {
        queue: true,
        syncedBefore: '2026-01-01T00:00:00.000Z',
      });
      expect((await problemOf(resumeQueued)).path).toBe('body.syncedBefore');

      await assertMatrix(host, {
        name: 'POST metrics-sync (admins)',
        setup: async () => undefined,
        request: (current, token) =>
          current.call('/api/v1/segments/metrics-sync', {
            method: 'POST',
            json: { platforms: ['youtube'] },
            ...(token === undefined ? {} : { token }),
          }),
        expected: { anonymous: 401, owner: 403, member: 403, admin: 200, otherOrg: 200 },
      });
    });

    it('splits a real clip with ffmpeg inline, and through a queued segments.split job', async () => {
      const videoId = await registerVideo(host, clip.variant());
      const split = await host.call(`/api/v1/videos/${videoId}/segments/split`, {
        method: 'POST',
        token: owner,
        json: { segmentSeconds: 2 },
      });
      expect(split.status, await split.clone().text()).toBe(201);
      const pieces = (await split.json()) as { segmentNumber: number; durationSec: number }[];
      expect(pieces.map((piece) => piece.segmentNumber)).toEqual([1, 2, 3]);
      const total = pieces.reduce((sum, piece) => sum + piece.durationSec, 0);
      expect(total).toBeCloseTo(6, 0);

      const neither = await host.call(`/api/v1/videos/${videoId}/segments/split`, {
        method: 'POST',
        token: owner,
        json: {},
      });
      expect((await problemOf(neither)).path).toBe('body.segmentSeconds');
      const unordered = await host.call(`/api/v1/videos/${videoId}/segments/split`, {
        method: 'POST',
        token: owner,
        json: { cutPointsSec: [3, 1] },
      });
      expect((await problemOf(unordered)).path).toBe('body.cutPointsSec');

      const other = await registerVideo(host, clip.variant());
      const queued = await host.call(`/api/v1/videos/${other}/segments/split`, {
        method: 'POST',
        token: owner,
        json: { cutPointsSec: [3], queue: true },
      });
      expect(queued.status).toBe(202);
      const job = (await queued.json()) as { kind: string; id: string };
      expect((await runJob(host, job.kind, job.id)).type).toBe('job-completed');
      const made = await host.call(`/api/v1/videos/${other}/segments`, { token: owner });
      expect(((await made.json()) as unknown[]).length).toBe(2);
    });
  },
);
