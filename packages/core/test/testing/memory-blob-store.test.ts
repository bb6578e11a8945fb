import { describe, expect, it } from 'vitest';
import { isSettingsError } from '../../src/errors';
import { createManualClock } from '../../src/testing/manual-clock';
import { createMemoryBlobStore } from '../../src/testing/memory-blob-store';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for (const reader = stream.getReader(); ; ) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

describe('createMemoryBlobStore', () => {
  it('lists the keys it holds, so a test can assert what was written', async () => {
    const store = createMemoryBlobStore();
    (await store.put('b/2.bin', new Uint8Array([2])))._unsafeUnwrap();
    (await store.put('a/1.bin', new Uint8Array([1])))._unsafeUnwrap();
    const aborted = await store.put('broken.bin', new Uint8Array([1]), {
      signal: AbortSignal.abort(),
    });
    expect(aborted._unsafeUnwrapErr().code).toBe('CANCELLED');
    expect(store.keys()).toEqual(['a/1.bin', 'b/2.bin']);
    (await store.delete('a/1.bin'))._unsafeUnwrap();
    expect(store.keys()).toEqual(['b/2.bin']);
  });

  it('streams large objects in several chunks, not as one', async () => {
    const store = createMemoryBlobStore();
    (await store.put('large.bin', new Uint8Array(200_000)))._unsafeUnwrap();
    const object = (await store.get('large.bin'))._unsafeUnwrap();
    const chunks = await readAll(object.body);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(200_000);
  });

  it('hands out copies: writing into a read chunk does not change the stored object', async () => {
    const store = createMemoryBlobStore();
    (await store.put('kept.bin', new Uint8Array([1, 2, 3])))._unsafeUnwrap();
    const [chunk] = await readAll((await store.get('kept.bin'))._unsafeUnwrap().body);
    chunk?.fill(9);
    const [again] = await readAll((await store.get('kept.bin'))._unsafeUnwrap().body);
    expect(Array.from(again ?? [])).toEqual([1, 2, 3]);
  });

  it('names itself in the error fields, not the message, and refuses bad options', async () => {
    const store = createMemoryBlobStore();
    const badKey = (await store.get('../x'))._unsafeUnwrapErr();
    expect(badKey.message).toMatch(/^Invalid blob key "..\/x"/);
    expect(badKey).toMatchObject({ adapter: 'memory', operation: 'blobs.get' });
    const badVisibility = (
      await store.put('x.bin', new Uint8Array(1), { visibility: 'everyone' as 'public' })
    )._unsafeUnwrapErr();
    expect(badVisibility.code).toBe('VALIDATION');
    expect(badVisibility.path).toBe('visibility');
    expect(badVisibility).toMatchObject({ adapter: 'memory', operation: 'blobs.put' });
    expect(store.keys()).toEqual([]);
  });

  it('turns a body error into STORAGE with the cause kept', async () => {
    const store = createMemoryBlobStore();
    const cause = new Error('source died');
    async function* body(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1);
      throw cause;
    }
    const error = (await store.put('x.bin', body()))._unsafeUnwrapErr();
    expect(error.code).toBe('STORAGE');
    expect(error.message).toBe('Reading the body of "x.bin" failed: source died');
    expect(error).toMatchObject({ adapter: 'memory', operation: 'blobs.put' });
    expect(error.cause).toBe(cause);
  });

  it('cannot presign or give public URLs unless told how', async () => {
    const store = createMemoryBlobStore();
    (await store.put('open.bin', new Uint8Array([1]), { visibility: 'public' }))._unsafeUnwrap();
    expect(store.presignGet).toBeUndefined();
    expect(store.publicUrl?.('open.bin')).toBeNull();
  });

  it('presigns deterministically from its clock, with the key segments encoded', async () => {
    const clock = createManualClock('2026-01-01T00:00:00.000Z');
    const store = createMemoryBlobStore({ presignBaseUrl: 'https://blobs.test/signed/', clock });
    const url = (await store.presignGet?.('videos/client_a b/1.mp4', 3600))?._unsafeUnwrap();
    expect(url).toBe(
      `https://blobs.test/signed/videos/client_a%20b/1.mp4?expires=${Date.parse('2026-01-01T00:00:00.000Z') / 1000 + 3600}`,
    );
    for (const ttlSec of [0, 604_801, 2.5]) {
      const error = (await store.presignGet?.('a.bin', ttlSec))?._unsafeUnwrapErr();
      expect(error?.code).toBe('VALIDATION');
    }
    const badKey = (await store.presignGet?.('../escape', 60))?._unsafeUnwrapErr();
    expect(badKey?.code).toBe('VALIDATION');
  });

  it('gives a public URL only for objects put as public', async () => {
    const store = createMemoryBlobStore({ publicBaseUrl: 'https://cdn.test' });
    (
      await store.put('benchmarks/1.mp4', new Uint8Array([1]), { visibility: 'public' })
    )._unsafeUnwrap();
    (await store.put('videos/private.mp4', new Uint8Array([2])))._unsafeUnwrap();
    expect(store.publicUrl?.('benchmarks/1.mp4')).toBe('https://cdn.test/benchmarks/1.mp4');
    expect(store.publicUrl?.('videos/private.mp4')).toBeNull();
    expect(store.publicUrl?.('absent.mp4')).toBeNull();
    expect(store.presignGet).toBeUndefined();
  });

  it('answers every call with VALIDATION for a base URL that is not absolute, and throws nothing', async () => {
    const store = createMemoryBlobStore({
      presignBaseUrl: 'https://blobs.test',
      publicBaseUrl: '/relative',
    });
    const put = (await store.put('a.bin', new Uint8Array([1])))._unsafeUnwrapErr();
    expect(put).toMatchObject({
      code: 'VALIDATION',
      path: 'publicBaseUrl',
      adapter: 'memory',
      operation: 'blobs.put',
    });
    expect(put.message).toMatch(/^Invalid memory blob store settings\.publicBaseUrl: /);
    expect(isSettingsError(put)).toBe(true);
    expect((await store.get('a.bin'))._unsafeUnwrapErr().operation).toBe('blobs.get');
    expect((await store.head('a.bin'))._unsafeUnwrapErr().path).toBe('publicBaseUrl');
    expect((await store.delete('a.bin'))._unsafeUnwrapErr().code).toBe('VALIDATION');
    expect((await store.presignGet?.('a.bin', 60))?._unsafeUnwrapErr().code).toBe('VALIDATION');
    expect(store.publicUrl?.('a.bin')).toBeNull();
    expect(store.keys()).toEqual([]);
  });
});
