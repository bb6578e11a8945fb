import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
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

describe('uploads.canUpload', () => {
  // Issue 10 point 5: an unregistered video answered NOT_FOUND, while the docs promise seed 001's "not allowed + reason".
  it('answers [false, reason] for a video that is not registered', async () => {
    const answer = await setup().uploads.canUpload(acme, 'x', 'youtube');
    expect(answer._unsafeUnwrap()).toEqual([false, 'No video "x"']);
  });

  it('answers another org’s video exactly like a missing one', async () => {
    const sdk = setup();
    const video = (
      await sdk.videos.register(acme, {
        filename: 'clip.mp4',
        body: () => sampleVideoBytes('mp4', 0),
        ownerId: 'user-1',
        mimeType: 'video/mp4',
      })
    )._unsafeUnwrap().video;
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

  it('still reports a bad scope as an error rather than an answer', async () => {
    const answer = await setup().uploads.canUpload({ orgId: '' }, 'x', 'youtube');
    expect(answer._unsafeUnwrapErr().code).toBe('VALIDATION');
  });
});
