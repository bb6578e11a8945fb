import { err, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import { cancelledError, settingsError, type VBucketsError, validationError } from '../../errors';
import type { VideoPiece } from '../../ports/media-probe';
import type { Scope } from '../../schemas/common';
import type { Segment } from '../../schemas/segment';
import type { Video } from '../../schemas/video';
import { isoNow } from '../iso-now';
import type { SplitSchema } from './segment-inputs';
import { dropSegmentBlobs, nextSegmentNumber, segmentBlobKey } from './segment-records';
import type { SegmentsContext } from './segments-context';

type ParsedSplit = z.output<typeof SplitSchema>;

const cancelled = () => cancelledError('Splitting the video was cancelled');

/** The probe's split and the local files it reads, or the settings error naming the missing one. */
function splitTools(context: SegmentsContext) {
  const { mediaProbe, localFiles } = context;
  if (mediaProbe?.splitVideo === undefined) {
    return err(
      settingsError(
        validationError(
          mediaProbe === undefined
            ? 'Splitting a video needs a MediaProbe (createVBuckets({ mediaProbe }), e.g. createMediaProbe() from @vbuckets/media)'
            : 'The MediaProbe given to createVBuckets cannot split videos (no splitVideo)',
          { path: 'mediaProbe' },
        ),
      ),
    );
  }
  if (localFiles === undefined) {
    return err(
      settingsError(
        validationError(
          'Splitting a video needs local files for the probe (createVBuckets({ localFiles }), e.g. createTempLocalFiles() from @vbuckets/core/node)',
          { path: 'localFiles' },
        ),
      ),
    );
  }
  return ok({ split: mediaProbe.splitVideo.bind(mediaProbe), localFiles });
}

/**
 * `segments.split`: a local copy of the video → `splitVideo` → each piece's bytes stored (while
 * the piece exists) → every row inserted in one transaction. All or nothing: a failure at any
 * step (a put, the insert, the probe, a cancel) deletes the bytes already stored, so no row and
 * no object is left; an object whose delete fails is reported to `onWarning` (garbage, never a
 * row pointing at nothing).
 */
export async function splitVideo(
  context: SegmentsContext,
  scope: Scope,
  videoId: string,
  options: ParsedSplit,
): Promise<Result<Segment[], VBucketsError>> {
  const tools = splitTools(context);
  if (tools.isErr()) return err(tools.error);
  const { split, localFiles } = tools.value;
  const video = await context.store.videos.get(scope, videoId);
  if (video.isErr()) return err(video.error);
  const first = await nextSegmentNumber(context, scope, videoId, options.segmentType);
  if (first.isErr()) return err(first.error);
  const { signal } = options;
  const withSignal = signal === undefined ? {} : { signal };
  const stored: string[] = [];
  const fail = async (error: VBucketsError) => {
    await dropSegmentBlobs(context, stored);
    return err(error);
  };
  const rows = await localFiles.withLocalFile(
    {
      filename: video.value.filename,
      open: () => context.blobs.get(video.value.blobKey).map((object) => object.body),
    },
    (path) =>
      split(
        path,
        {
          ...(options.segmentSeconds === undefined
            ? {}
            : { segmentSeconds: options.segmentSeconds }),
          ...(options.cutPointsSec === undefined ? {} : { cutPointsSec: options.cutPointsSec }),
          ...withSignal,
        },
        (pieces) =>
          new ResultAsync(
            storePieces(context, scope, video.value, pieces, {
              firstNumber: first.value,
              segmentType: options.segmentType,
              stored,
              signal,
            }),
          ),
      ),
    withSignal,
  );
  if (rows.isErr()) return fail(rows.error);
  if (signal?.aborted) return fail(cancelled());
  if (rows.value.length === 0) return ok([]);
  const saved = await context.store.transaction((tx) =>
    // Inserted one after another: a transaction's connection runs one statement at a time.
    rows.value.reduce(
      (chain, row) =>
        chain.andThen((done) => tx.segments.insert(row).map((inserted) => [...done, inserted])),
      okAsync([]) as ResultAsync<Segment[], VBucketsError>,
    ),
  );
  if (saved.isErr()) return fail(saved.error);
  return ok(saved.value);
}

/** Stores each piece's bytes while the pieces exist; the keys go to `stored` as they are tried. */
async function storePieces(
  context: SegmentsContext,
  scope: Scope,
  video: Video,
  pieces: readonly VideoPiece[],
  options: {
    firstNumber: number;
    segmentType: Segment['segmentType'];
    stored: string[];
    signal: AbortSignal | undefined;
  },
): Promise<Result<Segment[], VBucketsError>> {
  const { signal } = options;
  const now = isoNow(context.clock);
  const rows: Segment[] = [];
  const ordered = [...pieces].sort((left, right) => left.index - right.index);
  for (const [position, piece] of ordered.entries()) {
    if (signal?.aborted) return err(cancelled());
    const id = context.ids.next();
    const key = segmentBlobKey(scope, video.id, id, video.mimeType);
    const bytes = await piece.open();
    if (bytes.isErr()) return err(bytes.error);
    // A failed put may still have written part of the object: it is deleted too.
    options.stored.push(key);
    const put = await context.blobs.put(key, bytes.value, {
      contentType: video.mimeType,
      ...(signal === undefined ? {} : { signal }),
    });
    if (put.isErr()) return err(put.error);
    rows.push({
      id,
      orgId: scope.orgId,
      ownerId: video.ownerId,
      videoId: video.id,
      segmentType: options.segmentType,
      segmentNumber: options.firstNumber + position,
      blobKey: key,
      durationSec: piece.durationSec,
      sizeBytes: put.value.sizeBytes,
      contentType: video.mimeType,
      title: null,
      description: null,
      tags: [],
      socialUsage: [],
      createdAt: now,
      updatedAt: now,
    });
  }
  return ok(rows);
}
