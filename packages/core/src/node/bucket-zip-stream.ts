import type { Readable } from 'node:stream';
import { ResultAsync } from 'neverthrow';
import type { Sha256 } from '../domain/sha256';
import { cancelledError, toVBucketsError, type VBucketsError, withErrorSource } from '../errors';
import type { BlobStore } from '../ports/blob-store';
import {
  type BucketZipGroup,
  bucketFileNames,
  bucketZip,
  planZip,
  type WrittenBucketZipEntry,
  writtenEntries,
} from './bucket-zip';
import { nodeSha256 } from './node-sha256';

export interface BucketZipStreamOptions {
  /** Where the videos are read from. */
  blobs: BlobStore;
  /** The bucket and its videos, in archive order. */
  group: BucketZipGroup;
  /** Aborting ends the stream with CANCELLED. */
  signal?: AbortSignal;
  /** Modification time of the entries. Default: now. */
  date?: Date;
  /** The incremental SHA-256 entries with `expected` bytes are checked with (default node:crypto's). */
  sha256?: () => Sha256;
}

/** An opened bucket ZIP: the archive as a stream, and what it holds. */
export interface BucketZipStream {
  /** The archive; it fails (an `error` event, a VBucketsError) rather than end early. */
  stream: Readable;
  /** `<safe bucket name>.zip`, for a download's file name. */
  fileName: string;
  entries: WrittenBucketZipEntry[];
}

/**
 * One bucket's ZIP as a stream (for an HTTP download): every blob is checked to exist and the
 * archive to fit without ZIP64 first (NOT_FOUND or VALIDATION before a byte is written), then
 * the videos stream one at a time from the BlobStore with bounded memory, each checked against
 * its registered SHA-256 and size when `expected` is given. A failure after that (a blob
 * vanishing, a corrupted copy) errors the stream instead of ending it, so a consumer can tell a
 * broken archive from a complete one.
 */
export function openBucketZipStream(
  options: BucketZipStreamOptions,
): ResultAsync<BucketZipStream, VBucketsError> {
  const { blobs, group } = options;
  return ResultAsync.fromPromise(
    (async () => {
      if (options.signal?.aborted) {
        throw cancelledError('The bucket ZIP was aborted', { cause: options.signal.reason });
      }
      const [fileName] = bucketFileNames([group.bucketName]);
      const plan = await planZip(blobs, group, 0, fileName ?? 'bucket.zip');
      return {
        stream: bucketZip(blobs, plan, {
          signal: options.signal,
          date: options.date ?? new Date(),
          sha256: options.sha256 ?? nodeSha256,
        }),
        fileName: plan.fileName,
        entries: writtenEntries(plan),
      };
    })(),
    (error) =>
      withErrorSource(toVBucketsError(error, 'STORAGE', 'Opening the bucket ZIP failed'), SOURCE),
  );
}

const SOURCE = { adapter: 'zip', operation: 'openBucketZipStream' };
