import { err, ok, type Result } from 'neverthrow';
import { blobBodyChunks } from '../../domain/blob-body';
import { MEDIA_SNIFF_BYTES } from '../../domain/media-types/sniff-content';
import { checkVideoFile, type VideoTypeInfo } from '../../domain/media-types/video-types';
import { toVBucketsError, type VBucketsError, validationError } from '../../errors';
import type { BlobPutResult } from '../../ports/blob-store';
import type { Categorization } from '../../schemas/categorization';
import type { Video } from '../../schemas/video';
import { type BatchJob, isoNow } from './categorize-context';
import type { CategorizeFile } from './categorize-types';
import { batchCancelled, retryDelayMs } from './provider-call';
import { failRow } from './row-records';

const ADAPTER = 'categorize';
const NAME_LIMIT = 200;

/** Why a file was refused (type, size): final, unlike a storage failure. */
interface Refusal {
  refused: VBucketsError;
}

/** A file of a new batch and the row made for it. */
export interface IngestItem {
  row: Categorization;
  file: CategorizeFile;
}

/** Refusals that need no bytes: the size the caller stated. */
export function sizeProblem(
  file: CategorizeFile,
  filename: string,
  maxFileBytes: number,
): string | null {
  if (file.sizeBytes === 0) return `${JSON.stringify(filename)} is empty (0 bytes)`;
  if (file.sizeBytes !== undefined && file.sizeBytes > maxFileBytes) {
    return oversizeMessage(filename, file.sizeBytes, maxFileBytes);
  }
  return null;
}

function oversizeMessage(filename: string, sizeBytes: number | null, limit: number): string {
  const size = sizeBytes === null ? 'larger than' : `${sizeBytes} bytes, over`;
  return `${JSON.stringify(filename)} is ${size} the limit of ${limit} bytes`;
}

/**
 * Phase 1: stores each pending file's bytes (one file at a time, so identical files of one
 * batch are stored once) and registers it as a Video; the row gets its videoId (`stored`)
 * or becomes `error`. Returns the rows ready for analysis. Stops at cancellation, leaving the
 * rest `pending` without a videoId.
 */
export async function ingestFiles(
  job: BatchJob,
  items: readonly IngestItem[],
  ownerId: string,
): Promise<Categorization[]> {
  const ready: Categorization[] = [];
  for (const { row, file } of items) {
    if (job.signal?.aborted) break;
    if (row.status === 'error') {
      job.emit({
        rowId: row.id,
        filename: row.filename,
        stage: 'failed',
        message: row.errorMessage ?? 'refused',
        result: row,
      });
      continue;
    }
    const stored = await ingestFile(job, row, file, ownerId);
    if (stored !== null) ready.push(stored);
  }
  return ready;
}

async function ingestFile(
  job: BatchJob,
  row: Categorization,
  file: CategorizeFile,
  ownerId: string,
): Promise<Categorization | null> {
  const { maxAttempts } = job.context.settings;
  let put: Result<
    { blob: BlobPutResult; type: VideoTypeInfo; id: string },
    VBucketsError | Refusal
  >;
  for (let attempt = 1; ; attempt += 1) {
    put = await storeBytes(job, row, file);
    if (put.isOk() || job.signal?.aborted) break;
    const failure = put.error;
    if ('refused' in failure || !failure.retryable || attempt >= maxAttempts) break;
    await job.context.sleep(retryDelayMs(job, failure, attempt), job.signal);
  }
  if (put.isErr()) {
    if (job.signal?.aborted) return null;
    const failure = put.error;
    await failRow(
      job,
      row,
      'refused' in failure
        ? failure.refused.message
        : `${JSON.stringify(row.filename)} could not be stored: ${failure.message}`,
    );
    return null;
  }
  const video = await registerVideo(job, row, ownerId, put.value);
  if (video.isErr()) {
    await failRow(
      job,
      row,
      `${JSON.stringify(row.filename)} could not be registered: ${video.error.message}`,
    );
    return null;
  }
  const { videoId, reused } = video.value;
  const updated = await job.context.store.categorizations.update(job.scope, row.id, {
    videoId,
    updatedAt: isoNow(job.context.clock),
  });
  // Unsaved, the row cannot be analysed now; a resume will report it as not stored.
  if (updated.isErr()) return null;
  job.emit({
    rowId: row.id,
    filename: row.filename,
    stage: 'stored',
    ...(reused ? { message: `identical content is already stored as video ${videoId}` } : {}),
  });
  return updated.value;
}

