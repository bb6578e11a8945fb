import { err, ok, type Result } from 'neverthrow';
import { blobBodyChunks, concatBytes } from '../../domain/blob-body';
import { MEDIA_SNIFF_BYTES } from '../../domain/media-types/sniff-content';
import { checkVideoFile, type VideoTypeInfo } from '../../domain/media-types/video-types';
import { toVBucketsError, type VBucketsError, validationError } from '../../errors';
import type { BlobBody, BlobPutResult, BlobStore } from '../../ports/blob-store';
import type { Store } from '../../ports/store';
import type { Scope } from '../../schemas/common';
import type { Video, VideoVisibility } from '../../schemas/video';

/**
 * How a video file enters the SDK, shared by the registry (`videos.register`) and the
 * categorize batches: the type checked on its first bytes before anything is written, the
 * bytes streamed to the BlobStore once, and content already registered in the org reused.
 */

/** Bytes stored under `videos/<org>/<id><extension>`, of a checked video type. */
export interface StoredVideoBytes {
  id: string;
  blob: BlobPutResult;
  type: VideoTypeInfo;
}

/** Why a file was refused (type, size, unreadable): final, unlike a storage failure. */
export interface IntakeRefusal {
  refused: VBucketsError;
}

export interface StoreVideoBytesInput {
  blobs: BlobStore;
  /** The new video's id, which names its blob. */
  id: string;
  /** The client the video belongs to: private keys are `videos/client_{ownerId}/…`. */
  ownerId: string;
  /** Public benchmarks go under `benchmarks/`, and the BlobStore is told (R2 keeps them in the public bucket). */
  visibility: VideoVisibility;
  filename: string;
  /** Opens the bytes; called once. */
  body: () => BlobBody;
  /** Larger files are refused while they stream (`Infinity` for no limit). */
  maxFileBytes: number;
  /** Adapter name in messages, e.g. `videos`. */
  adapter: string;
  signal?: AbortSignal;
}

export function oversizeMessage(filename: string, sizeBytes: number | null, limit: number): string {
  const size = sizeBytes === null ? 'larger than' : `${sizeBytes} bytes, over`;
  return `${JSON.stringify(filename)} is ${size} the limit of ${limit} bytes`;
}

/**
 * Reads the first bytes to check the type (so a refused file writes nothing), then streams
 * the rest to the BlobStore, counting bytes against the size limit as they flow. A refusal
 * (type, size, a body that cannot be opened) is `{ refused }`; anything else is the
 * BlobStore's or the source's error, which may be retryable.
 */
export async function storeVideoBytes(
  input: StoreVideoBytesInput,
): Promise<Result<StoredVideoBytes, VBucketsError | IntakeRefusal>> {
  const { blobs, id, filename, maxFileBytes, adapter, signal, visibility } = input;
  const prefix = videoKeyPrefix(input);
  let source: AsyncGenerator<Uint8Array>;
  try {
    source = blobBodyChunks(input.body(), { adapter, key: prefix, signal });
  } catch (error) {
    return err({
      refused: toVBucketsError(error, 'STORAGE', `${JSON.stringify(filename)} could not be opened`),
    });
  }
  const headChunks: Uint8Array[] = [];
  let total = 0;
  let refusal: VBucketsError | undefined;
  const refuseOversize = () => {
    refusal = validationError(oversizeMessage(filename, null, maxFileBytes), {
      path: 'file',
      details: { reason: 'oversize', filename, maxFileBytes },
    });
    return refusal;
  };
  try {
    while (total < MEDIA_SNIFF_BYTES) {
      const next = await source.next();
      if (next.done) break;
      headChunks.push(next.value);
      total += next.value.byteLength;
      if (total > maxFileBytes) throw refuseOversize();
    }
  } catch (error) {
    void source.return(undefined).catch(() => undefined);
    if (refusal !== undefined) return err({ refused: refusal });
    return err(toVBucketsError(error, 'STORAGE', `Reading ${JSON.stringify(filename)} failed`));
  }
  const type = checkVideoFile(filename, concatBytes(headChunks));
  if (type.isErr()) {
    void source.return(undefined).catch(() => undefined);
    return err({ refused: type.error });
  }
  const body = (async function* () {
    try {
      yield* headChunks;
      for await (const chunk of source) {
        total += chunk.byteLength;
        if (total > maxFileBytes) throw refuseOversize();
        yield chunk;
      }
    } finally {
      await source.return(undefined).catch(() => undefined);
    }
  })();
  const put = await blobs.put(`${prefix}${type.value.extension}`, body, {
    contentType: type.value.mimeType,
    visibility,
    signal,
  });
  // A store that failed before reading the body never started it: close the source here too.
  void source.return(undefined).catch(() => undefined);
  if (put.isOk()) return ok({ id, blob: put.value, type: type.value });
  if (refusal !== undefined) return err({ refused: refusal });
  return err(put.error);
}

/**
 * Where a video's bytes go (DESIGN §5): `videos/client_{ownerId}/{id}` for a client's private
 * video, `benchmarks/{id}` for a public one; the extension of the checked type follows.
 */
export function videoKeyPrefix({
  id,
  ownerId,
  visibility,
}: Pick<StoreVideoBytesInput, 'id' | 'ownerId' | 'visibility'>): string {
  return visibility === 'public'
    ? `benchmarks/${id}`
    : `videos/client_${encodeURIComponent(ownerId)}/${id}`;
}

/** The org's video with this content whose bytes are still stored, or null. */
export async function reusableVideo(
  store: Store,
  blobs: BlobStore,
  scope: Scope,
  sha256: string,
): Promise<Result<Video | null, VBucketsError>> {
  const existing = await store.videos.findBySha256(scope, sha256);
  if (existing.isErr()) return err(existing.error);
  if (existing.value === null) return ok(null);
  // Reuse only a video whose bytes are still there; otherwise register this copy.
  const head = await blobs.head(existing.value.blobKey);
  if (head.isErr()) return err(head.error);
  return ok(head.value === null ? null : existing.value);
}

/** Inserts the video; when that fails, deletes its bytes so nothing is left half-registered. */
export async function insertVideo(
  store: Store,
  blobs: BlobStore,
  video: Video,
): Promise<Result<Video, VBucketsError>> {
  const inserted = await store.videos.insert(video);
  if (inserted.isErr()) await dropBlob(blobs, video.blobKey);
  return inserted;
}

/** Deletes a blob nobody will reference; a failure only leaves an orphan, so it is not an error. */
export async function dropBlob(blobs: BlobStore, key: string): Promise<void> {
  void (await blobs.delete(key));
}

/** A file name without its extension, the default title of a video. */
export function stripExtension(filename: string): string {
  const dot = filename.lastIndexOf('.');
  const stem = dot > 0 ? filename.slice(0, dot) : filename;
  return stem.trim() === '' ? filename : stem;
}
