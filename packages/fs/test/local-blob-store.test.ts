import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isSettingsError } from '@vbuckets/core';
import type { BlobStore } from '@vbuckets/core/adapter-kit';
import { describeBlobStoreConformance } from '@vbuckets/testkit';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalBlobStore } from '../src/index';

const scratch = await mkdtemp(path.join(tmpdir(), 'vbuckets-fs-'));
let folders = 0;
/** A fresh, empty folder for one test. */
async function freshFolder(): Promise<string> {
  folders += 1;
  const folder = path.join(scratch, `case-${folders}`);
  await mkdir(folder, { recursive: true });
  return folder;
}

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describeBlobStoreConformance({
  name: 'fs',
  createBlobStore: async () =>
    createLocalBlobStore({ root: path.join(await freshFolder(), 'store') }),
});

async function readBody(store: BlobStore, key: string): Promise<Buffer> {
  const object = (await store.get(key))._unsafeUnwrap();
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.fromWeb(object.body as never)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* failingAfter(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
  throw new Error('source died');
}

describe('createLocalBlobStore', () => {
  let root: string;
  let store: BlobStore;

  beforeEach(async () => {
    root = path.join(await freshFolder(), 'store');
    store = createLocalBlobStore({ root });
  });

  const temporaryFiles = async () => readdir(path.join(root, '.vbuckets', 'tmp')).catch(() => []);

  it('keeps each object as a plain file at <root>/<key>', async () => {
    (
      await store.put('videos/client_7/clip.mp4', Buffer.from('hello'), {
        contentType: 'video/mp4',
      })
    )._unsafeUnwrap();
    expect(await readFile(path.join(root, 'videos', 'client_7', 'clip.mp4'), 'utf8')).toBe('hello');
    expect(await temporaryFiles()).toEqual([]);
  });

  it('stores a Node Readable body (a file read stream)', async () => {
    const source = path.join(await freshFolder(), 'source.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    await writeFile(source, bytes);
    const result = (await store.put('from-file.bin', createReadStream(source)))._unsafeUnwrap();
    expect(result.sizeBytes).toBe(bytes.byteLength);
    expect((await readBody(store, 'from-file.bin')).equals(bytes)).toBe(true);
  });

  it('creates the root on the first write, and reads of a missing root are absent', async () => {
    await expect(stat(root)).rejects.toThrow();
    expect((await store.head('x.bin'))._unsafeUnwrap()).toBeNull();
    expect((await store.get('x.bin'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await store.delete('x.bin')).isOk()).toBe(true);
    expect((await store.put('x.bin', Buffer.from('x'))).isOk()).toBe(true);
    expect((await stat(root)).isDirectory()).toBe(true);
  });

  it('leaves no temp file after a failed put or an aborted one', async () => {
    (await store.put('warm-up.bin', Buffer.from('x')))._unsafeUnwrap();
    const failed = await store.put('failed.bin', failingAfter(Buffer.alloc(200_000, 1)));
    expect(failed._unsafeUnwrapErr().message).toMatch(
      /^Reading the body of "failed.bin" failed: source died/,
    );
    expect(failed._unsafeUnwrapErr()).toMatchObject({ adapter: 'fs', operation: 'blobs.put' });
    const controller = new AbortController();
    const aborted = store.put(
      'aborted.bin',
      (async function* () {
        yield Buffer.alloc(100_000, 2);
        controller.abort();
        yield Buffer.alloc(100_000, 3);
      })(),
      { signal: controller.signal },
    );
    expect((await aborted)._unsafeUnwrapErr().code).toBe('CANCELLED');
    expect(await temporaryFiles()).toEqual([]);
    await expect(stat(path.join(root, 'failed.bin'))).rejects.toThrow();
    await expect(stat(path.join(root, 'aborted.bin'))).rejects.toThrow();
  });

  it('refuses keys in its internal folder, in any letter case', async () => {
    for (const key of ['.vbuckets/tmp/x', '.VBUCKETS/meta/x', '.vbuckets']) {
      const error = (await store.put(key, Buffer.from('x')))._unsafeUnwrapErr();
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toMatch(/^Invalid blob key .*keeps for itself/);
      expect(error).toMatchObject({ adapter: 'fs', operation: 'blobs.put' });
    }
  });

  it('lets a reader see the old bytes or the new during replaces, never a part or a mix', async () => {
    // Without fsync only to be quick: atomicity comes from the rename, not from the flush.
    store = createLocalBlobStore({ root, fsync: false });
    const versions = [Buffer.alloc(512 * 1024, 0xaa), Buffer.alloc(512 * 1024, 0xbb)];
    (await store.put('contended.bin', versions[0]!))._unsafeUnwrap();
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 30; round += 1) {
        (await store.put('contended.bin', versions[(round + 1) % 2]!))._unsafeUnwrap();
      }
      writing = false;
    })();
    let reads = 0;
    while (writing || reads < 30) {
      const bytes = await readBody(store, 'contended.bin');
      expect(bytes.byteLength).toBe(512 * 1024);
      const first = bytes[0];
      expect(first === 0xaa || first === 0xbb).toBe(true);
      expect(
        bytes.every((byte) => byte === first),
        'a read mixed two versions',
      ).toBe(true);
      reads += 1;
    }
    await writer;
  });

  it('pairs the bytes and the metadata of the same put when puts to one key race', async () => {
    store = createLocalBlobStore({ root, fsync: false });
    for (let round = 0; round < 20; round += 1) {
      // Same size on purpose: the sidecar's size check cannot tell the versions apart.
      await Promise.all(
        Array.from({ length: 8 }, (_, writer) =>
          store.put('paired.bin', Buffer.alloc(1000, writer), { contentType: `video/x-${writer}` }),
        ),
      );
      const object = (await store.get('paired.bin'))._unsafeUnwrap();
      const reader = object.body.getReader();
      const { value: firstChunk } = await reader.read();
      await reader.cancel();
      expect(object.contentType).toBe(`video/x-${firstChunk?.[0]}`);
    }
  });

  it('streams the version that was current when get resolved, even if replaced while reading', async () => {
    const old = Buffer.alloc(1024 * 1024, 1);
    (await store.put('replaced.bin', old))._unsafeUnwrap();
    const object = (await store.get('replaced.bin'))._unsafeUnwrap();
    (await store.put('replaced.bin', Buffer.alloc(10, 2)))._unsafeUnwrap();
    const chunks: Buffer[] = [];
    for await (const chunk of Readable.fromWeb(object.body as never)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(old)).toBe(true);
    expect(object.sizeBytes).toBe(old.byteLength);
  });

  it('refuses to follow a symbolic link out of the root, on every method', async () => {
    const outside = await freshFolder();
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    await mkdir(root, { recursive: true });
    await symlink(outside, path.join(root, 'escape'), 'dir');
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt'), 'file');

    const put = (await store.put('escape/planted.txt', Buffer.from('planted')))._unsafeUnwrapErr();
    expect(put.code).toBe('FORBIDDEN');
    expect(put.message).toMatch(/^Blob key "escape\/planted.txt" resolves outside the store root/);
    expect(put).toMatchObject({ adapter: 'fs', operation: 'blobs.put' });
    const deep = (
      await store.put('escape/new/folder/planted.txt', Buffer.from('planted'))
    )._unsafeUnwrapErr();
    expect(deep.code).toBe('FORBIDDEN');
    expect(await readdir(outside)).toEqual(['secret.txt']);

    expect((await store.get('escape/secret.txt'))._unsafeUnwrapErr().code).toBe('FORBIDDEN');
    expect((await store.get('secret-link.txt'))._unsafeUnwrapErr().code).toBe('FORBIDDEN');
    expect((await store.head('escape/secret.txt'))._unsafeUnwrapErr().code).toBe('FORBIDDEN');
    expect((await store.delete('escape/secret.txt'))._unsafeUnwrapErr().code).toBe('FORBIDDEN');
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('follows a symbolic link that stays inside the root', async () => {
    (await store.put('real/clip.mp4', Buffer.from('inside')))._unsafeUnwrap();
    await symlink(path.join(root, 'real'), path.join(root, 'alias'), 'dir');
    expect((await readBody(store, 'alias/clip.mp4')).toString()).toBe('inside');
  });

  it('answers CONFLICT when a key and a key below it would need the same path', async () => {
    (await store.put('a', Buffer.from('file')))._unsafeUnwrap();
    const below = (await store.put('a/b', Buffer.from('x')))._unsafeUnwrapErr();
    expect(below.code).toBe('CONFLICT');
    (await store.put('c/d', Buffer.from('x')))._unsafeUnwrap();
    const above = (await store.put('c', Buffer.from('x')))._unsafeUnwrapErr();
    expect(above.code).toBe('CONFLICT');
    expect(await temporaryFiles()).toEqual([]);
    expect((await readBody(store, 'a')).toString()).toBe('file');
  });

  it('treats a folder as no object: head null, get NOT_FOUND, delete a no-op', async () => {
    (await store.put('folder/inside.bin', Buffer.from('x')))._unsafeUnwrap();
    expect((await store.head('folder'))._unsafeUnwrap()).toBeNull();
    expect((await store.get('folder'))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await store.delete('folder')).isOk()).toBe(true);
    expect((await readBody(store, 'folder/inside.bin')).toString()).toBe('x');
  });

  it('removes folders left empty by a delete, but never the root', async () => {
    (await store.put('deep/er/clip.mp4', Buffer.from('x')))._unsafeUnwrap();
    (await store.put('deep/kept.mp4', Buffer.from('y')))._unsafeUnwrap();
    (await store.delete('deep/er/clip.mp4'))._unsafeUnwrap();
    await expect(stat(path.join(root, 'deep', 'er'))).rejects.toThrow();
    expect((await stat(path.join(root, 'deep'))).isDirectory()).toBe(true);
    (await store.delete('deep/kept.mp4'))._unsafeUnwrap();
    await expect(stat(path.join(root, 'deep'))).rejects.toThrow();
    expect((await stat(root)).isDirectory()).toBe(true);
  });

  it('removes the metadata with the object: a later file under that key has no stale type', async () => {
    (
      await store.put('typed.mp4', Buffer.from('x'), {
        contentType: 'video/mp4',
        visibility: 'public',
      })
    )._unsafeUnwrap();
    (await store.delete('typed.mp4'))._unsafeUnwrap();
    await writeFile(path.join(root, 'typed.mp4'), 'x');
    expect((await store.head('typed.mp4'))._unsafeUnwrap()).toEqual({
      key: 'typed.mp4',
      sizeBytes: 1,
      contentType: undefined,
      visibility: 'private',
    });
  });

  it('serves a file copied in by hand with default metadata, and ignores a sidecar of other bytes', async () => {
    (
      await store.put('hand.mp4', Buffer.from('original'), {
        contentType: 'video/mp4',
        visibility: 'public',
      })
    )._unsafeUnwrap();
    await writeFile(path.join(root, 'hand.mp4'), 'replaced by hand, longer');
    expect((await store.head('hand.mp4'))._unsafeUnwrap()).toMatchObject({
      sizeBytes: 24,
      contentType: undefined,
      visibility: 'private',
    });
  });

  it('round trips with fsync turned off', async () => {
    const fast = createLocalBlobStore({ root, fsync: false });
    const result = (
      await fast.put('fast.bin', Buffer.from('quick'), { contentType: 'text/plain' })
    )._unsafeUnwrap();
    expect(result.sizeBytes).toBe(5);
    expect((await readBody(fast, 'fast.bin')).toString()).toBe('quick');
    expect((await fast.head('fast.bin'))._unsafeUnwrap()?.contentType).toBe('text/plain');
  });

  it('throws nothing for invalid settings: every call answers VALIDATION naming the field', async () => {
    const empty = createLocalBlobStore({ root: '' });
    const put = (await empty.put('x.bin', Buffer.from('x')))._unsafeUnwrapErr();
    expect(put).toMatchObject({
      code: 'VALIDATION',
      path: 'root',
      adapter: 'fs',
      operation: 'blobs.put',
    });
    expect(put.message).toMatch(/^Invalid local blob store settings\.root: must not be empty$/);
    expect(isSettingsError(put)).toBe(true);
    for (const [operation, call] of [
      ['blobs.get', empty.get('x.bin')],
      ['blobs.head', empty.head('x.bin')],
      ['blobs.delete', empty.delete('x.bin')],
    ] as const) {
      expect((await call)._unsafeUnwrapErr()).toMatchObject({ path: 'root', operation });
    }
    const extra = createLocalBlobStore({ root, extra: 1 } as never);
    const unknown = (await extra.head('x.bin'))._unsafeUnwrapErr();
    expect(unknown.code).toBe('VALIDATION');
    expect(unknown.message).toMatch(/^Invalid local blob store settings/);
    // Nothing was created for the refused store.
    await expect(stat(root)).rejects.toThrow();
  });
});
