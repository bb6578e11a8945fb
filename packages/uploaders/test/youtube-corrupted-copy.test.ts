import { createVBuckets } from '@vbuckets/core';
import {
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
} from '@vbuckets/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK, videoOf, youTubeFixture } from './youtube-test-helpers';

const acme = { orgId: 'acme' };
const SIZE = 3 * CHUNK + 17;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function setup() {
  const { server, uploader } = await youTubeFixture();
  closers.push(() => server.close());
  const blobs = createMemoryBlobStore();
  const sdk = createVBuckets({
    store: createMemoryStore(),
    blobs,
    ids: createSequentialIdGenerator('id'),
    uploaders: [uploader],
  })._unsafeUnwrap();
  const original = new Uint8Array(SIZE);
  for (let index = 0; index < SIZE; index += 1) original[index] = (index * 7 + 3) % 251;
  // An MP4 head (an `ftyp` box), so registration recognises the bytes as a video.
  original.set([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom\0\0\x02\0isomiso2avc1mp41')]);
  const video = (
    await sdk.videos.register(acme, {
      filename: 'clip.mp4',
      body: () => original,
      ownerId: 'user-1',
      mimeType: 'video/mp4',
    })
  )._unsafeUnwrap().video;
  return { sdk, server, blobs, video, original };
}

// Real HTTP to a local server on a shared 2-core machine: room, not a speed bound.
describe('youtube upload of a damaged stored copy', { timeout: 60_000 }, () => {
  // Issue 10 (0b): a copy damaged after registration was posted to YouTube as the registered video.
  it('never finalises the session and says how to repair; the repaired copy then posts', async () => {
    const { sdk, server, blobs, video, original } = await setup();
    const damaged = original.slice();
    damaged[CHUNK + 10] = (damaged[CHUNK + 10] ?? 0) ^ 0xff;
    (await blobs.put(video.blobKey, damaged))._unsafeUnwrap();

    const error = (
      await sdk.uploads.upload(acme, video.id, 'youtube', { title: 'Clip' })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('STORAGE');
    expect(error.message).toContain('corrupted');
    expect(error.message).toContain('vbuckets videos add <file>');
    expect(server.videos.size).toBe(0);
    expect(server.acceptedBytes()).toBeLessThan(SIZE);

    (await blobs.put(video.blobKey, original))._unsafeUnwrap();
    const posted = (
      await sdk.uploads.upload(acme, video.id, 'youtube', { title: 'Clip' })
    )._unsafeUnwrap();
    expect(posted.status).toBe('SUCCESS');
    expect(server.videos.size).toBe(1);
    const bytes = videoOf(server, posted.platformPostId ?? '').bytes;
    expect(Buffer.from(bytes).equals(Buffer.from(original))).toBe(true);
  });

  it('refuses a truncated copy without finalising', async () => {
    const { sdk, server, blobs, video, original } = await setup();
    (await blobs.put(video.blobKey, original.subarray(0, 2 * CHUNK)))._unsafeUnwrap();
    const error = (
      await sdk.uploads.upload(acme, video.id, 'youtube', { title: 'Clip' })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('STORAGE');
    expect(error.message).toContain(`has ${2 * CHUNK} bytes instead of ${SIZE}`);
    expect(server.videos.size).toBe(0);
  });

  // Issue 10 (0c): invalid metadata is refused before a claim, leaving nothing to block the fix.
  it('refuses invalid youtube metadata before contacting the platform or the ledger', async () => {
    const { sdk, server, video } = await setup();
    const error = (
      await sdk.uploads.upload(acme, video.id, 'youtube', { title: 42 })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(server.requests).toEqual([]);
    expect((await sdk.uploads.history(acme, video.id))._unsafeUnwrap()).toEqual([]);
    const posted = await sdk.uploads.upload(acme, video.id, 'youtube', { title: 'Clip' });
    expect(posted._unsafeUnwrap().status).toBe('SUCCESS');
  });
});
