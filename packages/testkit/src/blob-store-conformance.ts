import type { BlobStore } from '@vbuckets/core/adapter-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBlobStoreErrorMessages } from './blob-store-conformance-error-messages';
import {
  asyncIterableOf,
  concatBytes,
  failingStream,
  generatedStream,
  patternBytes,
  readAll,
  sameBytes,
  sha256Hex,
  splitBytes,
  stalledStream,
  webStreamOf,
} from './blob-test-bodies';
import { expectErrorCode, expectOk, type ResultThenable } from './result-assertions';

export interface BlobStoreConformanceOptions {
  /** Shown in the suite's title, e.g. `fs` or `r2 (s3rver)`. */
  name: string;
  /** Called once before the cases; the cases use unique key prefixes, so a shared backend works. */
  createBlobStore: () => Promise<BlobStore> | BlobStore;
  /** Called once after the cases (remove a temp folder, stop a server). */
  cleanup?: () => Promise<void>;
}

/** Awaits a result that must be an Err, whatever its code (adapters may differ on it). */
async function expectFailure<T>(result: ResultThenable<T>): Promise<void> {
  const settled = await result;
  expect(settled.isErr(), 'expected the call to fail').toBe(true);
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Keys every BlobStore must refuse as VALIDATION before touching its backend. */
const HOSTILE_KEYS = [
  '../x',
  'a/../../x',
  '/abs',
  'a\\b',
  'a\u0000b',
  '',
  '.',
  'a/./b',
  'a/..',
  'a//b',
  'C:/x',
];

/** Keys every BlobStore must keep exactly, however awkward for a file system or a URL. */
const AWKWARD_NAMES = [
  'ünïcödé/日本語 ファイル.mp4',
  'spaces in folder/a name with spaces.mov',
  `quotes/it's a "quoted" name.webm`,
  'symbols/🎬 clip #1 (final) & more%20+plus?.mp4',
];

/**
 * Declares the cases every BlobStore adapter must pass (DESIGN.md §4): streamed round trips
 * with size and SHA-256 computed in the write, whole-or-nothing writes under errors, aborts
 * and concurrency, the shared key rules, kept metadata, and messages for people (the adapter
 * and call in `error.adapter` and `error.operation`, never a `[tag]` in the message).
 */
export function describeBlobStoreConformance(options: BlobStoreConformanceOptions): void {
  describe(`BlobStore conformance: ${options.name}`, () => {
    let store: BlobStore;
    const run = globalThis.crypto.randomUUID().slice(0, 8);
    let cases = 0;
    /** A key under a prefix no other case (or run) uses. */
    const keyFor = (name: string): string => {
      cases += 1;
      return `conformance-${run}/${cases}/${name}`;
    };

    beforeAll(async () => {
      store = await options.createBlobStore();
    });

    afterAll(async () => {
      await options.cleanup?.();
    });

    async function expectStored(key: string, expected: Uint8Array): Promise<void> {
      const object = await expectOk(store.get(key));
      expect(object.key).toBe(key);
      expect(object.sizeBytes).toBe(expected.byteLength);
      const bytes = await readAll(object.body);
      expect(bytes.byteLength).toBe(expected.byteLength);
      expect(sameBytes(bytes, expected), 'stored bytes differ from the bytes put').toBe(true);
    }

    async function expectAbsent(key: string): Promise<void> {
      expect(await expectOk(store.head(key))).toBeNull();
      await expectErrorCode(store.get(key), 'NOT_FOUND');
    }

    it('reports itself as a v1 BlobStore', () => {
      expect(store.specificationVersion).toBe('v1');
    });

    describe('round trips', () => {
      it('stores a Uint8Array and reports its size and SHA-256', async () => {
        const key = keyFor('bytes.bin');
        const bytes = patternBytes(100_003, 1);
        const result = await expectOk(store.put(key, bytes));
        expect(result).toEqual({
          key,
          sizeBytes: bytes.byteLength,
          sha256: await sha256Hex(bytes),
        });
        await expectStored(key, bytes);
      });

      it('stores a web ReadableStream of uneven chunks', async () => {
        const key = keyFor('web-stream.bin');
        const bytes = patternBytes(300_000, 2);
        const result = await expectOk(
          store.put(key, webStreamOf(splitBytes(bytes, [1, 7, 65_536, 100_000, 13]))),
        );
        expect(result.sizeBytes).toBe(bytes.byteLength);
        expect(result.sha256).toBe(await sha256Hex(bytes));
        await expectStored(key, bytes);
      });

      it('stores an AsyncIterable of chunks', async () => {
        const key = keyFor('iterable.bin');
        const bytes = patternBytes(200_000, 3);
        const result = await expectOk(
          store.put(key, asyncIterableOf(splitBytes(bytes, [4096, 1, 50_000]))),
        );
        expect(result.sizeBytes).toBe(bytes.byteLength);
        expect(result.sha256).toBe(await sha256Hex(bytes));
        await expectStored(key, bytes);
      });

      it('reports lower-case hex SHA-256', async () => {
        const result = await expectOk(store.put(keyFor('hex.bin'), patternBytes(10, 4)));
        expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
      });

      it('stores an empty body, given as bytes or as an empty stream', async () => {
        for (const [name, body] of [
          ['empty-bytes', new Uint8Array(0)],
          ['empty-stream', webStreamOf([])],
        ] as const) {
          const key = keyFor(name);
          expect(await expectOk(store.put(key, body))).toEqual({
            key,
            sizeBytes: 0,
            sha256: EMPTY_SHA256,
          });
          expect((await expectOk(store.head(key)))?.sizeBytes).toBe(0);
          await expectStored(key, new Uint8Array(0));
        }
      });

      it('streams a multi-megabyte body made chunk by chunk', { timeout: 60_000 }, async () => {
        const key = keyFor('large.bin');
        const totalBytes = 8 * 1024 * 1024 + 17;
        const result = await expectOk(store.put(key, generatedStream(totalBytes, 64 * 1024, 5)));
        const expected = patternBytes(totalBytes, 5);
        expect(result.sizeBytes).toBe(totalBytes);
        expect(result.sha256).toBe(await sha256Hex(expected));
        await expectStored(key, expected);
      });

      it('returns the body as a web ReadableStream that can be cancelled part-way', async () => {
        const key = keyFor('cancel-read.bin');
        await expectOk(store.put(key, patternBytes(2 * 1024 * 1024, 6)));
        const object = await expectOk(store.get(key));
        expect(typeof object.body.getReader).toBe('function');
        const reader = object.body.getReader();
        const first = await reader.read();
        expect(first.done).toBe(false);
        await reader.cancel();
        await expectOk(store.delete(key));
        await expectAbsent(key);
      });

      it.each(AWKWARD_NAMES)('keeps the key %j exactly', async (name) => {
        const key = keyFor(name);
        const bytes = patternBytes(1000, 7);
        expect((await expectOk(store.put(key, bytes, { contentType: 'video/mp4' }))).key).toBe(key);
        expect(await expectOk(store.head(key))).toEqual({
          key,
          sizeBytes: 1000,
          contentType: 'video/mp4',
          visibility: 'private',
        });
        await expectStored(key, bytes);
        await expectOk(store.delete(key));
        await expectAbsent(key);
      });
    });

    describe('metadata, head, overwrite and delete', () => {
      it('keeps contentType and visibility, and reports them on head and get', async () => {
        const key = keyFor('public.mp4');
        await expectOk(
          store.put(key, patternBytes(10, 8), { contentType: 'video/mp4', visibility: 'public' }),
        );
        const expected = { key, sizeBytes: 10, contentType: 'video/mp4', visibility: 'public' };
        expect(await expectOk(store.head(key))).toEqual(expected);
        const object = await expectOk(store.get(key));
        expect({
          key: object.key,
          sizeBytes: object.sizeBytes,
          contentType: object.contentType,
          visibility: object.visibility,
        }).toEqual(expected);
        await object.body.cancel();
      });

      it('defaults visibility to private', async () => {
        const key = keyFor('private.mp4');
        await expectOk(store.put(key, patternBytes(10, 9), { contentType: 'video/mp4' }));
        expect((await expectOk(store.head(key)))?.visibility).toBe('private');
      });

      it('answers head with null for an absent key', async () => {
        expect(await expectOk(store.head(keyFor('never-written.bin')))).toBeNull();
      });

      it('answers get of an absent key with NOT_FOUND', async () => {
        await expectErrorCode(store.get(keyFor('never-written.bin')), 'NOT_FOUND');
      });

      it('replaces an object on overwrite: bytes, size and metadata', async () => {
        const key = keyFor('overwrite.bin');
        await expectOk(
          store.put(key, patternBytes(50_000, 10), {
            contentType: 'video/mp4',
            visibility: 'public',
          }),
        );
        // Shorter on purpose: a store that writes in place without truncating would keep a tail.
        const second = patternBytes(1_000, 11);
        const result = await expectOk(store.put(key, second, { contentType: 'video/webm' }));
        expect(result.sha256).toBe(await sha256Hex(second));
        expect(await expectOk(store.head(key))).toEqual({
          key,
          sizeBytes: 1_000,
          contentType: 'video/webm',
          visibility: 'private',
        });
        await expectStored(key, second);
      });

      it('deletes an object: get is NOT_FOUND and head is null afterwards', async () => {
        const key = keyFor('delete-me.bin');
        await expectOk(store.put(key, patternBytes(10, 12)));
        await expectOk(store.delete(key));
        await expectAbsent(key);
      });

      it('deletes an absent key without error, twice', async () => {
        const key = keyFor('absent.bin');
        await expectOk(store.delete(key));
        await expectOk(store.delete(key));
      });

      it('deletes only the key given, not its neighbours', async () => {
        const left = keyFor('neighbours/left.bin');
        const right = left.replace('left.bin', 'right.bin');
        await expectOk(store.put(left, patternBytes(10, 13)));
        await expectOk(store.put(right, patternBytes(20, 14)));
        await expectOk(store.delete(left));
        await expectAbsent(left);
        await expectStored(right, patternBytes(20, 14));
      });
    });

    describe('key rules', () => {
      it.each(HOSTILE_KEYS)('refuses the key %j with VALIDATION on every method', async (key) => {
        await expectErrorCode(store.put(key, patternBytes(10, 15)), 'VALIDATION');
        await expectErrorCode(store.get(key), 'VALIDATION');
        await expectErrorCode(store.head(key), 'VALIDATION');
        await expectErrorCode(store.delete(key), 'VALIDATION');
      });

      it('refuses a key outside the store without writing next to it', async () => {
        const base = keyFor('escape');
        const error = await expectErrorCode(
          store.put(`${base}/../../../escaped.bin`, patternBytes(10, 16)),
          'VALIDATION',
        );
        expect(error.message).toMatch(/\.\./);
        expect(await expectOk(store.head(`${base.split('/')[0]}/escaped.bin`))).toBeNull();
      });
    });

    describeBlobStoreErrorMessages({ store: () => store, keyFor });

    describe('whole or nothing', () => {
      it('fails a put whose body errors mid-way and leaves no partial object', async () => {
        const key = keyFor('broken.bin');
        const body = failingStream(
          splitBytes(patternBytes(200_000, 17), [65_536]),
          new Error('source died'),
        );
        await expectFailure(store.put(key, body));
        await expectAbsent(key);
      });

      it('keeps the previous object when an overwrite fails mid-way', async () => {
        const key = keyFor('keep-previous.bin');
        const previous = patternBytes(30_000, 18);
        await expectOk(
          store.put(key, previous, { contentType: 'video/mp4', visibility: 'public' }),
        );
        const body = failingStream(
          splitBytes(patternBytes(200_000, 19), [65_536]),
          new Error('source died'),
        );
        await expectFailure(store.put(key, body, { contentType: 'video/webm' }));
        expect(await expectOk(store.head(key))).toEqual({
          key,
          sizeBytes: previous.byteLength,
          contentType: 'video/mp4',
          visibility: 'public',
        });
        await expectStored(key, previous);
      });

      it('refuses a body chunk that is not bytes and writes nothing', async () => {
        const key = keyFor('not-bytes.bin');
        const body = webStreamOf([patternBytes(10, 20), 'text' as unknown as Uint8Array]);
        await expectFailure(store.put(key, body));
        await expectAbsent(key);
      });

      it('answers an already aborted signal with CANCELLED and writes nothing', async () => {
        const key = keyFor('aborted-before.bin');
        const controller = new AbortController();
        controller.abort(new Error('changed my mind'));
        await expectErrorCode(
          store.put(key, patternBytes(10, 21), { signal: controller.signal }),
          'CANCELLED',
        );
        await expectAbsent(key);
      });

      it('stops a put aborted mid-stream, even on a stalled body, and keeps the previous object', async () => {
        const key = keyFor('aborted-during.bin');
        const previous = patternBytes(5_000, 22);
        await expectOk(store.put(key, previous));
        const controller = new AbortController();
        const { stream, waiting } = stalledStream(patternBytes(65_536, 23));
        const pending = store.put(key, stream, { signal: controller.signal });
        await waiting;
        controller.abort(new Error('user cancelled'));
        await expectFailure(pending);
        await expectStored(key, previous);
      });

      it('stores concurrent puts to different keys, each with its own bytes', async () => {
        const base = keyFor('parallel');
        const bodies = Array.from({ length: 16 }, (_, index) =>
          patternBytes(10_000 + index * 997, 30 + index),
        );
        const results = await Promise.all(
          bodies.map((bytes, index) =>
            expectOk(store.put(`${base}/${index}.bin`, asyncIterableOf(splitBytes(bytes, [4096])))),
          ),
        );
        for (const [index, bytes] of bodies.entries()) {
          expect(results[index]?.sha256).toBe(await sha256Hex(bytes));
          await expectStored(`${base}/${index}.bin`, bytes);
        }
      });

      it('leaves one whole version after concurrent puts to the same key, never a mix', async () => {
        const key = keyFor('contended.bin');
        const writers = Array.from({ length: 8 }, (_, index) => ({
          bytes: patternBytes(1024 * 1024, 50 + index),
          contentType: `video/x-writer-${index}`,
        }));
        // Many chunks with uneven delays interleave the writers' bytes in time, in shifting order.
        const results = await Promise.all(
          writers.map((writer, writerIndex) =>
            expectOk(
              store.put(
                key,
                asyncIterableOf(
                  splitBytes(writer.bytes, [64 * 1024]),
                  (chunk) => (chunk * 7 + writerIndex * 3) % 4,
                ),
                { contentType: writer.contentType },
              ),
            ),
          ),
        );
        for (const [index, writer] of writers.entries()) {
          expect(results[index]?.sha256).toBe(await sha256Hex(writer.bytes));
        }
        const object = await expectOk(store.get(key));
        const stored = await readAll(object.body);
        const winner = writers.find((writer) => sameBytes(writer.bytes, stored));
        expect(winner, 'the stored bytes match no single writer').toBeDefined();
        expect(object.sizeBytes).toBe(stored.byteLength);
        expect(object.contentType).toBe(winner?.contentType);
      });

      it('reports the SHA-256 of what was stored, not of a copy the caller changes afterwards', async () => {
        const key = keyFor('mutated-after.bin');
        const bytes = patternBytes(1_000, 60);
        const original = concatBytes([bytes]);
        const result = await expectOk(store.put(key, bytes));
        bytes.fill(0);
        expect(result.sha256).toBe(await sha256Hex(original));
        await expectStored(key, original);
      });
    });
  });
}
