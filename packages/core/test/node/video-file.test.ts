import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVBuckets } from '../../src/create-vbuckets';
import { videoFile } from '../../src/node/video-file';
import { createMemoryBlobStore, createMemoryStore } from '../../src/testing/index';
import { sampleVideoBytes } from '../domain/media-types/sample-video-bytes';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vbuckets-video-file-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('videoFile', () => {
  it('registers a local file by streaming it, named by its base name', async () => {
    const path = join(directory, 'Hook A.mov');
    const bytes = sampleVideoBytes('mov', 1, 300_000);
    await writeFile(path, bytes);
    const blobs = createMemoryBlobStore();
    const vb = createVBuckets({ store: createMemoryStore(), blobs })._unsafeUnwrap();
    const input = videoFile(path);
    expect(input).toMatchObject({ filename: 'Hook A.mov', probePath: path });
    const { video, created } = (
      await vb.videos.register({ orgId: 'acme' }, { ...input, ownerId: 'user-1' })
    )._unsafeUnwrap();
    expect(created).toBe(true);
    expect(video).toMatchObject({ filename: 'Hook A.mov', title: 'Hook A', sizeBytes: 300_000 });
    const stored = (await blobs.get(video.blobKey))._unsafeUnwrap();
    expect(new Uint8Array(await new Response(stored.body).arrayBuffer())).toEqual(bytes);
  });

  it('makes a missing file a STORAGE error of register, storing nothing', async () => {
    const blobs = createMemoryBlobStore();
    const vb = createVBuckets({ store: createMemoryStore(), blobs })._unsafeUnwrap();
    const missing = await vb.videos.register(
      { orgId: 'acme' },
      { ...videoFile(join(directory, 'gone.mp4')), ownerId: 'user-1' },
    );
    expect(missing._unsafeUnwrapErr().code).toBe('STORAGE');
    expect(missing._unsafeUnwrapErr().message).toMatch(/gone\.mp4/);
    expect(blobs.keys()).toEqual([]);
  });
});
