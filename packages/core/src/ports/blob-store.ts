import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';

export type BlobVisibility = 'public' | 'private';

/** Bytes to store: all at once or as a stream (web or Node), never required whole in memory. */
export type BlobBody = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface BlobPutOptions {
  /** MIME type kept with the object. */
  contentType?: string;
  /** Public objects may be served without a presigned URL. Defaults to `private`. */
  visibility?: BlobVisibility;
  /** Aborts the write; nothing is left behind. */
  signal?: AbortSignal;
}

/** What a write reports, computed while the bytes flowed. */
export interface BlobPutResult {
  key: string;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
}

export interface BlobInfo {
  key: string;
  sizeBytes: number;
  contentType: string | undefined;
  visibility: BlobVisibility;
}

export interface BlobObject extends BlobInfo {
  /** The bytes, streamed. */
  body: ReadableStream<Uint8Array>;
}

/**
 * Where video bytes live. Keys are `/`-separated relative paths; a key with `..`, a leading
 * `/`, a backslash or a NUL is a `VALIDATION` error in every adapter.
 */
export interface BlobStore {
  readonly specificationVersion: 'v1';
  /** Writes (or replaces) an object atomically: readers see the old bytes or the new, never a part. */
  put(
    key: string,
    body: BlobBody,
    options?: BlobPutOptions,
  ): ResultAsync<BlobPutResult, VBucketsError>;
  /** Streams an object; `NOT_FOUND` when absent. */
  get(key: string): ResultAsync<BlobObject, VBucketsError>;
  /** An object's size and type, or null when absent. */
  head(key: string): ResultAsync<BlobInfo | null, VBucketsError>;
  /** Deletes an object; deleting an absent key is not an error. */
  delete(key: string): ResultAsync<void, VBucketsError>;
  /** A URL that reads the object until it expires (optional: local stores cannot presign). */
  presignGet?(key: string, ttlSec: number): ResultAsync<string, VBucketsError>;
  /** The permanent URL of a public object, where the store serves public objects; else null. */
  publicUrl?(key: string): string | null;
}
