import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';

/** Stored bytes that a tool reading local files (the MediaProbe) needs on disk. */
export interface LocalFileSource {
  /** The original file name; its extension is kept, so ffmpeg sees the usual one. */
  filename: string;
  /** Opens the bytes (streamed, never whole in memory); called once. */
  open(): ResultAsync<ReadableStream<Uint8Array>, VBucketsError>;
}

/**
 * Gives stored bytes a local path for the length of one call. Core stays runtime-neutral:
 * on Node, `createTempLocalFiles()` from `@vbuckets/core/node` copies to a temporary folder.
 */
export interface LocalFiles {
  readonly specificationVersion: 'v1';
  /**
   * Runs `use` with a local path holding the source's bytes, then removes any copy it made,
   * whatever `use` answered; `signal` cancels the copy.
   */
  withLocalFile<T>(
    source: LocalFileSource,
    use: (path: string) => ResultAsync<T, VBucketsError>,
    options?: { signal?: AbortSignal },
  ): ResultAsync<T, VBucketsError>;
}
