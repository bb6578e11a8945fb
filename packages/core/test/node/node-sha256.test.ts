import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../src/create-vbuckets';
import { createSha256, type Sha256 } from '../../src/domain/sha256';
import { nodeSha256 } from '../../src/node/node-sha256';
import { createMemoryBlobStore, createMemoryStore } from '../../src/testing/index';
import { sampleVideoBytes } from '../domain/media-types/sample-video-bytes';

describe('nodeSha256', () => {
  it('gives the digest of the pure-TypeScript SHA-256 for the same chunks', () => {
    const chunks = [0, 1, 63, 64, 65, 1000, 70_000].map((size) => randomBytes(size));
    const native = nodeSha256();
    const portable = createSha256();
    for (const chunk of chunks) {
      native.update(chunk);
      portable.update(chunk);
    }
    const expected = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
    expect(native.digestHex()).toBe(expected);
    expect(portable.digestHex()).toBe(expected);
  });

  it('is what videos.verify hashes with when createVBuckets is given it', async () => {
    let hashed = 0;
    const counting = (): Sha256 => {
      const inner = nodeSha256();
      return {
        update: (chunk) => {
          hashed += chunk.byteLength;
          inner.update(chunk);
        },
        digestHex: () => inner.digestHex(),
      };
    };
    const vb = createVBuckets({
      store: createMemoryStore(),
      blobs: createMemoryBlobStore(),
      sha256: counting,
    })._unsafeUnwrap();
    const scope = { orgId: 'acme' };
    const { video } = (
      await vb.videos.register(scope, {
        filename: 'clip.mp4',
        body: () => sampleVideoBytes('mp4', 1, 150_000),
        ownerId: 'user-1',
      })
    )._unsafeUnwrap();
    expect((await vb.videos.verify(scope, video.id))._unsafeUnwrap().status).toBe('ok');
    expect(hashed).toBe(150_000);
  });
});
