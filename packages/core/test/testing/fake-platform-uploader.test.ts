import { okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { vbucketsError } from '../../src/errors';
import type { UploadableVideo } from '../../src/ports/platform-uploader';
import type { UploadCheckpoint } from '../../src/schemas/upload';
import { createFakePlatformUploader } from '../../src/testing/fake-platform-uploader';

const video: UploadableVideo = {
  videoId: 'video-1',
  title: 'Clip',
  filename: 'clip.mp4',
  mimeType: 'video/mp4',
  sizeBytes: 10,
  sha256: 'a'.repeat(64),
  open: () => okAsync(new ReadableStream<Uint8Array>()),
};

describe('createFakePlatformUploader', () => {
  it('records uploads and answers successes and failures in order', async () => {
    const uploader = createFakePlatformUploader({ platform: 'youtube' });
    uploader.queueUpload(vbucketsError('RATE_LIMITED', 'quota', { retryAfterMs: 30_000 }), {
      platformPostId: 'yt-1',
      url: 'https://youtu.be/yt-1',
    });

    const first = (await uploader.upload(video, { title: 'Clip' }))._unsafeUnwrapErr();
    const second = (await uploader.upload(video, { title: 'Clip' }))._unsafeUnwrap();

    expect([first.code, first.retryAfterMs]).toEqual(['RATE_LIMITED', 30_000]);
    expect(second).toEqual({ platformPostId: 'yt-1', url: 'https://youtu.be/yt-1' });
    expect(uploader.platform).toBe('youtube');
    expect(uploader.calls.map((call) => call.metadata)).toEqual([
      { title: 'Clip' },
      { title: 'Clip' },
    ]);
  });

  it('lets a scripted answer report checkpoints, as a resumable upload does', async () => {
    const uploader = createFakePlatformUploader();
    uploader.queueUpload(async (call) => {
      await call.options?.onCheckpoint?.({ sessionId: 'session-9', offset: 5 });
      return vbucketsError('PROVIDER', 'connection reset', { retryable: true });
    });
    const checkpoints: UploadCheckpoint[] = [];

    const result = await uploader.upload(
      video,
      {},
      { onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint) },
    );

    expect(result._unsafeUnwrapErr().retryable).toBe(true);
    expect(checkpoints).toEqual([{ sessionId: 'session-9', offset: 5 }]);
  });

  it('fails with a final PROVIDER error when nothing is queued', async () => {
    const error = (await createFakePlatformUploader().upload(video, {}))._unsafeUnwrapErr();
    expect([error.code, error.retryable]).toEqual(['PROVIDER', false]);
  });
});
