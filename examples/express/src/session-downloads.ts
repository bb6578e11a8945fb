import { pipeline } from 'node:stream/promises';
import { type Scope, storageError, type VBuckets } from '@vbuckets/core';
import { nodeSha256, openBucketZipStream } from '@vbuckets/core/node';
import type { Response } from 'express';
import type { HostInfo } from './host-info';

/** `attachment` with the name as given (UTF-8, RFC 6266/5987) and an ASCII fallback. */
export function attachment(filename: string): string {
  const fallback = filename.replaceAll(/[^\u0020-\u007e]|["\\%]/gu, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Sends a session's results as CSV; errors (an unknown session) are thrown before any byte. */
export async function sendSessionCsv(
  vbuckets: VBuckets,
  scope: Scope,
  sessionId: string,
  response: Response,
): Promise<void> {
  const csv = await vbuckets.categorize.exportCsv(scope, sessionId);
  if (csv.isErr()) throw csv.error;
  response.status(200);
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', attachment(`session-${sessionId}.csv`));
  response.send(csv.value);
}

/**
 * Streams one bucket's videos of a session as a ZIP straight from the blob store to the
 * client, one video at a time (bounded memory whatever their size). What can fail before the
 * first byte (no blob store, an unknown session or bucket, a missing blob, over 4 GiB) is
 * thrown as a problem; a failure after it (a corrupted copy, the blob store going away)
 * destroys the connection, so the client sees a broken download rather than a short archive
 * that looks complete (the answer is chunked: no terminating chunk, no complete response).
 */
export async function sendBucketZip(
  vbuckets: VBuckets,
  host: HostInfo,
  request: { scope: Scope; sessionId: string; bucketId: string; signal: AbortSignal },
  response: Response,
): Promise<void> {
  const { scope, sessionId, bucketId, signal } = request;
  if (host.blobs === undefined) {
    throw storageError(
      'This server was started without access to the blob store, so it cannot build ZIPs',
      { retryable: false },
    );
  }
  const bucket = await vbuckets.buckets.get(scope, bucketId);
  if (bucket.isErr()) throw bucket.error;
  const groups = await vbuckets.categorize.bucketExport(scope, sessionId, { bucketId });
  if (groups.isErr()) throw groups.error;
  const group = groups.value[0] ?? { bucketId, bucketName: bucket.value.name, entries: [] };
  const opened = await openBucketZipStream({
    blobs: host.blobs,
    group: {
      bucketName: group.bucketName,
      entries: group.entries.map((entry) => ({
        filename: entry.filename,
        blobKey: entry.blobKey,
        expected: { videoId: entry.videoId, sha256: entry.sha256, sizeBytes: entry.sizeBytes },
      })),
    },
    signal,
    sha256: nodeSha256,
  });
  if (opened.isErr()) throw opened.error;
  response.status(200);
  response.setHeader('Content-Type', 'application/zip');
  response.setHeader('Content-Disposition', attachment(opened.value.fileName));
  response.setHeader('X-Content-Type-Options', 'nosniff');
  // pipeline destroys the response (and so the socket) when the archive fails mid-way.
  await pipeline(opened.value.stream, response).catch(() => undefined);
}