/**
 * Reads the first bytes to check the type (so a refused file writes nothing), then streams
 * the rest to the BlobStore, counting bytes against the size limit as they flow.
 */
async function storeBytes(
  job: BatchJob,
  row: Categorization,
  file: CategorizeFile,
): Promise<
  Result<{ blob: BlobPutResult; type: VideoTypeInfo; id: string }, VBucketsError | Refusal>
> {
  const { maxFileBytes } = job.context.settings;
  const id = job.context.ids.next();
  const prefix = `videos/${encodeURIComponent(job.scope.orgId)}/${id}`;
  let source: AsyncGenerator<Uint8Array>;
  try {
    source = blobBodyChunks(file.body(), { adapter: ADAPTER, key: prefix, signal: job.signal });
  } catch (error) {
    return err({
      refused: toVBucketsError(
        error,
        'STORAGE',
        `${JSON.stringify(row.filename)} could not be opened`,
      ),
    });
  }
  const headChunks: Uint8Array[] = [];
  let total = 0;
  let refusal: VBucketsError | undefined;
  const refuseOversize = () => {
    refusal = validationError(oversizeMessage(row.filename, null, maxFileBytes), {
      path: 'file',
      details: { reason: 'oversize', filename: row.filename, maxFileBytes },
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
    if (job.signal?.aborted) return err(batchCancelled(job));
    return err(toVBucketsError(error, 'STORAGE', `Reading ${JSON.stringify(row.filename)} failed`));
  }
  const type = checkVideoFile(row.filename, concat(headChunks));
  if (type.isErr()) {
    void source.return(undefined).catch(() => undefined);
    return err({ refused: type.error });
  }
  const key = `${prefix}${type.value.extension}`;
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
  const put = await job.context.blobs.put(key, body, {
    contentType: type.value.mimeType,
    visibility: 'private',
    signal: job.signal,
  });
  // A store that failed before reading the body never started it: close the source here too.
  void source.return(undefined).catch(() => undefined);
  if (put.isOk()) return ok({ blob: put.value, type: type.value, id });
  if (refusal !== undefined) return err({ refused: refusal });
  if (job.signal?.aborted) return err(batchCancelled(job));
  return err(put.error);
}

/** Registers the stored bytes as a Video, or reuses the org's Video with the same content. */
async function registerVideo(
  job: BatchJob,
  row: Categorization,
  ownerId: string,
  { blob, type, id }: { blob: BlobPutResult; type: VideoTypeInfo; id: string },
): Promise<Result<{ videoId: string; reused: boolean }, VBucketsError>> {
  const { store, blobs, clock } = job.context;
  const existing = await store.videos.findBySha256(job.scope, blob.sha256);
  if (existing.isOk() && existing.value !== null) {
    // Reuse only a video whose bytes are still there; otherwise register this copy.
    const head = await blobs.head(existing.value.blobKey);
    if (head.isOk() && head.value !== null) {
      await dropBlob(job, blob.key);
      return ok({ videoId: existing.value.id, reused: true });
    }
  }
  const video: Video = {
    id,
    orgId: job.scope.orgId,
    ownerId,
    title: clampName(stripExtension(row.filename)),
    filename: clampName(row.filename),
    blobKey: blob.key,
    sha256: blob.sha256,
    sizeBytes: blob.sizeBytes,
    mimeType: type.mimeType,
    durationSec: null,
    duplicateAllowed: false,
    createdAt: isoNow(clock),
  };
  const inserted = await store.videos.insert(video);
  if (inserted.isErr()) {
    await dropBlob(job, blob.key);
    return err(inserted.error);
  }
  return ok({ videoId: inserted.value.id, reused: false });
}

/** Deletes a blob nobody will reference; a failure only leaves an orphan, so it is not an error. */
async function dropBlob(job: BatchJob, key: string): Promise<void> {
  void (await job.context.blobs.delete(key));
}

function stripExtension(filename: string): string {
  const dot = filename.lastIndexOf('.');
  const stem = dot > 0 ? filename.slice(0, dot) : filename;
  return stem.trim() === '' ? filename : stem;
}

/** Video names are at most 200 characters (NameSchema); the row keeps the full name. */
function clampName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length <= NAME_LIMIT) return trimmed;
  const dot = trimmed.lastIndexOf('.');
  const extension = dot > 0 && trimmed.length - dot <= 10 ? trimmed.slice(dot) : '';
  return `${trimmed.slice(0, NAME_LIMIT - extension.length - 1)}…${extension}`;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
