import { join } from 'node:path';
import type { BucketExportGroup, CategorizationSession, Scope, VBuckets } from '@vbuckets/core';
import type { BlobStore } from '@vbuckets/core/adapter-kit';
import { bucketNameKey } from '@vbuckets/core/domain';
import { type WrittenBucketZip, writeBucketZips } from '@vbuckets/core/node';
import { unwrap } from './errors';
import { renderTable } from './output/table';
import { resolveBucket } from './resolve-bucket';

/** Where `export` and `demo` put a session's ZIPs unless told otherwise. */
export function defaultExportDir(dataDir: string, sessionId: string): string {
  return join(dataDir, 'exports', sessionId);
}

export interface ExportRequest {
  session: CategorizationSession;
  outDir: string;
  /** Only this bucket (id or name, in the session's product, or as its rows were filed). */
  bucket?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What an export wrote, and the bucket it was limited to. */
export interface ExportReport {
  zips: WrittenBucketZip[];
  /** The bucket asked for, when it has no categorized videos in the session. */
  emptyBucket?: string;
}

/**
 * One ZIP per bucket of a session's categorized videos, streamed from the blob store into
 * `outDir` (`<bucket name>.zip`, replacing one of the same name).
 */
export async function exportSessionZips(
  vbuckets: VBuckets,
  blobs: BlobStore,
  scope: Scope,
  request: ExportRequest,
): Promise<ExportReport> {
  const { session } = request;
  let groups = await unwrap(vbuckets.categorize.bucketExport(scope, session.id));
  if (request.bucket !== undefined) {
    const wanted = request.bucket;
    // A bucket deleted since the session still exports under the name its rows were filed with.
    let matching = groups.filter(
      (group) =>
        group.bucketId === wanted || bucketNameKey(group.bucketName) === bucketNameKey(wanted),
    );
    if (matching.length === 0) {
      const bucket = await resolveBucket(vbuckets, scope, session.productId, wanted);
      matching = groups.filter((group) => group.bucketId === bucket.id);
      if (matching.length === 0) return { zips: [], emptyBucket: bucket.name };
    }
    groups = matching;
  }
  if (groups.length === 0) return { zips: [] };
  const zips = await unwrap(
    writeBucketZips({
      blobs,
      groups: groups.map(toZipGroup),
      outDir: request.outDir,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    }),
  );
  return { zips };
}

function toZipGroup(group: BucketExportGroup) {
  return {
    bucketName: group.bucketName,
    entries: group.entries.map((entry) => ({
      filename: entry.filename,
      blobKey: entry.blobKey,
      expected: { videoId: entry.videoId, sha256: entry.sha256, sizeBytes: entry.sizeBytes },
    })),
  };
}

/** `Gut Health.zip  2 videos  35.1 KB` per ZIP, paths relative to nothing: absolute. */
export function zipsTable(zips: readonly WrittenBucketZip[]): string {
  return renderTable(
    [
      { header: 'BUCKET', value: (zip: WrittenBucketZip) => zip.bucketName, maxWidth: 32 },
      {
        header: 'VIDEOS',
        value: (zip) => String(zip.entries.length),
        align: 'right',
      },
      { header: 'SIZE', value: (zip) => formatBytes(zip.bytes), align: 'right' },
      { header: 'ZIP', value: (zip) => zip.path },
    ],
    zips,
  );
}

/** The --json shape of a written ZIP. */
export function zipJson(zip: WrittenBucketZip) {
  return {
    bucketName: zip.bucketName,
    path: zip.path,
    bytes: zip.bytes,
    entries: zip.entries.map((entry) => ({
      filename: entry.filename,
      entryName: entry.entryName,
      sizeBytes: entry.sizeBytes,
    })),
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
