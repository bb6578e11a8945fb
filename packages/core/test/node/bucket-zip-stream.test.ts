import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { openBucketZipStream } from '../../src/node/bucket-zip-stream';
import { createMemoryBlobStore } from '../../src/testing/memory-blob-store';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const bytesOf = (text: string) => new TextEncoder().encode(text);
const expectedOf = (videoId: string, bytes: Uint8Array) => ({
  videoId,
  sha256: createHash('sha256').update(bytes).digest('hex'),
  sizeBytes: bytes.byteLength,
});

describe('openBucketZipStream', () => {
  it('streams one bucket as a ZIP with safe, unique entry names and its file name', async () => {
    const blobs = createMemoryBlobStore();
    const first = bytesOf('first video');
    const second = bytesOf('second video');
    (await blobs.put('a', first))._unsafeUnwrap();
    (await blobs.put('b', second))._unsafeUnwrap();
    const opened = (
      await openBucketZipStream({
        blobs,
        group: {
          bucketName: 'Gut / Health',
          entries: [
            { filename: '../clip.mp4', blobKey: 'a', expected: expectedOf('v1', first) },
            { filename: 'clip.mp4', blobKey: 'b' },
          ],
        },
      })
    )._unsafeUnwrap();
    expect(opened.fileName).toBe('Gut - Health.zip');
    expect(opened.entries.map((entry) => entry.entryName)).toEqual(['clip.mp4', 'clip (2).mp4']);
    const zip = await JSZip.loadAsync(await collect(opened.stream));
    expect(await zip.file('clip.mp4')?.async('string')).toBe('first video');
    expect(await zip.file('clip (2).mp4')?.async('string')).toBe('second video');
  });

  it('is NOT_FOUND before any byte when a blob is missing', async () => {
    const blobs = createMemoryBlobStore();
    const error = (
      await openBucketZipStream({
        blobs,
        group: { bucketName: 'Sleep', entries: [{ filename: 'gone.mp4', blobKey: 'gone' }] },
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/gone\.mp4.*Sleep/);
  });

  // A corrupted copy must break the download, never end it as if it were complete.
  it('errors the stream instead of ending it when a copy does not match its SHA-256', async () => {
    const blobs = createMemoryBlobStore();
    (await blobs.put('a', bytesOf('tampered')))._unsafeUnwrap();
    const opened = (
      await openBucketZipStream({
        blobs,
        group: {
          bucketName: 'Sleep',
          entries: [
            { filename: 'a.mp4', blobKey: 'a', expected: expectedOf('v1', bytesOf('original')) },
          ],
        },
      })
    )._unsafeUnwrap();
    await expect(collect(opened.stream)).rejects.toMatchObject({ code: 'STORAGE' });
  });
});
