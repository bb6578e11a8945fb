import { createVBuckets } from '@vbuckets/core';
import type { MetricsSource } from '@vbuckets/core/adapter-kit';
import {
  createFakePlatformUploader,
  createManualClock,
  createMemoryBlobStore,
  createSequentialIdGenerator,
} from '@vbuckets/core/testing';
import Database from 'better-sqlite3';
import { okAsync } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../src/index';
import { openStore } from './helpers';

const acme = { orgId: 'acme' };

/** Bytes that sniff as MP4 (`ftyp` box), distinct per seed. */
function mp4(seed: number): Uint8Array {
  const bytes = new Uint8Array(256);
  bytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
  for (let index = 12; index < bytes.length; index += 1) bytes[index] = (index * 31 + seed) % 251;
  return bytes;
}

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** The SDK's segments on SQLite: the uploads hook and the update and sync transactions. */
describe('segments through the SDK on SQLite', () => {
  it('records an upload’s post on the original segment, edits usage and syncs metrics', async () => {
    store = await openStore({ database: new Database(':memory:') });
    const clock = createManualClock('2026-04-01T09:00:00.000Z');
    const source: MetricsSource = {
      specificationVersion: 'v1',
      platform: 'youtube',
      maxPostsPerCall: 50,
      fetch: (posts) =>
        okAsync(
          posts.map((post) => ({
            post,
            ok: true as const,
            metrics: {
              views: 500,
              likes: 40,
              shares: 5,
              comments: 5,
              clicks: 12,
              conversions: null,
            },
          })),
        ),
    };
    const vb = createVBuckets({
      store,
      blobs: createMemoryBlobStore(),
      clock,
      ids: createSequentialIdGenerator('id'),
      uploaders: [
        createFakePlatformUploader({
          platform: 'youtube',
          fallback: { platformPostId: 'yt-1', url: 'https://youtu.be/yt-1' },
        }),
      ],
      metricsSources: [source],
    })._unsafeUnwrap();
    const { video } = (
      await vb.videos.register(acme, { filename: 'a.mp4', body: () => mp4(1), ownerId: 'user_1' })
    )._unsafeUnwrap();
    const upload = (await vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    expect(upload.status).toBe('SUCCESS');
    const [original] = (await vb.segments.listByVideo(acme, video.id))._unsafeUnwrap();
    expect(original).toMatchObject({
      segmentType: 'original',
      segmentNumber: 0,
      blobKey: video.blobKey,
    });
    expect(original!.socialUsage).toMatchObject([
      {
        platform: 'youtube',
        postId: 'yt-1',
        postUrl: 'https://youtu.be/yt-1',
        uploadId: upload.id,
      },
    ]);

    const edited = (
      await vb.segments.update(acme, original!.id, {
        tags: ['hook'],
        usage: [{ platform: 'tiktok', views: 10, likes: 1 }],
      })
    )._unsafeUnwrap();
    expect(edited.socialUsage.map((usage) => usage.platform)).toEqual(['tiktok', 'youtube']);

    clock.advance(1000);
    const run = (await vb.segments.syncMetrics(acme))._unsafeUnwrap();
    expect(run).toMatchObject({ synced: 1, failed: 0 });
    const synced = (await vb.segments.get(acme, original!.id))._unsafeUnwrap();
    expect(synced.socialUsage.find((usage) => usage.platform === 'youtube')).toMatchObject({
      views: 500,
      clicks: 12,
      engagementRate: 0.1,
      lastSyncedAt: '2026-04-01T09:00:01.000Z',
    });
    const again = (
      await vb.segments.syncMetrics(acme, { syncedBefore: run.startedAt })
    )._unsafeUnwrap();
    expect(again.results).toEqual([]);
  });
});
