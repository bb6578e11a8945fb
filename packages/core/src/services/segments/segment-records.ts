import { err, ok, type Result } from 'neverthrow';
import { VIDEO_TYPES } from '../../domain/media-types/video-types';
import { storageError, type VBucketsError } from '../../errors';
import type { Scope } from '../../schemas/common';
import type { Segment, SegmentType } from '../../schemas/segment';
import type { SegmentsContext } from './segments-context';

/** The extension of a known video type (`.mp4`), else none. */
function extensionOf(contentType: string): string {
  const known = Object.values(VIDEO_TYPES).find((info) => info.mimeType === contentType);
  return known?.extension ?? '';
}

/**
 * Where a segment's bytes are stored: `segments/org_{orgId}/video_{videoId}/{name}{ext}`, each
 * part percent-encoded, so a video's segments (and an org's) share a prefix. `name` is a freshly
 * generated id, never a caller-chosen one: a create refused as a duplicate id would otherwise
 * overwrite, then delete, the bytes of the segment that holds the id.
 */
export function segmentBlobKey(
  scope: Scope,
  videoId: string,
  name: string,
  contentType: string,
): string {
  const part = encodeURIComponent;
  return `segments/org_${part(scope.orgId)}/video_${part(videoId)}/${part(name)}${extensionOf(contentType)}`;
}

/**
 * Deletes stored segment bytes no row points at; returns the keys whose delete failed, each
 * reported to `onWarning` (an unreferenced object is garbage, never a broken segment).
 */
export async function dropSegmentBlobs(
  context: SegmentsContext,
  keys: readonly string[],
): Promise<string[]> {
  const left: string[] = [];
  for (const key of keys) {
    const deleted = await context.blobs.delete(key);
    if (deleted.isErr()) {
      left.push(key);
      context.warn(
        storageError(`Segment bytes ${key} could not be deleted; no segment points at them`, {
          cause: deleted.error,
          details: { key },
        }),
      );
    }
  }
  return left;
}

/** Store pages read when every segment of a video is needed. */
const VIDEO_PAGE = 1000;

/** Every segment of a video (the store pages them), by type then number. */
export async function segmentsOfVideo(
  context: SegmentsContext,
  scope: Scope,
  videoId: string,
): Promise<Result<Segment[], VBucketsError>> {
  const all: Segment[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await context.store.segments.list(
      scope,
      { videoId },
      { sortBy: 'createdAt', sortOrder: 'asc' },
      { limit: VIDEO_PAGE, ...(after === undefined ? {} : { after }) },
    );
    if (page.isErr()) return err(page.error);
    all.push(...page.value);
    if (page.value.length < VIDEO_PAGE) break;
    after = page.value.at(-1)?.id;
  }
  return ok(
    all.sort(
      (left, right) =>
        (left.segmentType < right.segmentType
          ? -1
          : left.segmentType > right.segmentType
            ? 1
            : 0) || left.segmentNumber - right.segmentNumber,
    ),
  );
}

/** The number after the video's highest segment of the type (1 when it has none). */
export async function nextSegmentNumber(
  context: SegmentsContext,
  scope: Scope,
  videoId: string,
  segmentType: SegmentType,
): Promise<Result<number, VBucketsError>> {
  const segments = await context.store.segments.list(
    scope,
    { videoId, segmentType },
    { sortBy: 'createdAt', sortOrder: 'asc' },
  );
  if (segments.isErr()) return err(segments.error);
  return ok(
    segments.value.reduce((highest, segment) => Math.max(highest, segment.segmentNumber), 0) + 1,
  );
}
