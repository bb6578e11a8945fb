import type { Result, ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { UploadCheckpoint } from '../schemas/upload';

/** The video as an uploader sees it. */
export interface UploadableVideo {
  videoId: string;
  title: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  /** Opens the bytes from `offset` (for resuming). */
  open(offset?: number): ResultAsync<ReadableStream<Uint8Array>, VBucketsError>;
  /** A URL the platform can fetch the video from, where the BlobStore can presign one. */
  publicUrl?(): ResultAsync<string, VBucketsError>;
}

export interface PlatformUploadOptions {
  /** Cancels the upload. */
  signal?: AbortSignal;
  /** Where an earlier attempt got to; resume that platform session instead of starting again. */
  checkpoint?: UploadCheckpoint | null;
  /** Called whenever the platform confirms progress; the store keeps the latest. */
  onCheckpoint?(checkpoint: UploadCheckpoint): void | Promise<void>;
  /** Bytes sent so far, for progress bars. */
  onProgress?(sentBytes: number, totalBytes: number): void;
}

/** A finished upload. */
export interface UploadSuccess {
  platformPostId: string;
  url?: string;
}

/**
 * Posts a video to one platform. A failure is a VBucketsError whose `code` and `retryable`
 * say what to do: `RATE_LIMITED` (with `retryAfterMs`), retryable `PROVIDER`, or final.
 */
export interface PlatformUploader {
  readonly specificationVersion: 'v1';
  /** The platform name, e.g. `youtube`. */
  readonly platform: string;
  /**
   * Checks the platform metadata without any I/O. The uploads service calls it before it claims
   * anything, so a VALIDATION error leaves no upload row, attempt or audit event behind.
   */
  validateMetadata?(metadata: Record<string, unknown>): Result<unknown, VBucketsError>;
  /** Uploads one video with the platform metadata (title, caption, tags…). */
  upload(
    video: UploadableVideo,
    metadata: Record<string, unknown>,
    options?: PlatformUploadOptions,
  ): ResultAsync<UploadSuccess, VBucketsError>;
}
