import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { Sha256 } from '../domain/sha256';
import { type ExpectedBytes, verifiedBytes } from '../domain/verified-bytes';
import { safeZipEntryNames } from '../domain/zip-entry-names';
import {
  cancelledError,
  fromZodError,
  isVBucketsError,
  notFoundError,
  toVBucketsError,
  VBucketsError,
  validationError,
  withErrorSource,
} from '../errors';
import type { BlobStore } from '../ports/blob-store';
import { nodeSha256 } from './node-sha256';
import { createZipStream, MAX_ZIP_BYTES, MAX_ZIP_ENTRIES } from './zip-stream';

export interface BucketZipGroup {
  /** The bucket; its ZIP is `<safe bucket name>.zip`. */
  bucketName: string;
  /**
   * The videos, in archive order: the name as uploaded, where the bytes are and, to have them
   * checked while they stream, the registered video's id, SHA-256 and size.
   */
  entries: Array<{ filename: string; blobKey: string; expected?: ExpectedBytes }>;
}

export interface WriteBucketZipsOptions {
  /** Where the videos are read from. */
  blobs: BlobStore;
  /** One ZIP per group. A group with no entries gives a valid, empty ZIP. */
  groups: BucketZipGroup[];
  /** Folder the ZIPs are written to, created if missing. A ZIP of the same name is replaced. */
  outDir: string;
  /** Aborting stops the export with CANCELLED and leaves nothing behind. */
  signal?: AbortSignal;
  /** Modification time of the entries. Default: now. */
  date?: Date;
  /** The incremental SHA-256 entries with `expected` bytes are checked with (default node:crypto's). */
  sha256?: () => Sha256;
}

export interface WrittenBucketZipEntry {
  /** The name as given. */
  filename: string;
  /** The name inside the ZIP (safe and unique). */
  entryName: string;
  blobKey: string;
  sizeBytes: number;
}

export interface WrittenBucketZip {
  bucketName: string;
  /** Absolute path of the ZIP. */
  path: string;
  entries: WrittenBucketZipEntry[];
  /** Size of the ZIP file. */
  bytes: number;
}

const OptionsSchema = z.object({
  groups: z.array(
    z.object({
      bucketName: z.string(),
      entries: z.array(
        z.object({
          filename: z.string(),
          blobKey: z.string().min(1),
          expected: z
            .object({
              videoId: z.string(),
              sha256: z.string().regex(/^[0-9a-f]{64}$/u),
              sizeBytes: z.number().int().nonnegative(),
            })
            .optional(),
        }),
      ),
    }),
  ),
  outDir: z.string().min(1, 'must not be empty'),
});

/**
 * Writes one stored (uncompressed) ZIP per group into `outDir`, streaming each video from the
 * BlobStore with bounded memory (see `createZipStream`). File and entry names go through
 * `safeZipEntryNames`. All or nothing: every blob is checked to exist before anything is
 * written (a missing one is NOT_FOUND naming the file and bucket), each ZIP is streamed to a
 * temporary file beside its destination, and only when all are complete are they renamed into
 * place; a failure or an abort removes every temporary file. Groups are written one after the
 * other, entries in order. More than 4 GiB or 65,535 entries in one group is VALIDATION (jszip
 * writes no ZIP64).
 */
export function writeBucketZips(
  options: WriteBucketZipsOptions,
): ResultAsync<WrittenBucketZip[], VBucketsError> {
  return ResultAsync.fromPromise(writeAll(options), (error) =>
    withErrorSource(toVBucketsError(error, 'STORAGE', 'Writing the bucket ZIPs failed'), SOURCE),
  );
}

/** Which component failed, for logs; an error of the blob store keeps naming the blob store. */
const SOURCE = { adapter: 'zip', operation: 'writeBucketZips' };

/** The adapter and operation of an error that is wrapped with more context. */
function sourceOf(error: VBucketsError) {
  return {
    ...(error.adapter === undefined ? {} : { adapter: error.adapter }),
    ...(error.operation === undefined ? {} : { operation: error.operation }),
  };
}

export interface PlannedZip {
  group: BucketZipGroup;
  index: number;
  fileName: string;
  entries: Array<WrittenBucketZipEntry & { expected?: ExpectedBytes }>;
}

