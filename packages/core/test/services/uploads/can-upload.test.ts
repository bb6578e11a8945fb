import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
import { vbucketsError } from '../../../src/errors';
import {
  createFakePlatformUploader,
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

const acme = { orgId: 'acme' };

function setup() {
  return createVBuckets({
    store: createMemoryStore(),
    blobs: createMemoryBlobStore(),
    clock: createManualClock('2026-02-18T10:00:00.000Z'),
    ids: createSequentialIdGenerator('id'),
    uploaders: [createFakePlatformUploader({ platform: 'youtube' })],
  })._unsafeUnwrap();
}

async function registerClip(sdk: ReturnType<typeof setup>) {
  const registered = await sdk.videos.register(acme, {
    filename: 'clip.mp4',
    body: () => sampleVideoBytes('mp4', 0),
    ownerId: 'user-1',
    mimeType: 'video/mp4',
  });
  return registered._unsafeUnwrap().video;
}

describe('uploads.canUpload', () => {
  // Issue 10 point 5: an unregistered video answered NOT_FOUND, while the docs promise seed 001's "not allowed + reason".
  it('answers [false, reason] for a video that is not registered', async () => {
    const answer = await setup().uploads.canUpload(acme, 'x', 'youtube');
    expect(answer._unsafeUnwrap()).toEqual([false, 'No video "x"']);
  });

  it('answers another org’s video exactly like a missing one', async () => {
    const sdk = setup();
    const video = await registerClip(sdk);
    expect((await sdk.uploads.canUpload(acme, video.id, 'youtube'))._unsafeUnwrap()).toEqual([
      true,
      null,
    ]);
    expect(
      (await sdk.uploads.canUpload({ orgId: 'globex' }, video.id, 'youtube'))._unsafeUnwrap(),
    ).toEqual([false, `No video "${video.id}"`]);
    const missing = (
      await sdk.uploads.canUpload({ orgId: 'globex' }, 'x', 'youtube')
    )._unsafeUnwrap();
    expect(missing).toEqual([false, 'No video "x"']);
  });

  // Issue 17's follow-up: canUpload said yes while upload (and runDue) waited out the backoff.
  it('answers as upload without force would: a retry that is not due yet, then due, then final', async () => {
    const clock = createManualClock('2026-02-18T10:00:00.000Z');
    const youtube = createFakePlatformUploader({ platform: 'youtube' });
    const sdk = createVBuckets({
      store: createMemoryStore(),
      blobs: createMemoryBlobStore(),
      clock,
      ids: createSequentialIdGenerator('id'),
      uploaders: [youtube],
    })._unsafeUnwrap();
    const video = await registerClip(sdk);
    youtube.queueUpload(
      vbucketsError('RATE_LIMITED', '[youtube] quotaExceeded', {
        retryable: true,
        retryAfterMs: 120_000,
      }),
    );
    expect((await sdk.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrapErr().code).toBe(
      'RATE_LIMITED',
    );
    const [allowed, reason] = (
      await sdk.uploads.canUpload(acme, video.id, 'youtube')
    )._unsafeUnwrap();
    expect(allowed).toBe(false);
    expect(reason).toMatch(/^the next automatic attempt is not due until 2026-02-18T10:02:00/);
    // upload agrees: it refuses the same row for the same reason.
    const early = (await sdk.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrapErr();
    expect(early.message).toContain('not due until');

    clock.advance(120_000);
    expect((await sdk.uploads.canUpload(acme, video.id, 'youtube'))._unsafeUnwrap()).toEqual([
      true,
      null,
    ]);
    // The fake's queue is empty now: its answer is a final PROVIDER error.
    const [retried] = (await sdk.uploads.runDue(acme))._unsafeUnwrap();
    expect(retried?.status).toBe('FAILED_FINAL');
    const final = (await sdk.uploads.canUpload(acme, video.id, 'youtube'))._unsafeUnwrap();
    expect(final[0]).toBe(false);
    expect(final[1]).toMatch(/FAILED_FINAL/);
  });

  it('still reports a bad scope as an error rather than an answer', async () => {
    const answer = await setup().uploads.canUpload({ orgId: '' }, 'x', 'youtube');
    expect(answer._unsafeUnwrapErr().code).toBe('VALIDATION');
  });
});
