import { err, type Result } from 'neverthrow';
import type { VBucketsError } from '../../errors';
import type { Categorization } from '../../schemas/categorization';
import {
  dropBlob,
  type IntakeRefusal,
  oversizeMessage,
  probeIntake,
  registerStoredVideo,
  type StoredVideoBytes,
  storeVideoBytes,
  stripExtension,
} from '../videos/video-intake';
import { type BatchJob, isoNow } from './categorize-context';
import type { CategorizeFile } from './categorize-types';
import { batchCancelled, retryDelayMs } from './provider-call';
import { failRow } from './row-records';

const ADAPTER = 'categorize';
const NAME_LIMIT = 200;

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
  let put: Result<StoredVideoBytes, VBucketsError | IntakeRefusal>;
  for (let attempt = 1; ; attempt += 1) {
    put = await storeBytes(job, row, file, ownerId);
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
  const video = await registerVideo(job, row, file, ownerId, put.value);
  if (video.isErr()) {
    if (video.error.code === 'CANCELLED' && job.signal?.aborted) return null;
    await failRow(
      job,
      row,
      video.error.code === 'MEDIA'
        ? video.error.message
        : `${JSON.stringify(row.filename)} could not be registered: ${video.error.message}`,
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

/** Stores the file's bytes (type and size checked first) under a fresh video id. */
async function storeBytes(
  job: BatchJob,
  row: Categorization,
  file: CategorizeFile,
  ownerId: string,
): Promise<Result<StoredVideoBytes, VBucketsError | IntakeRefusal>> {
  const stored = await storeVideoBytes({
    blobs: job.context.blobs,
    id: job.context.ids.next(),
    ownerId,
    visibility: 'private',
    filename: row.filename,
    body: file.body,
    maxFileBytes: job.context.settings.maxFileBytes,
    adapter: ADAPTER,
    operation: 'categorize.run',
    signal: job.signal,
  });
  if (stored.isErr() && !('refused' in stored.error) && job.signal?.aborted) {
    return err(batchCancelled(job));
  }
  return stored;
}

/**
 * Registers the stored bytes as a Video, or reuses the org's Video with the same content (the
 * store decides between concurrent batches). With a MediaProbe and a local path, an
 * undecodable file is refused first and its bytes are deleted.
 */
async function registerVideo(
  job: BatchJob,
  row: Categorization,
  file: CategorizeFile,
  ownerId: string,
  { blob, type, id }: StoredVideoBytes,
): Promise<Result<{ videoId: string; reused: boolean }, VBucketsError>> {
  const { store, blobs, clock, mediaProbe, sha256 } = job.context;
  let durationSec: number | null = null;
  if (mediaProbe !== undefined && file.probePath !== undefined) {
    const probed = await probeIntake(mediaProbe, file.probePath, row.filename, job.signal);
    if (probed.isErr()) {
      await dropBlob(blobs, blob.key);
      return err(probed.error);
    }
    durationSec = probed.value.durationSec;
  }
  const registered = await registerStoredVideo(
    { store, blobs, sha256 },
    {
      id,
      orgId: job.scope.orgId,
      ownerId,
      title: clampName(stripExtension(row.filename)),
      filename: clampName(row.filename),
      blobKey: blob.key,
      sha256: blob.sha256,
      sizeBytes: blob.sizeBytes,
      mimeType: type.mimeType,
      durationSec,
      duplicateAllowed: false,
      visibility: 'private',
      productCategory: null,
      createdAt: isoNow(clock),
    },
  );
  return registered.map(({ video, created }) => ({ videoId: video.id, reused: !created }));
}

/** Video names are at most 200 characters (NameSchema); the row keeps the full name. */
function clampName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length <= NAME_LIMIT) return trimmed;
  const dot = trimmed.lastIndexOf('.');
  const extension = dot > 0 && trimmed.length - dot <= 10 ? trimmed.slice(dot) : '';
  return `${trimmed.slice(0, NAME_LIMIT - extension.length - 1)}…${extension}`;
}
