import { err, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import { toVBucketsError, type VBucketsError } from '../../errors';
import type { BlobBody } from '../../ports/blob-store';
import type { SegmentPatch, SocialUsageUpsert } from '../../ports/segment-store';
import type { Scope } from '../../schemas/common';
import type { Segment } from '../../schemas/segment';
import type { Video } from '../../schemas/video';
import { isoNow } from '../iso-now';
import type {
  SegmentCreateSchema,
  SegmentUpdateSchema,
  SocialUsageInputSchema,
} from './segment-inputs';
import { dropSegmentBlobs, nextSegmentNumber, segmentBlobKey } from './segment-records';
import type { SegmentsContext } from './segments-context';
import type { SegmentDeletion } from './segments-types';

type ParsedCreate = z.output<typeof SegmentCreateSchema>;
type ParsedUpdate = z.output<typeof SegmentUpdateSchema>;
type ParsedUsage = z.output<typeof SocialUsageInputSchema>;

/**
 * `segments.create`: the video checked, the bytes stored under a fresh segment key (their size
 * counted by the BlobStore), then the row inserted; a failed insert deletes the bytes.
 */
export async function createSegment(
  context: SegmentsContext,
  scope: Scope,
  input: ParsedCreate,
): Promise<Result<Segment, VBucketsError>> {
  const video = await context.store.videos.get(scope, input.videoId);
  if (video.isErr()) return err(video.error);
  const segmentNumber =
    input.segmentNumber === undefined
      ? await nextSegmentNumber(context, scope, video.value.id, input.segmentType)
      : ok(input.segmentNumber);
  if (segmentNumber.isErr()) return err(segmentNumber.error);
  const id = input.id ?? context.ids.next();
  const contentType = input.contentType ?? video.value.mimeType;
  const key = segmentBlobKey(
    scope,
    video.value.id,
    input.id === undefined ? id : context.ids.next(),
    contentType,
  );
  let body: BlobBody;
  try {
    body = input.body();
  } catch (error) {
    return err(toVBucketsError(error, 'STORAGE', 'The segment bytes could not be opened'));
  }
  const put = await context.blobs.put(key, body, { contentType });
  if (put.isErr()) {
    // A failed put may still have written part of the object.
    await dropSegmentBlobs(context, [key]);
    return err(put.error);
  }
  const now = isoNow(context.clock);
  const inserted = await context.store.segments.insert({
    id,
    orgId: scope.orgId,
    ownerId: input.ownerId ?? video.value.ownerId,
    videoId: video.value.id,
    segmentType: input.segmentType,
    segmentNumber: segmentNumber.value,
    blobKey: key,
    durationSec: input.durationSec,
    sizeBytes: put.value.sizeBytes,
    contentType,
    title: input.title ?? null,
    description: input.description ?? null,
    tags: input.tags ?? [],
    socialUsage: [],
    createdAt: now,
    updatedAt: now,
  });
  if (inserted.isErr()) await dropSegmentBlobs(context, [key]);
  return inserted;
}

const COUNT_FIELDS = ['views', 'likes', 'shares', 'comments'] as const;
const OPTIONAL_COUNT_FIELDS = ['clicks', 'conversions'] as const;

/**
 * One usage entry as the store writes it. Counts not given keep the row's (0 or null for a new
 * row): the store's metrics patch carries every count, so a partial edit is merged here, inside
 * the transaction that read the row.
 */
function usageUpsert(segment: Segment, entry: ParsedUsage, now: string): SocialUsageUpsert {
  const current = segment.socialUsage.find((usage) => usage.platform === entry.platform);
  const countsGiven = [...COUNT_FIELDS, ...OPTIONAL_COUNT_FIELDS].some(
    (field) => entry[field] !== undefined,
  );
  return {
    segmentId: segment.id,
    platform: entry.platform,
    ...(entry.postId === undefined ? {} : { postId: entry.postId }),
    ...(entry.postUrl === undefined ? {} : { postUrl: entry.postUrl }),
    ...(entry.postedAt === undefined ? {} : { postedAt: entry.postedAt }),
    ...(countsGiven
      ? {
          metrics: {
            views: entry.views ?? current?.views ?? 0,
            likes: entry.likes ?? current?.likes ?? 0,
            shares: entry.shares ?? current?.shares ?? 0,
            comments: entry.comments ?? current?.comments ?? 0,
            clicks: entry.clicks !== undefined ? entry.clicks : (current?.clicks ?? null),
            conversions:
              entry.conversions !== undefined ? entry.conversions : (current?.conversions ?? null),
          },
        }
      : {}),
    now,
  };
}

/**
 * `segments.update`: the fields, then each usage entry, in one transaction; an error anywhere
 * (an unknown segment, a taken type and number) leaves the segment as it was.
 */
export function updateSegment(
  context: SegmentsContext,
  scope: Scope,
  id: string,
  input: ParsedUpdate,
): ResultAsync<Segment, VBucketsError> {
  const { usage = [], ...fields } = input;
  const patch: SegmentPatch = { updatedAt: isoNow(context.clock) };
  for (const [field, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(patch, { [field]: value });
  }
  const changesFields = Object.keys(patch).length > 1;
  return context.store.transaction((tx) =>
    tx.segments
      .get(scope, id)
      .andThen((current) =>
        changesFields ? tx.segments.update(scope, id, patch) : okAsync(current),
      )
      .andThen((updated) =>
        // One after another: a transaction's connection runs one statement at a time, and each
        // merge reads the row the previous write returned.
        usage.reduce(
          (chain, entry) =>
            chain.andThen((segment) =>
              tx.segments.upsertUsage(scope, usageUpsert(segment, entry, patch.updatedAt)),
            ),
          okAsync(updated) as ResultAsync<Segment, VBucketsError>,
        ),
      ),
  );
}

/** Bytes under this prefix are the segments' own; anything else (a video's) is never deleted here. */
const SEGMENT_PREFIX = 'segments/';

/**
 * `segments.delete`: reads the segment and its video first (so nothing is deleted when the
 * store cannot answer), deletes the row and its usage, then the bytes, unless they are the
 * parent video's (the `original` segment shares the video's key) or were not stored by this
 * service. Row first: afterwards no row points at missing bytes, whatever the BlobStore does;
 * a failed blob delete is reported (`blobLeft`, `onWarning`), never undone.
 */
export async function deleteSegment(
  context: SegmentsContext,
  scope: Scope,
  id: string,
): Promise<Result<SegmentDeletion, VBucketsError>> {
  const found = await context.store.segments.get(scope, id);
  if (found.isErr()) return err(found.error);
  const video = await context.store.videos.get(scope, found.value.videoId);
  if (video.isErr() && video.error.code !== 'NOT_FOUND') return err(video.error);
  const parent: Video | null = video.isOk() ? video.value : null;
  const deleted = await context.store.segments.delete(scope, id);
  if (deleted.isErr()) return err(deleted.error);
  const segment = deleted.value;
  const blobKept =
    segment.blobKey === parent?.blobKey || !segment.blobKey.startsWith(SEGMENT_PREFIX);
  const left = blobKept ? [] : await dropSegmentBlobs(context, [segment.blobKey]);
  return ok({ segment, blobLeft: left[0] ?? null, blobKept });
}