async function writeAll(options: WriteBucketZipsOptions): Promise<WrittenBucketZip[]> {
  const parsed = OptionsSchema.safeParse({ groups: options.groups, outDir: options.outDir });
  if (!parsed.success) throw fromZodError(parsed.error, 'options');
  const { blobs, signal } = options;
  const outDir = path.resolve(options.outDir);
  const date = options.date ?? new Date();
  const throwIfAborted = () => {
    if (signal?.aborted) {
      throw cancelledError('Writing the bucket ZIPs was aborted', { cause: signal.reason });
    }
  };
  throwIfAborted();

  const fileNames = bucketFileNames(options.groups.map((group) => group.bucketName));
  const planned: PlannedZip[] = [];
  for (const [index, group] of options.groups.entries()) {
    throwIfAborted();
    planned.push(await planZip(blobs, group, index, fileNames[index] ?? 'bucket.zip'));
  }

  await mkdir(outDir, { recursive: true });
  const temporaryFiles: string[] = [];
  try {
    const written: WrittenBucketZip[] = [];
    for (const plan of planned) {
      throwIfAborted();
      const temporary = path.join(outDir, `.${plan.fileName}.${randomUUID()}.partial`);
      temporaryFiles.push(temporary);
      await writeZipFile(blobs, plan, temporary, {
        signal,
        date,
        sha256: options.sha256 ?? nodeSha256,
      });
      written.push({
        bucketName: plan.group.bucketName,
        path: path.join(outDir, plan.fileName),
        entries: writtenEntries(plan),
        bytes: (await stat(temporary)).size,
      });
    }
    throwIfAborted();
    for (const [index, zip] of written.entries()) {
      await rename(temporaryFiles[index] as string, zip.path);
    }
    temporaryFiles.length = 0;
    return written;
  } finally {
    await Promise.all(temporaryFiles.map((file) => rm(file, { force: true })));
  }
}

/**
 * `<bucket name>.zip`, made safe and unique like entry names. Slashes in a bucket name are
 * part of the name, not folders, so they become `-` before the base name is taken.
 */
export function bucketFileNames(bucketNames: readonly string[]): string[] {
  const stems = safeZipEntryNames(
    bucketNames.map((name) => name.replace(/[/\\]/gu, '-')),
    { fallbackName: 'bucket' },
  ).map((stem) => `${stem}.zip`);
  // Unique again: `a` and `A` differ only by case, and a cut stem may meet another.
  return safeZipEntryNames(stems, { fallbackName: 'bucket' });
}

/** Checks that every blob exists and that the group fits in a ZIP without ZIP64. */
export async function planZip(
  blobs: BlobStore,
  group: BucketZipGroup,
  index: number,
  fileName: string,
): Promise<PlannedZip> {
  if (group.entries.length > MAX_ZIP_ENTRIES) {
    throw validationError(
      `Bucket ${JSON.stringify(group.bucketName)} has ${group.entries.length} videos; a ZIP holds at most ${MAX_ZIP_ENTRIES}`,
      { path: `groups.${index}.entries` },
    );
  }
  const entryNames = safeZipEntryNames(group.entries.map((entry) => entry.filename));
  const entries: PlannedZip['entries'] = [];
  let estimatedBytes = END_OF_CENTRAL_DIRECTORY_BYTES;
  for (const [position, entry] of group.entries.entries()) {
    const entryName = entryNames[position] ?? entry.filename;
    const head = await blobs.head(entry.blobKey);
    if (head.isErr()) throw withEntryContext(head.error, group, entry);
    if (head.value === null) throw missingBlob(group, entry);
    entries.push({ ...entry, entryName, sizeBytes: head.value.sizeBytes });
    estimatedBytes += head.value.sizeBytes + entryOverheadBytes(entryName);
  }
  if (estimatedBytes > MAX_ZIP_BYTES) {
    throw validationError(
      `The ZIP of bucket ${JSON.stringify(group.bucketName)} would be ${formatGiB(estimatedBytes)}; a ZIP without ZIP64 holds at most 4 GiB: split the bucket over several exports`,
      { path: `groups.${index}`, details: { bucketName: group.bucketName, estimatedBytes } },
    );
  }
  return { group, index, fileName, entries };
}

