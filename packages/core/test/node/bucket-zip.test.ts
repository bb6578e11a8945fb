import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notFoundError, toVBucketsError } from '../../src/errors';
import { writeBucketZips } from '../../src/node/bucket-zip';
import type { BlobObject, BlobStore } from '../../src/ports/blob-store';
import { createMemoryBlobStore, type MemoryBlobStore } from '../../src/testing/memory-blob-store';

const run = promisify(execFile);

let directory: string;
let outDir: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'vbuckets-bucket-zip-'));
  outDir = path.join(directory, 'out');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/**
 * A minimal BlobStore over files in a folder, streaming with node:fs: core tests do not
 * import the @vbuckets/fs adapter, and the memory store would hold large videos in memory.
 */
function createFolderBlobStore(root: string): BlobStore {
  const fileOf = (key: string) => path.join(root, ...key.split('/'));
  return {
    specificationVersion: 'v1',
    put: () => errAsync(toVBucketsError(new Error('read-only'), 'STORAGE', '[folder] put')),
    get: (key) =>
      ResultAsync.fromPromise(
        (async (): Promise<BlobObject> => {
          const handle = await open(fileOf(key), 'r');
          const { size } = await handle.stat();
          const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
          return { key, sizeBytes: size, contentType: 'video/mp4', visibility: 'private', body };
        })(),
        (error) =>
          (error as { code?: string }).code === 'ENOENT'
            ? notFoundError(`[folder] No blob under ${JSON.stringify(key)}`)
            : toVBucketsError(error, 'STORAGE', '[folder] get'),
      ),
    head: (key) =>
      ResultAsync.fromPromise(
        stat(fileOf(key)).then(
          (stats) => ({
            key,
            sizeBytes: stats.size,
            contentType: 'video/mp4',
            visibility: 'private' as const,
          }),
          () => null,
        ),
        (error) => toVBucketsError(error, 'STORAGE', '[folder] head'),
      ),
    delete: (key) =>
      ResultAsync.fromPromise(rm(fileOf(key), { force: true }), (error) =>
        toVBucketsError(error, 'STORAGE', '[folder] delete'),
      ),
  };
}

async function storeWith(blobs: Record<string, Uint8Array>): Promise<MemoryBlobStore> {
  const store = createMemoryBlobStore();
  for (const [key, bytes] of Object.entries(blobs)) {
    const put = await store.put(key, bytes);
    if (put.isErr()) throw put.error;
  }
  return store;
}

