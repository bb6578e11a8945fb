import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_MARGIN_MS } from '../../../src/domain/rate-limit/token-bucket';
import { vbucketsError } from '../../../src/errors';
import {
  createUploadsService,
  type UploadsSettings,
} from '../../../src/services/uploads/uploads-service';
import { createVideosService } from '../../../src/services/videos/videos-service';
import {
  createFakePlatformUploader,
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
  type FakePlatformUploaderCall,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

const acme = { orgId: 'acme' };

/** Uploads service whose rate limiter waits on a manual clock; records when each platform was called. */
async function setup(settings: UploadsSettings) {
  const clock = createManualClock('2026-02-18T10:00:00.000Z');
  const start = clock.now();
  const store = createMemoryStore();
  const blobs = createMemoryBlobStore();
  const ids = createSequentialIdGenerator('id');
  const calledAt: { platform: string; atMs: number }[] = [];
  const record =
    (platform: string) =>
    (_call: FakePlatformUploaderCall): { platformPostId: string } => {
      calledAt.push({ platform, atMs: clock.now() - start });
      return { platformPostId: `${platform}-${calledAt.length}` };
    };
  const youtube = createFakePlatformUploader({ platform: 'youtube', fallback: record('youtube') });
  const tiktok = createFakePlatformUploader({ platform: 'tiktok', fallback: record('tiktok') });
  const uploads = createUploadsService({
    store,
    blobs,
    clock,
    ids,
    uploaders: [youtube, tiktok],
    settings: { random: () => 1, ...settings },
    sleep: async (milliseconds) => {
      clock.advance(milliseconds);
    },
  })._unsafeUnwrap();
  const videos = createVideosService({ store, blobs, clock, ids });
  const videoIds: string[] = [];
  for (let seed = 0; seed < 3; seed += 1) {
    const video = await videos.register(acme, {
      filename: `clip-${seed}.mp4`,
      body: () => sampleVideoBytes('mp4', seed),
      ownerId: 'user-1',
    });
    videoIds.push(video._unsafeUnwrap().video.id);
  }
  return { uploads, youtube, calledAt, videoIds, store };
}

describe('uploads: per-platform rate limits', () => {
  it('spaces the calls of a limited platform and leaves the others alone', async () => {
    const { uploads, calledAt, videoIds } = await setup({ requestsPerMinute: { youtube: 2 } });
    for (const id of videoIds) {
      (await uploads.upload(acme, id, 'youtube'))._unsafeUnwrap();
      (await uploads.upload(acme, id, 'tiktok'))._unsafeUnwrap();
    }
    const youtubeTimes = calledAt.filter((call) => call.platform === 'youtube').map((c) => c.atMs);
    // The third waits for the first to leave the rolling minute, plus the limiter's margin.
    expect(youtubeTimes).toEqual([0, 30_000, 60_000 + DEFAULT_WINDOW_MARGIN_MS]);
    // Each tiktok call follows its youtube call at once: no limit of its own.
    const tiktokTimes = calledAt.filter((call) => call.platform === 'tiktok').map((c) => c.atMs);
    expect(tiktokTimes).toEqual(youtubeTimes);
  });

  it("holds a platform for the retry-after of its RATE_LIMITED answer, and records the row's wait", async () => {
    const { uploads, youtube, calledAt, videoIds, store } = await setup({
      requestsPerMinute: { youtube: 60 },
    });
    youtube.queueUpload(
      vbucketsError('RATE_LIMITED', '[youtube] quotaExceeded', {
        retryable: true,
        retryAfterMs: 120_000,
      }),
    );
    const [first, second] = videoIds as [string, string];
    const limited = (await uploads.upload(acme, first, 'youtube'))._unsafeUnwrapErr();
    expect(limited.code).toBe('RATE_LIMITED');
    const row = (await store.uploads.get(acme, first, 'youtube'))._unsafeUnwrap();
    // A rate limit is not a failure of the video: it does not use up an automatic retry.
    expect(row).toMatchObject({ status: 'RATE_LIMITED', retryCount: 0 });
    expect(Date.parse(row?.nextAttemptAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse('2026-02-18T10:02:00.000Z'),
    );
    // The next video to the same platform waits out the hold instead of hitting the limit again.
    (await uploads.upload(acme, second, 'youtube'))._unsafeUnwrap();
    expect(calledAt.map((call) => call.atMs)).toEqual([120_000]);
  });
});
