import { errAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { storageError, vbucketsError } from '../../../src/errors';
import type { Store } from '../../../src/ports/store';
import {
  createFakeMediaProbe,
  createFakePlatformUploader,
  createMemoryStore,
  makeMediaInfo,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';
import { acme, registerVideo, setup } from './segments-setup';

const originals = async (context: ReturnType<typeof setup>, videoId: string) =>
  (await context.vb.segments.listByVideo(acme, videoId))
    ._unsafeUnwrap()
    .filter((segment) => segment.segmentType === 'original');

describe('uploads record their posts on the video’s original segment', () => {
  it('creates the original segment and its usage row when an upload to a social platform succeeds', async () => {
    const context = setup();
    const video = await registerVideo(context, { ownerId: 'user_3' });
    const upload = (await context.vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    expect(upload.status).toBe('SUCCESS');
    const [original, ...others] = await originals(context, video.id);
    expect(others).toEqual([]);
    expect(original).toMatchObject({
      videoId: video.id,
      ownerId: 'user_3',
      segmentType: 'original',
      segmentNumber: 0,
      blobKey: video.blobKey,
      durationSec: 0,
      sizeBytes: video.sizeBytes,
      contentType: video.mimeType,
      title: video.title,
    });
    expect(original!.socialUsage).toEqual([
      {
        platform: 'youtube',
        postId: 'yt-1',
        postUrl: 'https://youtu.be/yt-1',
        postedAt: '2026-04-01T09:00:00.000Z',
        views: 0,
        likes: 0,
        shares: 0,
        comments: 0,
        clicks: null,
        conversions: null,
        engagementRate: null,
        lastSyncedAt: null,
        uploadId: upload.id,
      },
    ]);
  });

  it('takes the duration the registry knows, and adds one usage row per platform to one segment', async () => {
    const context = setup({
      mediaProbe: createFakeMediaProbe({ fallbackProbe: makeMediaInfo({ durationSec: 42.5 }) }),
    });
    const video = (
      await context.vb.videos.register(acme, {
        filename: 'probed.mp4',
        body: () => sampleVideoBytes('mp4', 3),
        ownerId: 'user_1',
        probePath: '/videos/probed.mp4',
      })
    )._unsafeUnwrap().video;
    (await context.vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    (await context.vb.uploads.upload(acme, video.id, 'tiktok'))._unsafeUnwrap();
    const [original, ...others] = await originals(context, video.id);
    expect(others).toEqual([]);
    expect(original!.durationSec).toBe(42.5);
    expect(
      original!.socialUsage.map((usage) => [usage.platform, usage.postId, usage.postUrl]),
    ).toEqual([
      ['tiktok', 'tt-1', null],
      ['youtube', 'yt-1', 'https://youtu.be/yt-1'],
    ]);
  });

  it('records nothing when the upload fails', async () => {
    const context = setup();
    const video = await registerVideo(context);
    context.youtube.queueUpload(vbucketsError('PROVIDER', 'quota exceeded', { retryable: false }));
    const error = (await context.vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect((await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap()).toEqual([]);
  });

  it('rewrites the usage row with the new post when a video is uploaded again (force)', async () => {
    const context = setup();
    const video = await registerVideo(context);
    const first = (await context.vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    context.clock.advance(3_600_000);
    context.youtube.queueUpload({ platformPostId: 'yt-2' });
    const again = (
      await context.vb.uploads.upload(acme, video.id, 'youtube', {}, { force: true })
    )._unsafeUnwrap();
    const [original, ...others] = await originals(context, video.id);
    expect(others).toEqual([]);
    expect(original!.socialUsage).toMatchObject([
      {
        platform: 'youtube',
        postId: 'yt-2',
        // The first post's URL does not outlive it.
        postUrl: null,
        postedAt: '2026-04-01T10:00:00.000Z',
        uploadId: again.id,
      },
    ]);
    expect(again.id).toBe(first.id);
  });

  it('records nothing for a platform segments are not posted to', async () => {
    const vimeo = createFakePlatformUploader({
      platform: 'vimeo',
      fallback: { platformPostId: 'vm-1' },
    });
    const context = setup({ uploaders: [vimeo] });
    const video = await registerVideo(context);
    expect((await context.vb.uploads.upload(acme, video.id, 'vimeo'))._unsafeUnwrap().status).toBe(
      'SUCCESS',
    );
    expect((await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap()).toEqual([]);
  });

  it('keeps the ledger’s SUCCESS (and warns) when recording the post fails, so it is never posted twice', async () => {
    const base = createMemoryStore();
    const store: Store = {
      ...base,
      transaction: (fn) =>
        base.transaction((tx) =>
          fn({
            ...tx,
            segments: {
              ...tx.segments,
              ensure: () => errAsync(storageError('[memory] segments table is locked')),
            },
          }),
        ),
    };
    const context = setup({ store });
    const video = await registerVideo(context);
    const upload = (await context.vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    expect(upload.status).toBe('SUCCESS');
    expect(context.warnings.join('\n')).toContain('could not be recorded');
    expect((await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap()).toEqual([]);
    const [allowed, reason] = (
      await context.vb.uploads.canUpload(acme, video.id, 'youtube')
    )._unsafeUnwrap();
    expect(allowed).toBe(false);
    expect(reason).toBeTruthy();
  });
});
