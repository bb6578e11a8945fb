import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from './memory-blob-store';

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

  it('names itself in error messages and refuses bad options', async () => {
    const store = createMemoryBlobStore();
    const badKey = (await store.get('../x'))._unsafeUnwrapErr();
    expect(badKey.message).toMatch(/^\[memory\] Invalid blob key/);
    const badVisibility = (
      await store.put('x.bin', new Uint8Array(1), { visibility: 'everyone' as 'public' })
    )._unsafeUnwrapErr();
    expect(badVisibility.code).toBe('VALIDATION');
    expect(badVisibility.path).toBe('visibility');
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
    expect(error.message).toMatch(/^\[memory\] Reading the body of "x.bin" failed: source died/);
    expect(error.cause).toBe(cause);
  });
});
