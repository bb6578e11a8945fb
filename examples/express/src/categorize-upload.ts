import { createReadStream } from 'node:fs';
import {
  type CategorizeFile,
  type CategorizeRunResult,
  type EnqueuedJob,
  KEYWORD_PROVIDER,
  type Scope,
  type VBuckets,
  validationError,
} from '@vbuckets/core';
import { readSidecarText } from '@vbuckets/core/node';
import type { Request } from 'express';
import { err, type Result } from 'neverthrow';
import type { HostInfo } from './host-info';
import {
  lastValue,
  type SpooledUpload,
  type SpoolRefusal,
  spoolMultipart,
} from './multipart-spool';

/** The form field of the videos. */
export const UPLOAD_FIELD = 'videos';

/** A categorize request as it was answered: queued (202) or finished inline (201). */
export type CategorizeUploadOutcome =
  | { mode: 'queued'; result: CategorizeRunResult & { job: EnqueuedJob } }
  | { mode: 'inline'; result: CategorizeRunResult };

/**
 * Spools the multipart upload to disk, then hands the files to `categorize.start` (queued) or
 * `categorize.run` (inline), each file streamed from its temporary copy with its sidecar text
 * as known text (as the CLI gives it); the temporary files are removed once core has stored
 * them, whatever the outcome.
 */
export async function categorizeUpload(
  vbuckets: VBuckets,
  host: HostInfo,
  request: Request,
  target: { scope: Scope; productId: string; ownerId: string },
): Promise<Result<CategorizeUploadOutcome, SpoolRefusal>> {
  const spooled = await spoolMultipart(request, {
    tempDir: host.tempDir,
    fileBytes: host.limits.fileBytes,
    files: host.limits.files,
    fileField: UPLOAD_FIELD,
    sidecars: true,
  });
  if (spooled.isErr()) return err(spooled.error);
  const upload = spooled.value;
  try {
    const mode = lastValue(upload.fields.mode) ?? host.categorize;
    if (mode !== 'queued' && mode !== 'inline') {
      return err({
        error: validationError(`mode must be "queued" or "inline", not ${JSON.stringify(mode)}`, {
          path: 'mode',
        }),
      });
    }
    const input = {
      productId: target.productId,
      files: await filesOf(upload),
      provider: lastValue(upload.fields.provider) ?? KEYWORD_PROVIDER,
      ownerId: target.ownerId,
    };
    if (mode === 'queued') {
      const started = await vbuckets.categorize.start(target.scope, input);
      return started
        .map((result) => ({ mode: 'queued' as const, result }))
        .mapErr((error) => ({ error }));
    }
    // Shutting the server down cancels the batch; its unfinished rows stay pending for a resume.
    const ran = await vbuckets.categorize.run(target.scope, { ...input, signal: host.closing });
    return ran
      .map((result) => ({ mode: 'inline' as const, result }))
      .mapErr((error) => ({ error }));
  } finally {
    await upload.remove();
  }
}

async function filesOf(upload: SpooledUpload): Promise<CategorizeFile[]> {
  return Promise.all(
    upload.files.map(async (video) => {
      const sidecar = await readSidecarText(video.path);
      return {
        filename: video.filename,
        // Node's 64 KiB reads, not core videoFile's 1 MiB: a server keeps less memory that way
        // (about 6 MiB less at the peak of a 1 GiB upload, test/upload-rss.test.ts).
        body: () => createReadStream(video.path),
        sizeBytes: video.sizeBytes,
        mimeType: video.mimeType,
        probePath: video.path,
        ...(sidecar.text === '' ? {} : { knownText: sidecar.text }),
      };
    }),
  );
}