/** The planned entries as the caller is told of them. */
export function writtenEntries(plan: PlannedZip): WrittenBucketZipEntry[] {
  return plan.entries.map(({ filename, entryName, blobKey, sizeBytes }) => ({
    filename,
    entryName,
    blobKey,
    sizeBytes,
  }));
}

/** How a planned archive is written (internal to the ZIP writers). */
export interface ZipWriteOptions {
  signal: AbortSignal | undefined;
  date: Date;
  sha256: () => Sha256;
}

/** The planned group's archive, each entry read (and checked) when the archive reaches it. */
export function bucketZip(blobs: BlobStore, plan: PlannedZip, options: ZipWriteOptions): Readable {
  const { signal, date, sha256 } = options;
  return createZipStream(
    plan.entries.map((entry) => ({
      name: entry.entryName,
      // A damaged copy errors before its entry ends, failing the whole export.
      open: () =>
        blobs
          .get(entry.blobKey)
          .map((object) =>
            entry.expected === undefined
              ? object.body
              : verifiedBytes(object.body, { expected: entry.expected, hash: sha256() }),
          )
          .mapErr((error) =>
            error.code === 'NOT_FOUND'
              ? missingBlob(plan.group, entry)
              : withEntryContext(error, plan.group, entry),
          ),
    })),
    { ...(signal === undefined ? {} : { signal }), date },
  );
}

async function writeZipFile(
  blobs: BlobStore,
  plan: PlannedZip,
  temporary: string,
  options: ZipWriteOptions,
): Promise<void> {
  const zip = bucketZip(blobs, plan, options);
  // `wx`: a fresh file, never someone else's.
  const file = createWriteStream(temporary, { flags: 'wx' });
  try {
    await pipeline(zip, file);
  } catch (error) {
    // pipeline rejects as soon as the source fails, while the file may still be opening: wait
    // until it is closed, or the caller's clean-up could run before the file exists.
    if (!file.closed) await once(file, 'close').catch(() => undefined);
    if (!isVBucketsError(error)) {
      throw toVBucketsError(error, 'STORAGE', `Writing ${JSON.stringify(plan.fileName)} failed`);
    }
    if (error.code === 'CANCELLED' || error.details?.bucketName !== undefined) throw error;
    throw new VBucketsError(
      error.code,
      `${error.message} (bucket ${JSON.stringify(plan.group.bucketName)})`,
      {
        cause: error,
        retryable: error.retryable,
        details: { ...error.details, bucketName: plan.group.bucketName },
        ...(error.path === undefined ? {} : { path: error.path }),
        ...sourceOf(error),
      },
    );
  }
}

function missingBlob(group: BucketZipGroup, entry: { filename: string; blobKey: string }) {
  return notFoundError(
    `${JSON.stringify(entry.filename)} of bucket ${JSON.stringify(group.bucketName)} is not in the blob store (key ${JSON.stringify(entry.blobKey)})`,
    { details: { bucketName: group.bucketName, filename: entry.filename, blobKey: entry.blobKey } },
  );
}

/** The same error, its message saying which video of which bucket it is about. */
function withEntryContext(
  error: VBucketsError,
  group: BucketZipGroup,
  entry: { filename: string; blobKey: string },
): VBucketsError {
  return new VBucketsError(
    error.code,
    `${JSON.stringify(entry.filename)} of bucket ${JSON.stringify(group.bucketName)}: ${error.message}`,
    {
      cause: error,
      retryable: error.retryable,
      details: {
        ...error.details,
        bucketName: group.bucketName,
        filename: entry.filename,
        blobKey: entry.blobKey,
      },
      ...(error.path === undefined ? {} : { path: error.path }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...sourceOf(error),
    },
  );
}

const END_OF_CENTRAL_DIRECTORY_BYTES = 22;

/**
 * An upper bound of what jszip adds per streamed entry: local header (30), data descriptor
 * (16), central directory record (46), the name twice, and twice an Info-ZIP Unicode path
 * field (9 + name) that it adds to non-ASCII names.
 */
function entryOverheadBytes(entryName: string): number {
  const nameBytes = Buffer.byteLength(entryName, 'utf8');
  return 30 + 16 + 46 + 2 * nameBytes + 2 * (9 + nameBytes);
}

function formatGiB(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}
