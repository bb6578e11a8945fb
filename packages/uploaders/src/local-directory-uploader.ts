import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { VBucketsError } from '@vbuckets/core';
import type {
  PlatformUploader,
  PlatformUploadOptions,
  UploadableVideo,
  UploadSuccess,
} from '@vbuckets/core/adapter-kit';
import { z } from 'zod';
import {
  parseUploadMetadata,
  platformUploader,
  refusingUploader,
  uploaderSettingsError,
} from './uploader-run';

const PLATFORM = 'local';

export interface LocalDirectoryUploaderSettings {
  /** Where finished videos land (created when missing). */
  directory: string;
  /** Bytes written between two checkpoints (default 8 MiB). */
  checkpointBytes?: number;
}

const SettingsSchema = z.strictObject({
  directory: z.string().min(1, 'must not be empty'),
  checkpointBytes: z
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
});

/** The metadata a local upload takes, written beside the video as `<file>.json`. */
export const LocalDirectoryMetadataSchema = z.strictObject({
  title: z.string().max(1000).optional(),
  description: z.string().max(100_000).optional(),
  tags: z.array(z.string().max(500)).max(500).optional(),
});
export type LocalDirectoryMetadata = z.infer<typeof LocalDirectoryMetadataSchema>;

/** A part file's name as checkpoints carry it (never a path). */
const PART_NAME = /^\.[A-Za-z0-9_-][A-Za-z0-9._-]*\.part$/u;

/** File-system codes where the same write may succeed later. */
const TRANSIENT_FS_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EBUSY', 'EAGAIN', 'EMFILE']);

/** A name safe on every file system: a base name of letters, digits, `.`, `_` and `-`. */
export function safeFileName(name: string): string {
  const cleaned = basename(name.replaceAll('\\', '/'))
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9._-]+/gu, '_')
    .replace(/^[._]+/u, '')
    .slice(-150);
  return cleaned === '' ? 'video' : cleaned;
}

function fsError(error: unknown, action: string): VBucketsError {
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  return new VBucketsError('STORAGE', `Could not ${action}: ${detail}`, {
    cause: error,
    retryable: typeof code === 'string' && TRANSIENT_FS_CODES.has(code),
    details: { platform: PLATFORM },
  });
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/**
 * A PlatformUploader that copies the video into a directory: `<videoId>-<safe filename>`,
 * written to a hidden `.…part` file and renamed into place once complete, so a reader never
 * sees half a video; the post id is the file name. Checkpoints name the part file and the
 * bytes flushed to it, so a retry appends from there. Uploading the same video again
 * replaces its file (one post per video). There are no rate limits, tokens or server errors.
 * Throws nothing: with invalid settings `validateMetadata` and `upload` answer their
 * VALIDATION error (`isSettingsError`) and nothing is sent.
 */
export function createLocalDirectoryUploader(
  settings: LocalDirectoryUploaderSettings,
): PlatformUploader {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    return refusingUploader(
      PLATFORM,
      uploaderSettingsError(parsed.error, 'local directory settings'),
    );
  }
  const resolved = parsed.data;
  return platformUploader(
    PLATFORM,
    (video, metadata, options) => copyVideo(resolved, video, metadata, options),
    'copy',
    { schema: LocalDirectoryMetadataSchema, subject: 'local metadata' },
  );
}

async function copyVideo(
  settings: Required<LocalDirectoryUploaderSettings>,
  video: UploadableVideo,
  rawMetadata: Record<string, unknown>,
  options: PlatformUploadOptions,
): Promise<UploadSuccess> {
  const { signal } = options;
  signal?.throwIfAborted();
  const metadata = parseUploadMetadata(LocalDirectoryMetadataSchema, rawMetadata, 'local metadata');
  const total = video.sizeBytes;
  const finalName = `${safeFileName(video.videoId)}-${safeFileName(video.filename)}`;
  const finalPath = join(settings.directory, finalName);
  await mkdir(settings.directory, { recursive: true }).catch((error: unknown) => {
    throw fsError(error, 'create the directory');
  });

  let partName: string | undefined;
  let offset = 0;
  const checkpoint = options.checkpoint;
  if (checkpoint && PART_NAME.test(checkpoint.sessionId)) {
    const held = await sizeOf(join(settings.directory, checkpoint.sessionId));
    if (held !== undefined && held >= checkpoint.offset) {
      partName = checkpoint.sessionId;
      offset = checkpoint.offset;
    } else if (held === undefined && (await sizeOf(finalPath)) === total) {
      // The part file was already renamed: the earlier attempt finished.
      options.onProgress?.(total, total);
      return { platformPostId: finalName };
    }
  }
  partName ??= `.${finalName}.${randomBytes(6).toString('hex')}.part`;
  const partPath = join(settings.directory, partName);
  const sessionId = partName;

  let handle: FileHandle;
  try {
    handle = await open(partPath, offset === 0 ? 'w' : 'r+');
    await handle.truncate(offset);
  } catch (error) {
    throw fsError(error, 'open the part file');
  }
  await options.onCheckpoint?.({ sessionId, offset });
  options.onProgress?.(offset, total);
  let sinceCheckpoint = 0;
  try {
    const opened = await video.open(offset);
    if (opened.isErr()) throw opened.error;
    const reader = opened.value.getReader();
    try {
      while (true) {
        signal?.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) break;
        if (offset + value.byteLength > total) break;
        await handle.write(value, 0, value.byteLength, offset).catch((error: unknown) => {
          throw fsError(error, 'write');
        });
        offset += value.byteLength;
        sinceCheckpoint += value.byteLength;
        if (sinceCheckpoint >= settings.checkpointBytes && offset < total) {
          await handle.datasync();
          sinceCheckpoint = 0;
          await options.onCheckpoint?.({ sessionId, offset });
        }
        options.onProgress?.(offset, total);
      }
      signal?.throwIfAborted();
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    if (offset !== total) {
      throw new VBucketsError(
        'MEDIA',
        `The video stream gave ${offset} bytes, not the declared ${total}`,
        { details: { platform: PLATFORM } },
      );
    }
    await handle.datasync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    // A cancelled or broken copy keeps its part file only when it can be resumed.
    const keep = !signal?.aborted && (error as { retryable?: unknown }).retryable === true;
    if (!keep) await rm(partPath, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await writeFile(`${finalPath}.json`, `${JSON.stringify(metadata, null, 2)}\n`);
    await rename(partPath, finalPath);
  } catch (error) {
    throw fsError(error, 'move the finished video into place');
  }
  options.onProgress?.(total, total);
  return { platformPostId: finalName };
}
