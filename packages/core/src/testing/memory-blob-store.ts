import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import { abortedBlobWrite, blobBodyChunks, concatBytes } from '../domain/blob-body';
import { validateBlobKey } from '../domain/blob-keys';
import {
  notFoundError,
  settingsError,
  toVBucketsError,
  type VBucketsError,
  validationError,
  withErrorSource,
} from '../errors';
import type {
  BlobBody,
  BlobInfo,
  BlobObject,
  BlobPutOptions,
  BlobPutResult,
  BlobStore,
  BlobVisibility,
} from '../ports/blob-store';
import { type Clock, systemClock } from '../ports/clock';

/** Optional URL behaviour of the memory BlobStore, for tests of code that hands out URLs. */
export interface MemoryBlobStoreSettings {
  /**
   * Gives the store `presignGet`, answering `{presignBaseUrl}/{key}?expires={epoch seconds}`;
   * without it the store cannot presign, like a local one.
   */
  presignBaseUrl?: string;
  /** Gives `publicUrl` a `{publicBaseUrl}/{key}` answer for objects put as `public` (else null). */
  publicBaseUrl?: string;
  /** The time presigned URLs expire from; defaults to the wall clock. */
  clock?: Clock;
}

/** A BlobStore held in memory, for tests and demos. */
export interface MemoryBlobStore extends BlobStore {
  /** The keys held, sorted: lets a test assert what was (not) written. */
  keys(): string[];
}

interface StoredBlob {
  bytes: Uint8Array;
  contentType: string | undefined;
  visibility: BlobVisibility;
}

const ADAPTER = 'memory';
/** The longest presigned URL the real stores hand out (S3 / R2: 7 days). */
const MAX_PRESIGN_TTL_SEC = 604_800;
/** Size of the chunks `get` streams, so consumers see a real multi-chunk stream. */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * An in-memory BlobStore that keeps the contract of the real ones: the same key rules,
 * whole-or-nothing writes (a failed or aborted put leaves the previous bytes), SHA-256 of
 * what was written. It buffers each body whole, so it suits tests, not large videos.
 * Runs in any runtime with Web Crypto (Node, Bun, Deno, workers). Like every factory it
 * throws nothing: with a base URL that is not absolute, every call answers that VALIDATION error.
 */
export function createMemoryBlobStore(settings: MemoryBlobStoreSettings = {}): MemoryBlobStore {
  const presignBase = baseUrl(settings.presignBaseUrl, 'presignBaseUrl');
  const publicBase = baseUrl(settings.publicBaseUrl, 'publicBaseUrl');
  if (presignBase.isErr()) return refusingStore(presignBase.error, true);
  if (publicBase.isErr()) return refusingStore(publicBase.error, presignBase.value !== null);
  return memoryStore(presignBase.value, publicBase.value, settings.clock ?? systemClock);
}

const at = (operation: string) => (error: VBucketsError) =>
  withErrorSource(error, { adapter: ADAPTER, operation });