async function unzipBytes(file: string, name: string): Promise<Buffer> {
  const { stdout } = await run('/usr/bin/unzip', ['-p', file, name], {
    encoding: 'buffer',
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** SHA-256 of an entry as the unzip binary extracts it, streamed (the entry may be large). */
function unzipSha256(file: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/unzip', ['-p', file, name], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const hash = createHash('sha256');
    child.stdout.on('data', (chunk: Buffer) => hash.update(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(hash.digest('hex')) : reject(new Error(`unzip exited with ${code}`)),
    );
  });
}

const listing = async (folder: string) => (await readdir(folder).catch(() => [])).sort();

describe('writeBucketZips', () => {
  it('writes one ZIP per bucket, with safe and unique file and entry names', async () => {
    const clipA = randomBytes(3000);
    const clipB = randomBytes(70_000);
    const clipC = randomBytes(10);
    const blobs = await storeWith({ 'v/a': clipA, 'v/b': clipB, 'v/c': clipC });

    const result = await writeBucketZips({
      blobs,
      outDir,
      groups: [
        {
          bucketName: 'Gym/Fitness',
          entries: [
            { filename: 'clip.mp4', blobKey: 'v/a' },
            { filename: 'uploads/CLIP.MP4', blobKey: 'v/b' },
            { filename: '../CON.mov', blobKey: 'v/c' },
          ],
        },
        { bucketName: 'gym-fitness', entries: [{ filename: 'b.mp4', blobKey: 'v/b' }] },
        { bucketName: 'Pets: "cats"?', entries: [{ filename: 'c.mp4', blobKey: 'v/c' }] },
      ],
    });

    const written = result._unsafeUnwrap();
    expect(written.map((zip) => path.basename(zip.path))).toEqual([
      'Gym-Fitness.zip',
      'gym-fitness (2).zip',
      'Pets cats.zip',
    ]);
    expect(await listing(outDir)).toEqual([
      'Gym-Fitness.zip',
      'Pets cats.zip',
      'gym-fitness (2).zip',
    ]);
    const [first] = written;
    expect(first!.bucketName).toBe('Gym/Fitness');
    expect(first!.path).toBe(path.join(path.resolve(outDir), 'Gym-Fitness.zip'));
    expect(first!.bytes).toBe((await stat(first!.path)).size);
    expect(first!.entries).toEqual([
      { filename: 'clip.mp4', entryName: 'clip.mp4', blobKey: 'v/a', sizeBytes: 3000 },
      {
        filename: 'uploads/CLIP.MP4',
        entryName: 'CLIP (2).MP4',
        blobKey: 'v/b',
        sizeBytes: 70_000,
      },
      { filename: '../CON.mov', entryName: '_CON.mov', blobKey: 'v/c', sizeBytes: 10 },
    ]);

    const { stdout } = await run('/usr/bin/unzip', ['-t', first!.path]);
    expect(stdout).toContain('No errors detected');
    expect((await unzipBytes(first!.path, 'clip.mp4')).equals(clipA)).toBe(true);
    expect((await unzipBytes(first!.path, 'CLIP (2).MP4')).equals(clipB)).toBe(true);
    expect((await unzipBytes(first!.path, '_CON.mov')).equals(clipC)).toBe(true);
    expect((await unzipBytes(written[1]!.path, 'b.mp4')).equals(clipB)).toBe(true);
  });

  it('streams large videos from a file-backed store and round-trips them exactly', async () => {
    const root = path.join(directory, 'blobs');
    await mkdir(path.join(root, 'videos'), { recursive: true });
    const hashes: string[] = [];
    for (let index = 0; index < 3; index++) {
      // 64 MiB of distinct 1 MiB blocks: quick to make, and a misplaced block changes the hash.
      const hash = createHash('sha256');
      const handle = await open(path.join(root, 'videos', `${index}.mp4`), 'w');
      const block = randomBytes(1024 * 1024);
      for (let position = 0; position < 64; position++) {
        block.writeUInt32BE(index * 1000 + position, 0);
        hash.update(block);
        await handle.write(block);
      }
      await handle.close();
      hashes.push(hash.digest('hex'));
    }

    const result = await writeBucketZips({
      blobs: createFolderBlobStore(root),
      outDir,
      groups: [
        {
          bucketName: 'Big',
          entries: [0, 1, 2].map((index) => ({
            filename: `take ${index}.mp4`,
            blobKey: `videos/${index}.mp4`,
          })),
        },
      ],
    });

    const [zip] = result._unsafeUnwrap();
    expect(zip!.entries.map((entry) => entry.sizeBytes)).toEqual([2 ** 26, 2 ** 26, 2 ** 26]);
    const { stdout } = await run('/usr/bin/unzip', ['-t', zip!.path]);
    expect(stdout).toContain('No errors detected');
    for (const index of [0, 1, 2]) {
      expect(await unzipSha256(zip!.path, `take ${index}.mp4`)).toBe(hashes[index]);
    }
  }, 60_000);

  it('writes a valid, empty ZIP for a bucket without videos', async () => {
    const result = await writeBucketZips({
      blobs: createMemoryBlobStore(),
      outDir,
      groups: [{ bucketName: 'Nothing yet', entries: [] }],
    });
    const [zip] = result._unsafeUnwrap();
    expect(zip!.entries).toEqual([]);
    const loaded = await JSZip.loadAsync(await readFile(zip!.path));
    expect(Object.keys(loaded.files)).toEqual([]);
  });

  it('returns an empty list and writes nothing for no groups', async () => {
    const result = await writeBucketZips({ blobs: createMemoryBlobStore(), outDir, groups: [] });
    expect(result._unsafeUnwrap()).toEqual([]);
    expect(await listing(outDir)).toEqual([]);
  });

  it('replaces a ZIP of the same name', async () => {
    await mkdir(outDir);
    await writeFile(path.join(outDir, 'Gym.zip'), 'old export');
    const blobs = await storeWith({ 'v/a': Uint8Array.of(1, 2) });
    const result = await writeBucketZips({
      blobs,
      outDir,
      groups: [{ bucketName: 'Gym', entries: [{ filename: 'a.mp4', blobKey: 'v/a' }] }],
    });
    expect(result.isOk()).toBe(true);
    expect(await listing(outDir)).toEqual(['Gym.zip']);
    expect((await unzipBytes(path.join(outDir, 'Gym.zip'), 'a.mp4')).equals(Buffer.of(1, 2))).toBe(
      true,
    );
  });
});

describe('writeBucketZips failures leave nothing behind', () => {
  it('reports a missing blob as NOT_FOUND naming the file and bucket, before writing anything', async () => {
    const blobs = await storeWith({ 'v/a': randomBytes(100) });
    const result = await writeBucketZips({
      blobs,
      outDir,
      groups: [
        { bucketName: 'First', entries: [{ filename: 'fine.mp4', blobKey: 'v/a' }] },
        {
          bucketName: 'Second',
          entries: [
            { filename: 'fine.mp4', blobKey: 'v/a' },
            { filename: 'lost clip.mp4', blobKey: 'v/missing' },
          ],
        },
      ],
    });
    const error = result._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(
      '"lost clip.mp4" of bucket "Second" is not in the blob store (key "v/missing")',
    );
    expect(error).toMatchObject({ adapter: 'zip', operation: 'writeBucketZips' });
    expect(error.details).toMatchObject({
      bucketName: 'Second',
      filename: 'lost clip.mp4',
      blobKey: 'v/missing',
    });
    expect(await listing(outDir)).toEqual([]);
  });

  it('reports a blob deleted after the check as NOT_FOUND naming the file, leaving nothing', async () => {
    const inner = await storeWith({ 'v/a': randomBytes(100), 'v/b': randomBytes(100) });
    const blobs: BlobStore = {
      ...inner,
      get: (key) =>
        key === 'v/b'
          ? errAsync(notFoundError(`No blob under ${JSON.stringify(key)}`))
          : inner.get(key),
    };
    const result = await writeBucketZips({
      blobs,
      outDir,
      groups: [
        { bucketName: 'One', entries: [{ filename: 'a.mp4', blobKey: 'v/a' }] },
        { bucketName: 'Two', entries: [{ filename: 'gone.mp4', blobKey: 'v/b' }] },
      ],
    });
    const error = result._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('"gone.mp4"');
    expect(error.details).toMatchObject({ bucketName: 'Two', filename: 'gone.mp4' });
    // The complete ZIP of "One" is not kept either: the export is all or nothing.
    expect(await listing(outDir)).toEqual([]);
  });

  it('fails with STORAGE when a video stream breaks mid-way, keeping the previous export', async () => {
    await mkdir(outDir);
    await writeFile(path.join(outDir, 'Gym.zip'), 'previous export');
    const inner = await storeWith({ 'v/a': randomBytes(1000), 'v/b': randomBytes(1000) });
    const blobs: BlobStore = {
      ...inner,
      get: (key) => {
        if (key !== 'v/b') return inner.get(key);
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 2) controller.enqueue(randomBytes(64 * 1024));
            else controller.error(new Error('connection reset'));
          },
        });
        return okAsync({
          key,
          sizeBytes: 1000,
          contentType: undefined,
          visibility: 'private',
          body,
        });
      },
    };
    const result = await writeBucketZips({
      blobs,
      outDir,
      groups: [
        {
          bucketName: 'Gym',
          entries: [
            { filename: 'a.mp4', blobKey: 'v/a' },
            { filename: 'b.mp4', blobKey: 'v/b' },
          ],
        },
      ],
    });
    const error = result._unsafeUnwrapErr();
    expect(error.code).toBe('STORAGE');
    expect(error.message).toMatch(/^Reading "b\.mp4" failed: connection reset/u);
    expect(error.message).toContain('connection reset');
    expect(error.details).toMatchObject({ bucketName: 'Gym' });
    expect(error).toMatchObject({ adapter: 'zip', operation: 'createZipStream' });
    expect(await listing(outDir)).toEqual(['Gym.zip']);
    expect(await readFile(path.join(outDir, 'Gym.zip'), 'utf8')).toBe('previous export');
  });

  it('stops with CANCELLED when aborted mid-way', async () => {
    const controller = new AbortController();
    const inner = await storeWith({ 'v/a': randomBytes(1000) });
    const blobs: BlobStore = {
      ...inner,
      get: (key) => {
        let pulls = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(stream) {
            if (++pulls === 3) controller.abort();
            stream.enqueue(randomBytes(64 * 1024));
          },
        });
        return okAsync({
          key,
          sizeBytes: 1000,
          contentType: undefined,
          visibility: 'private',
          body,
        });
      },
    };
    const result = await writeBucketZips({
      blobs,
      outDir,
      signal: controller.signal,
      groups: [{ bucketName: 'Gym', entries: [{ filename: 'endless.mp4', blobKey: 'v/a' }] }],
    });
    expect(result._unsafeUnwrapErr().code).toBe('CANCELLED');
    expect(await listing(outDir)).toEqual([]);
  });

  it('stops with CANCELLED before starting when the signal is already aborted', async () => {
    const blobs = await storeWith({ 'v/a': randomBytes(10) });
    const result = await writeBucketZips({
      blobs,
      outDir,
      signal: AbortSignal.abort(),
      groups: [{ bucketName: 'Gym', entries: [{ filename: 'a.mp4', blobKey: 'v/a' }] }],
    });
    expect(result._unsafeUnwrapErr().code).toBe('CANCELLED');
    expect(await listing(outDir)).toEqual([]);
  });

  it('refuses a bucket over 4 GiB (no ZIP64) with VALIDATION, without reading a byte', async () => {
    let reads = 0;
    const blobs: BlobStore = {
      ...createMemoryBlobStore(),
      head: (key) =>
        okAsync({ key, sizeBytes: 3 * 2 ** 30, contentType: undefined, visibility: 'private' }),
      get: () => {
        reads += 1;
        return errAsync(notFoundError('not expected'));
      },
    };
    const result = await writeBucketZips({
      blobs,
      outDir,
      groups: [
        {
          bucketName: 'Huge',
          entries: [
            { filename: 'a.mp4', blobKey: 'v/a' },
            { filename: 'b.mp4', blobKey: 'v/b' },
          ],
        },
      ],
    });
    const error = result._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/"Huge".*6\.00 GiB.*4 GiB/u);
    expect(error.path).toBe('groups.0');
    expect(reads).toBe(0);
    expect(await listing(outDir)).toEqual([]);
  });

  it('refuses malformed input with VALIDATION naming the field', async () => {
    const result = await writeBucketZips({
      blobs: createMemoryBlobStore(),
      outDir,
      groups: [{ bucketName: 'Gym', entries: [{ filename: 'a.mp4', blobKey: '' }] }],
    });
    const error = result._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('groups.0.entries.0.blobKey');
  });

  it('reports an unwritable destination as STORAGE', async () => {
    await writeFile(path.join(directory, 'a-file'), '');
    const blobs = await storeWith({ 'v/a': randomBytes(10) });
    const result = await writeBucketZips({
      blobs,
      outDir: path.join(directory, 'a-file', 'out'),
      groups: [{ bucketName: 'Gym', entries: [{ filename: 'a.mp4', blobKey: 'v/a' }] }],
    });
    expect(result._unsafeUnwrapErr().code).toBe('STORAGE');
  });
});
