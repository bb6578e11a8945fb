import { errAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
import { vbucketsError } from '../../../src/errors';
import type { Store } from '../../../src/ports/store';
import {
  createFakeMediaProbe,
  createFakePlatformUploader,
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
  makeMediaInfo,
} from '../../../src/testing/index';
import { PNG_BYTES, sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

const acme = { orgId: 'acme' };

function setup(store: Store = createMemoryStore()) {
  const blobs = createMemoryBlobStore();
  const mediaProbe = createFakeMediaProbe({ fallbackProbe: makeMediaInfo({ durationSec: 12.5 }) });
  const sdk = createVBuckets({
    store,
    blobs,
    clock: createManualClock('2026-02-18T10:00:00.000Z'),
    ids: createSequentialIdGenerator('id'),
    mediaProbe,
    uploaders: [
      createFakePlatformUploader({ platform: 'youtube', fallback: { platformPostId: 'post-1' } }),
    ],
  })._unsafeUnwrap();
  return { sdk, blobs, mediaProbe };
}

function register(
  sdk: ReturnType<typeof setup>['sdk'],
  body: Uint8Array,
  fields: { filename?: string; strict?: boolean; probePath?: string } = {},
) {
  return sdk.videos
    .register(acme, {
      filename: fields.filename ?? 'clip.mp4',
      body: () => body,
      ownerId: 'user-1',
      ...(fields.strict === undefined ? {} : { strict: fields.strict }),
      ...(fields.probePath === undefined ? {} : { probePath: fields.probePath }),
    })
    .map(({ video }) => video);
}

describe('videos.register', () => {
  it('stores the bytes, records hash, size, type from the content and the probed duration', async () => {
    const { sdk, blobs, mediaProbe } = setup();
    const bytes = sampleVideoBytes('webm', 1, 4096);
    const video = (
      await register(sdk, bytes, { filename: 'Morning Routine.webm', probePath: '/tmp/x.webm' })
    )._unsafeUnwrap();
    expect(video).toMatchObject({
      orgId: 'acme',
      ownerId: 'user-1',
      title: 'Morning Routine',
      filename: 'Morning Routine.webm',
      sizeBytes: 4096,
      mimeType: 'video/webm',
      durationSec: 12.5,
      duplicateAllowed: false,
    });
    expect(video.blobKey).toBe(`videos/client_user-1/${video.id}.webm`);
    const stored = (await blobs.get(video.blobKey))._unsafeUnwrap();
    expect(new Uint8Array(await new Response(stored.body).arrayBuffer())).toEqual(bytes);
    expect(mediaProbe.calls).toEqual([{ method: 'probe', path: '/tmp/x.webm' }]);
  });

  // Issue 10: the first 1 KiB of an MP4 was registered as a video.
  it('refuses a file the probe cannot decode and stores nothing; does not probe without a path', async () => {
    const { sdk, mediaProbe, blobs } = setup();
    mediaProbe.queueProbe(vbucketsError('MEDIA', 'ffprobe could not read the file (exit 1)'));
    const refused = (
      await register(sdk, sampleVideoBytes('mp4', 1), { probePath: '/tmp/a.mp4' })
    )._unsafeUnwrapErr();
    expect(refused.code).toBe('MEDIA');
    expect(refused.message).toMatch(/corrupt or truncated/);
    expect(blobs.keys()).toEqual([]);
    expect((await sdk.videos.list(acme))._unsafeUnwrap()).toEqual([]);
    const unprobed = (await register(sdk, sampleVideoBytes('mp4', 2)))._unsafeUnwrap();
    expect(unprobed.durationSec).toBeNull();
    expect(mediaProbe.calls).toHaveLength(1);
  });

  it('passes a retryable probe failure on and stores nothing', async () => {
    const { sdk, mediaProbe, blobs } = setup();
    mediaProbe.queueProbe(vbucketsError('MEDIA', 'ffprobe timed out', { retryable: true }));
    const failed = (
      await register(sdk, sampleVideoBytes('mp4', 1), { probePath: '/tmp/a.mp4' })
    )._unsafeUnwrapErr();
    expect(failed).toMatchObject({ code: 'MEDIA', retryable: true });
    expect(blobs.keys()).toEqual([]);
  });

  it('refuses what is not an accepted video before writing anything', async () => {
    const { sdk, blobs } = setup();
    const cases = [
      { filename: 'photo.png', body: PNG_BYTES, message: /photo\.png/ },
      { filename: 'fake.mp4', body: PNG_BYTES, message: /not an accepted video/ },
      { filename: 'empty.mp4', body: new Uint8Array(0), message: /empty/ },
    ];
    for (const { filename, body, message } of cases) {
      const refused = (await register(sdk, body, { filename }))._unsafeUnwrapErr();
      expect(refused.code).toBe('VALIDATION');
      expect(refused.message).toMatch(message);
    }
    expect(blobs.keys()).toEqual([]);
    expect((await sdk.videos.list(acme))._unsafeUnwrap()).toEqual([]);
  });

  it('returns the registered video for identical content, or CONFLICT when strict, keeping one blob', async () => {
    const { sdk, blobs } = setup();
    const bytes = sampleVideoBytes('mp4', 3);
    const input = { filename: 'clip.mp4', body: () => bytes, ownerId: 'user-1' };
    const first = (await sdk.videos.register(acme, input))._unsafeUnwrap();
    expect(first.created).toBe(true);
    const again = (
      await sdk.videos.register(acme, { ...input, filename: 'copy.mov' })
    )._unsafeUnwrap();
    expect(again).toEqual({ video: first.video, created: false, repaired: false });
    const strict = (await register(sdk, bytes, { strict: true }))._unsafeUnwrapErr();
    expect(strict.code).toBe('CONFLICT');
    expect(strict.details).toMatchObject({ videoId: first.video.id, sha256: first.video.sha256 });
    expect(blobs.keys()).toEqual([first.video.blobKey]);
  });

  it('registers a new copy when the earlier video lost its bytes', async () => {
    const { sdk, blobs } = setup();
    const bytes = sampleVideoBytes('mp4', 4);
    const first = (await register(sdk, bytes))._unsafeUnwrap();
    (await blobs.delete(first.blobKey))._unsafeUnwrap();
    const second = (await register(sdk, bytes))._unsafeUnwrap();
    expect(second.id).toBe(first.id);
    expect(blobs.keys()).toEqual([first.blobKey]);
    expect((await sdk.videos.verify(acme, first.id))._unsafeUnwrap().status).toBe('ok');
  });

  // Issue 10: re-adding the good original kept the damaged stored copy.
  it('repairs a damaged or missing stored copy when the original is registered again', async () => {
    const { sdk, blobs } = setup();
    const bytes = sampleVideoBytes('mp4', 6);
    const { video } = (
      await sdk.videos.register(acme, {
        filename: 'clip.mp4',
        body: () => bytes,
        ownerId: 'user-1',
      })
    )._unsafeUnwrap();
    const damaged = bytes.slice();
    damaged[100] = (damaged[100] ?? 0) ^ 0xff;
    (await blobs.put(video.blobKey, damaged))._unsafeUnwrap();
    expect((await sdk.videos.verify(acme, video.id))._unsafeUnwrap().status).toBe('corrupted');

    const again = (
      await sdk.videos.register(acme, {
        filename: 'clip.mp4',
        body: () => bytes,
        ownerId: 'user-1',
      })
    )._unsafeUnwrap();
    expect(again).toMatchObject({ created: false, repaired: true, video: { id: video.id } });
    expect((await sdk.videos.verify(acme, video.id))._unsafeUnwrap().status).toBe('ok');
    expect(blobs.keys()).toEqual([video.blobKey]);

    (await blobs.delete(video.blobKey))._unsafeUnwrap();
    const restored = (await register(sdk, bytes))._unsafeUnwrap();
    expect(restored.id).toBe(video.id);
    expect((await sdk.videos.verify(acme, video.id))._unsafeUnwrap().status).toBe('ok');
  });

  it('deletes the stored bytes when the registry insert fails', async () => {
    const memory = createMemoryStore();
    const failing: Store = {
      ...memory,
      videos: {
        ...memory.videos,
        register: () =>
          errAsync(vbucketsError('STORAGE', '[store] disk full', { retryable: true })),
      },
    };
    const { sdk, blobs } = setup(failing);
    const refused = (await register(sdk, sampleVideoBytes('mp4', 5)))._unsafeUnwrapErr();
    expect(refused.message).toBe('[store] disk full');
    expect(blobs.keys()).toEqual([]);
  });

  it('refuses invalid input with the field path', async () => {
    const { sdk } = setup();
    const missingOwner = await sdk.videos.register(acme, {
      filename: 'a.mp4',
      body: () => sampleVideoBytes('mp4'),
      ownerId: '',
    });
    expect(missingOwner._unsafeUnwrapErr()).toMatchObject({ code: 'VALIDATION' });
    expect(missingOwner._unsafeUnwrapErr().path).toContain('ownerId');
    const throwing = await sdk.videos.register(acme, {
      filename: 'a.mp4',
      body: () => {
        throw new Error('EACCES: permission denied');
      },
      ownerId: 'user-1',
    });
    expect(throwing._unsafeUnwrapErr().message).toMatch(/could not be opened/);
  });
});

describe('videos.list, get, setDuplicateAllowed', () => {
  it('lists videos with the status of each platform they were posted to', async () => {
    const { sdk } = setup();
    const posted = (await register(sdk, sampleVideoBytes('mp4', 6)))._unsafeUnwrap();
    const fresh = (await register(sdk, sampleVideoBytes('mp4', 7)))._unsafeUnwrap();
    (await sdk.uploads.upload(acme, posted.id, 'youtube'))._unsafeUnwrap();
    const listed = (await sdk.videos.list(acme))._unsafeUnwrap();
    const byId = new Map(listed.map((video) => [video.id, video.uploads]));
    expect(byId.get(posted.id)).toEqual({ youtube: 'SUCCESS' });
    expect(byId.get(fresh.id)).toEqual({});
    expect((await sdk.videos.get({ orgId: 'globex' }, posted.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
  });

  it('allows and forbids duplicates per video', async () => {
    const { sdk } = setup();
    const video = (await register(sdk, sampleVideoBytes('mp4', 8)))._unsafeUnwrap();
    expect(
      (await sdk.videos.setDuplicateAllowed(acme, video.id, true))._unsafeUnwrap().duplicateAllowed,
    ).toBe(true);
    expect((await sdk.videos.get(acme, video.id))._unsafeUnwrap().duplicateAllowed).toBe(true);
    expect(
      (await sdk.videos.setDuplicateAllowed(acme, video.id, false))._unsafeUnwrap()
        .duplicateAllowed,
    ).toBe(false);
  });
});

describe('videos.verify', () => {
  it('reports ok, corrupted and missing bytes', async () => {
    const { sdk, blobs } = setup();
    const video = (await register(sdk, sampleVideoBytes('mp4', 9, 200_000)))._unsafeUnwrap();
    expect((await sdk.videos.verify(acme, video.id))._unsafeUnwrap().status).toBe('ok');
    (await blobs.put(video.blobKey, sampleVideoBytes('mp4', 10, 200_000)))._unsafeUnwrap();
    const corrupted = (await sdk.videos.verify(acme, video.id))._unsafeUnwrap();
    expect(corrupted.status).toBe('corrupted');
    expect(corrupted.actual?.sizeBytes).toBe(200_000);
    expect(corrupted.actual?.sha256).not.toBe(video.sha256);
    (await blobs.delete(video.blobKey))._unsafeUnwrap();
    expect((await sdk.videos.verify(acme, video.id))._unsafeUnwrap()).toMatchObject({
      status: 'missing',
      actual: null,
    });
    expect((await sdk.videos.verify({ orgId: 'globex' }, video.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('createVBuckets', () => {
  it('returns VALIDATION for invalid uploads settings instead of throwing', () => {
    const composed = createVBuckets({
      store: createMemoryStore(),
      blobs: createMemoryBlobStore(),
      uploads: { leaseMs: -1 },
    });
    expect(composed._unsafeUnwrapErr()).toMatchObject({ code: 'VALIDATION', path: 'leaseMs' });
  });
});
