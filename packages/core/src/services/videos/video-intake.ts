import { err, ok, type Result } from 'neverthrow';
import { blobBodyChunks, concatBytes } from '../../domain/blob-body';
import { MEDIA_SNIFF_BYTES } from '../../domain/media-types/sniff-content';
import { checkVideoFile, type VideoTypeInfo } from '../../domain/media-types/video-types';
import type { Sha256 } from '../../domain/sha256';
import { toVBucketsError, VBucketsError, validationError } from '../../errors';
import type { BlobBody, BlobPutResult, BlobStore } from '../../ports/blob-store';
import type { MediaInfo, MediaProbe } from '../../ports/media-probe';
import type { Store } from '../../ports/store';
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
  /** What reads the bytes, kept in the error's `adapter` field, e.g. `videos`. */
  adapter: string;
  /** The public call that reads them, kept in the error's `operation` field, e.g. `videos.register`. */
  operation: string;
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
  const { blobs, id, filename, maxFileBytes, adapter, operation, signal, visibility } = input;
  const prefix = videoKeyPrefix(input);
  let source: AsyncGenerator<Uint8Array>;
  try {
    source = blobBodyChunks(input.body(), { adapter, operation, key: prefix, signal });
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

/** What registering freshly stored bytes did. */
export interface RegisteredStoredVideo {
  video: Video;
  /** False when the org already had a video with this content, which is returned. */
  created: boolean;
  /** True when that video's stored copy was missing or damaged and was rewritten from these bytes. */
  repaired: boolean;
}

export interface RegisterStoredVideoDependencies {
  store: Store;
  blobs: BlobStore;
  /** The incremental SHA-256 a stored copy is checked with. */
  sha256: () => Sha256;
}

/**
 * Registers a video whose bytes were just stored (and hashed) under `video.blobKey`. The store
 * decides between concurrent registrations of one content (a unique key, never a read then an
 * insert): the loser's bytes are deleted and it is told the winner. When the org's existing
 * video has lost or damaged its stored copy, these verified bytes repair it first.
 */
export async function registerStoredVideo(
  { store, blobs, sha256 }: RegisterStoredVideoDependencies,
  video: Video,
): Promise<Result<RegisteredStoredVideo, VBucketsError>> {
  const registered = await store.videos.register(video);
  if (registered.isErr() || registered.value.created) {
    if (registered.isErr()) await dropBlob(blobs, video.blobKey);
    return registered.map((value) => ({ ...value, repaired: false }));
  }
  const existing = registered.value.video;
  const check = await checkStoredCopy(blobs, existing, sha256);
  const repaired =
    check.isOk() && check.value.status !== 'ok'
      ? await copyBlob(blobs, video.blobKey, existing)
      : ok(false);
  await dropBlob(blobs, video.blobKey);
  if (check.isErr()) return err(check.error);
  return repaired.map((didRepair) => ({ video: existing, created: false, repaired: didRepair }));
}

/** What a re-read of a video's stored bytes found. */
export interface StoredCopyCheck {
  status: 'ok' | 'missing' | 'corrupted';
  expected: { sha256: string; sizeBytes: number };
  /** Null when the bytes are missing. */
  actual: { sha256: string; sizeBytes: number } | null;
}

/** Re-reads a video's stored bytes (streamed) and compares their size and SHA-256 with the registry's. */
export async function checkStoredCopy(
  blobs: BlobStore,
  video: Video,
  sha256: () => Sha256,
): Promise<Result<StoredCopyCheck, VBucketsError>> {
  const expected = { sha256: video.sha256, sizeBytes: video.sizeBytes };
  const head = await blobs.head(video.blobKey);
  if (head.isErr()) return err(head.error);
  if (head.value === null) return ok({ status: 'missing', expected, actual: null });
  const object = await blobs.get(video.blobKey);
  if (object.isErr()) {
    return object.error.code === 'NOT_FOUND'
      ? ok({ status: 'missing', expected, actual: null })
      : err(object.error);
  }
  try {
    const actual = await hashStream(object.value.body, sha256());
    const intact = actual.sha256 === expected.sha256 && actual.sizeBytes === expected.sizeBytes;
    return ok({ status: intact ? 'ok' : 'corrupted', expected, actual });
  } catch (error) {
    return err(toVBucketsError(error, 'STORAGE', `Reading video ${video.id} failed`));
  }
}

/** Rewrites `target`'s stored copy (atomically, as every BlobStore writes) from the blob at `sourceKey`. */
async function copyBlob(
  blobs: BlobStore,
  sourceKey: string,
  target: Video,
): Promise<Result<boolean, VBucketsError>> {
  const source = await blobs.get(sourceKey);
  if (source.isErr()) return err(source.error);
  const written = await blobs.put(target.blobKey, source.value.body, {
    contentType: target.mimeType,
    visibility: target.visibility,
  });
  if (written.isErr()) return err(written.error);
  if (written.value.sha256 !== target.sha256 || written.value.sizeBytes !== target.sizeBytes) {
    return err(
      new VBucketsError(
        'STORAGE',
        `The repaired copy of video ${target.id} does not match its SHA-256`,
        {
          retryable: true,
          details: { videoId: target.id, key: target.blobKey },
        },
      ),
    );
  }
  return ok(true);
}

async function hashStream(
  body: ReadableStream<Uint8Array>,
  hash: Sha256,
): Promise<{ sha256: string; sizeBytes: number }> {
  let sizeBytes = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      hash.update(next.value);
      sizeBytes += next.value.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  return { sha256: hash.digestHex(), sizeBytes };
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

/**
 * Probes a file before it becomes a video. A file the probe cannot decode (corrupt, truncated,
 * not a video) is refused with a `MEDIA` error that says so; a retryable failure (a timeout)
 * or a cancellation is passed on as it is.
 */
export async function probeIntake(
  probe: MediaProbe,
  path: string,
  filename: string,
  signal?: AbortSignal,
): Promise<Result<MediaInfo, VBucketsError>> {
  const probed = await (signal === undefined ? probe.probe(path) : probe.probe(path, { signal }));
  if (probed.isOk() || probed.error.code !== 'MEDIA' || probed.error.retryable) return probed;
  return err(
    new VBucketsError(
      'MEDIA',
      `${JSON.stringify(filename)} is not a playable video: the file is corrupt or truncated, or not a video (${probed.error.message})`,
      { cause: probed.error, details: { filename, reason: 'undecodable' } },
    ),
  );
}