function memoryStore(
  presignBase: string | null,
  publicBase: string | null,
  clock: Clock,
): MemoryBlobStore {
  const objects = new Map<string, StoredBlob>();

  const checkedKey = (key: string): Result<string, VBucketsError> =>
    validateBlobKey(key, { adapter: ADAPTER });

  const presignGet =
    presignBase === null
      ? undefined
      : (key: string, ttlSec: number): ResultAsync<string, VBucketsError> => {
          const checked = checkedKey(key);
          if (checked.isErr()) return errAsync(at('blobs.presignGet')(checked.error));
          if (!Number.isInteger(ttlSec) || ttlSec < 1 || ttlSec > MAX_PRESIGN_TTL_SEC) {
            return errAsync(
              validationError(
                `ttlSec must be an integer from 1 to ${MAX_PRESIGN_TTL_SEC}, got ${ttlSec}`,
                { path: 'ttlSec', adapter: ADAPTER, operation: 'blobs.presignGet' },
              ),
            );
          }
          const expires = Math.floor(clock.now() / 1000) + ttlSec;
          return okAsync(`${presignBase}/${encodeKey(key)}?expires=${expires}`);
        };

  return {
    specificationVersion: 'v1',
    ...(presignGet === undefined ? {} : { presignGet }),

    publicUrl(key) {
      if (publicBase === null || checkedKey(key).isErr()) return null;
      return objects.get(key)?.visibility === 'public' ? `${publicBase}/${encodeKey(key)}` : null;
    },

    put(key, body, options = {}) {
      const checked = checkedKey(key).andThen(() => checkPutOptions(options));
      if (checked.isErr()) return errAsync(at('blobs.put')(checked.error));
      const visibility = checked.value;
      return ResultAsync.fromPromise(collectBody(key, body, options.signal), (error) =>
        toVBucketsError(error, 'STORAGE', `Reading the body of ${JSON.stringify(key)} failed`),
      )
        .andThen((bytes) =>
          ResultAsync.fromPromise(sha256Hex(bytes), (error) =>
            toVBucketsError(error, 'STORAGE', `Hashing ${JSON.stringify(key)} failed`),
          ).andThen((sha256): ResultAsync<BlobPutResult, VBucketsError> => {
            // An abort that lands while hashing still wins: the caller was told nothing is written.
            if (options.signal?.aborted)
              return errAsync(abortedBlobWrite(ADAPTER, key, options.signal));
            objects.set(key, { bytes, contentType: options.contentType, visibility });
            return okAsync({ key, sizeBytes: bytes.byteLength, sha256 });
          }),
        )
        .mapErr(at('blobs.put'));
    },

    get(key) {
      const checked = checkedKey(key);
      if (checked.isErr()) return errAsync(at('blobs.get')(checked.error));
      const stored = objects.get(key);
      if (stored === undefined) {
        return errAsync(
          notFoundError(`No blob under ${JSON.stringify(key)}`, {
            details: { key },
            adapter: ADAPTER,
            operation: 'blobs.get',
          }),
        );
      }
      const object: BlobObject = { ...infoOf(key, stored), body: streamOf(stored.bytes) };
      return okAsync(object);
    },

    head(key) {
      const checked = checkedKey(key);
      if (checked.isErr()) return errAsync(at('blobs.head')(checked.error));
      const stored = objects.get(key);
      return okAsync(stored === undefined ? null : infoOf(key, stored));
    },

    delete(key) {
      const checked = checkedKey(key);
      if (checked.isErr()) return errAsync(at('blobs.delete')(checked.error));
      objects.delete(key);
      return okAsync(undefined);
    },

    keys() {
      return [...objects.keys()].sort();
    },
  };
}

/** The store of invalid settings: every call answers the settings error, nothing is kept. */
function refusingStore(refusal: VBucketsError, presigns: boolean): MemoryBlobStore {
  const refuse = (operation: string) => errAsync(at(operation)(refusal));
  return {
    specificationVersion: 'v1',
    ...(presigns ? { presignGet: () => refuse('blobs.presignGet') } : {}),
    publicUrl: () => null,
    put: () => refuse('blobs.put'),
    get: () => refuse('blobs.get'),
    head: () => refuse('blobs.head'),
    delete: () => refuse('blobs.delete'),
    keys: () => [],
  };
}

function baseUrl(value: string | undefined, name: string): Result<string | null, VBucketsError> {
  if (value === undefined) return ok(null);
  if (typeof value !== 'string' || !URL.canParse(value)) {
    return err(
      settingsError(
        validationError(
          `Invalid memory blob store settings.${name}: must be an absolute URL, got ${JSON.stringify(value)}`,
          { path: name },
        ),
      ),
    );
  }
  return ok(value.replace(/\/+$/, ''));
}

/** Each path segment percent-encoded, the slashes kept. */
function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function infoOf(key: string, stored: StoredBlob): BlobInfo {
  return {
    key,
    sizeBytes: stored.bytes.byteLength,
    contentType: stored.contentType,
    visibility: stored.visibility,
  };
}

function checkPutOptions(options: BlobPutOptions): Result<BlobVisibility, VBucketsError> {
  const visibility = options.visibility ?? 'private';
  if (visibility !== 'public' && visibility !== 'private') {
    return err(validationError('visibility must be "public" or "private"', { path: 'visibility' }));
  }
  if (options.contentType !== undefined && typeof options.contentType !== 'string') {
    return err(validationError('contentType must be a string', { path: 'contentType' }));
  }
  return ok(visibility);
}

async function collectBody(
  key: string,
  body: BlobBody,
  signal: AbortSignal | undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of blobBodyChunks(body, { adapter: ADAPTER, key, signal })) {
    chunks.push(chunk);
  }
  // Copying (even a single chunk) means a caller reusing its buffer cannot change what we hold.
  return concatBytes(chunks);
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(offset + READ_CHUNK_BYTES, bytes.byteLength);
      // A copy, so a consumer writing into its chunk cannot change the stored object.
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
  });
}
