import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
import { VideoRegisterInputSchema } from '../../../src/index';
import {
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

const acme = { orgId: 'acme' };

function setup() {
  const blobs = createMemoryBlobStore();
  const sdk = createVBuckets({
    store: createMemoryStore(),
    blobs,
    ids: createSequentialIdGenerator('id'),
  })._unsafeUnwrap();
  return { sdk, blobs };
}

/** Yields the bytes in small chunks, counting how many were pulled. */
function chunked(bytes: Uint8Array, chunkBytes: number, pulled: { bytes: number }) {
  return async function* () {
    for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
      const chunk = bytes.subarray(offset, offset + chunkBytes);
      pulled.bytes += chunk.byteLength;
      yield chunk;
    }
  };
}

describe('videos.register with maxFileBytes', () => {
  it('refuses a file over the limit while it streams, and stores nothing', async () => {
    const { sdk, blobs } = setup();
    const pulled = { bytes: 0 };
    const bytes = sampleVideoBytes('mp4', 1, 64 * 1024);
    const refused = await sdk.videos.register(acme, {
      filename: 'big.mp4',
      body: () => chunked(bytes, 1024, pulled)(),
      ownerId: 'ana',
      maxFileBytes: 8 * 1024,
    });
    expect(refused._unsafeUnwrapErr()).toMatchObject({
      code: 'VALIDATION',
      path: 'file',
      details: { reason: 'oversize', maxFileBytes: 8 * 1024 },
    });
    expect(refused._unsafeUnwrapErr().message).toMatch(/"big\.mp4" is larger than the limit/);
    // It stopped reading just past the limit instead of draining the whole file.
    expect(pulled.bytes).toBeLessThanOrEqual(8 * 1024 + 1024);
    expect(blobs.keys()).toEqual([]);
    expect((await sdk.videos.list(acme))._unsafeUnwrap()).toEqual([]);
  });

  it('registers a file of exactly the limit', async () => {
    const { sdk } = setup();
    const bytes = sampleVideoBytes('mp4', 2, 4096);
    const registered = await sdk.videos.register(acme, {
      filename: 'fits.mp4',
      body: () => bytes,
      ownerId: 'ana',
      maxFileBytes: 4096,
    });
    expect(registered._unsafeUnwrap().video.sizeBytes).toBe(4096);
  });

  it('checks the limit is a positive integer', async () => {
    const { sdk } = setup();
    const refused = await sdk.videos.register(acme, {
      filename: 'clip.mp4',
      body: () => sampleVideoBytes('mp4'),
      ownerId: 'ana',
      maxFileBytes: 0,
    });
    expect(refused._unsafeUnwrapErr()).toMatchObject({
      code: 'VALIDATION',
      path: 'maxFileBytes',
    });
    expect(VideoRegisterInputSchema.shape.title.safeParse('  ').success).toBe(false);
  });
});
