import { err, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import {
  cancelledError,
  settingsError,
  type VBucketsError,
  validationError,
  vbucketsError,
} from '../../errors';
import type { ThumbnailCandidate } from '../../ports/media-probe';
import type { ThumbnailScore } from '../../ports/thumbnail-scorer';
import type { Scope } from '../../schemas/common';
import type { Thumbnail } from '../../schemas/generation';
import { isoNow } from '../iso-now';
import { parseInput } from '../parse-input';
import type { TasksContext } from './tasks-context';
import type { GeneratedCandidate } from './tasks-types';
import { dropImages, thumbnailBlobKey } from './thumbnail-records';

export const GenerateCandidatesSchema = z.strictObject({
  count: z.number().int().min(1).max(20).default(6),
  maxWidth: z.number().int().min(16).max(7680).default(1280),
  signal: z
    .custom<AbortSignal>((value) => value instanceof AbortSignal, {
      message: 'must be an AbortSignal',
    })
    .optional(),
});

type GenerateOptions = z.infer<typeof GenerateCandidatesSchema>;

/** Seconds as a variant name reads them: `frame_0s`, `frame_12.5s`. */
const variantOf = (timestampSec: number) => `frame_${Math.round(timestampSec * 100) / 100}s`;

const isUnit = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;

/** The scorer's answer checked: one score per candidate, each 0..1 (or a null click prediction). */
function checkScores(
  provider: string,
  candidates: readonly ThumbnailCandidate[],
  scores: readonly ThumbnailScore[],
): Result<readonly ThumbnailScore[], VBucketsError> {
  const bad = (message: string) =>
    err(vbucketsError('PROVIDER', `[${provider}] thumbnail scorer ${message}`));
  if (!Array.isArray(scores) || scores.length !== candidates.length) {
    return bad(
      `answered ${Array.isArray(scores) ? scores.length : 'no'} scores for ${candidates.length} candidates`,
    );
  }
  for (const [index, score] of scores.entries()) {
    if (!isUnit(score.qualityScore))
      return bad(`gave candidate ${index} a qualityScore outside 0..1`);
    if (score.clickPrediction !== null && !isUnit(score.clickPrediction)) {
      return bad(`gave candidate ${index} a clickPrediction outside 0..1`);
    }
  }
  return ok(scores);
}

/**
 * `thumbnails.generateCandidates`: probe → score → images → rows. The images are stored one by
 * one and the rows inserted in one transaction; a failure at any step deletes the images
 * already stored, so no row and no image is left (an image whose delete fails is reported to
 * `onWarning`: garbage, never a row pointing at nothing).
 */
export async function generateCandidates(
  context: TasksContext,
  scope: Scope,
  taskId: string,
  input: unknown,
): Promise<Result<GeneratedCandidate[], VBucketsError>> {
  const parsed = parseInput(GenerateCandidatesSchema, input ?? {}, 'options');
  if (parsed.isErr()) return err(parsed.error);
  const options: GenerateOptions = parsed.value;
  const { mediaProbe, localFiles, thumbnailScorer: scorer } = context;
  if (mediaProbe?.extractThumbnailCandidates === undefined) {
    return err(
      settingsError(
        validationError(
          mediaProbe === undefined
            ? 'Thumbnail candidates need a MediaProbe (createVBuckets({ mediaProbe }), e.g. createMediaProbe() from @vbuckets/media)'
            : 'The MediaProbe given to createVBuckets cannot cut thumbnail candidates (no extractThumbnailCandidates)',
          { path: 'mediaProbe' },
        ),
      ),
    );
  }
  if (localFiles === undefined) {
    return err(
      settingsError(
        validationError(
          'Thumbnail candidates need local files for the probe (createVBuckets({ localFiles }), e.g. createTempLocalFiles() from @vbuckets/core/node)',
          { path: 'localFiles' },
        ),
      ),
    );
  }
  const task = await context.store.tasks.get(scope, taskId);
  if (task.isErr()) return err(task.error);
  const videoId = task.value.videoId;
  if (videoId === null) {
    return err(
      validationError(
        `Task ${taskId} has no video: attach the generated video first (tasks.attachVideo)`,
        {
          path: 'videoId',
          details: { taskId },
        },
      ),
    );
  }
  const video = await context.store.videos.get(scope, videoId);
  if (video.isErr()) return err(video.error);
  const { signal } = options;
  const extract = mediaProbe.extractThumbnailCandidates.bind(mediaProbe);
  const candidates = await localFiles.withLocalFile(
    {
      filename: video.value.filename,
      open: () => context.blobs.get(video.value.blobKey).map((object) => object.body),
    },
    (path) =>
      extract(path, {
        count: options.count,
        maxWidth: options.maxWidth,
        ...(signal === undefined ? {} : { signal }),
      }),
    signal === undefined ? {} : { signal },
  );
  if (candidates.isErr()) return err(candidates.error);
  if (candidates.value.length === 0) return ok([]);
  const scored = await scorer.score(candidates.value, {
    title: task.value.youtubeTitle ?? task.value.projectName,
    ...(task.value.youtubeDescription === null
      ? {}
      : { description: task.value.youtubeDescription }),
    ...(signal === undefined ? {} : { signal }),
  });
  if (scored.isErr()) return err(scored.error);
  const scores = checkScores(scorer.provider, candidates.value, scored.value);
  if (scores.isErr()) return err(scores.error);
  return saveCandidates(context, scope, taskId, candidates.value, scores.value, signal);
}

async function saveCandidates(
  context: TasksContext,
  scope: Scope,
  taskId: string,
  candidates: readonly ThumbnailCandidate[],
  scores: readonly ThumbnailScore[],
  signal: AbortSignal | undefined,
): Promise<Result<GeneratedCandidate[], VBucketsError>> {
  const stored: string[] = [];
  const fail = async (error: VBucketsError) => {
    await dropImages(context, stored);
    return err(error);
  };
  const createdAt = isoNow(context.clock);
  const rows: Thumbnail[] = [];
  for (const [index, candidate] of candidates.entries()) {
    if (signal?.aborted)
      return fail(cancelledError('Generating thumbnail candidates was cancelled'));
    const id = context.ids.next();
    const key = thumbnailBlobKey(scope, taskId, id, 'image/jpeg');
    const put = await context.blobs.put(key, candidate.jpeg, {
      contentType: 'image/jpeg',
      ...(signal === undefined ? {} : { signal }),
    });
    // A failed put may still have written part of the object: delete it too.
    stored.push(key);
    if (put.isErr()) return fail(put.error);
    const score = scores[index] as ThumbnailScore;
    rows.push({
      id,
      orgId: scope.orgId,
      taskId,
      variant: variantOf(candidate.timestampSec),
      imageUrl: null,
      blobKey: key,
      clickPrediction: score.clickPrediction,
      qualityScore: score.qualityScore,
      source: 'frame',
      isSelected: false,
      createdAt,
    });
  }
  if (signal?.aborted) return fail(cancelledError('Generating thumbnail candidates was cancelled'));
  const saved = await context.store.transaction((tx) =>
    // Inserted one after another: a transaction's connection runs one statement at a time.
    rows.reduce(
      (chain, row) =>
        chain.andThen((done) => tx.thumbnails.insert(row).map((inserted) => [...done, inserted])),
      okAsync([]) as ResultAsync<Thumbnail[], VBucketsError>,
    ),
  );
  if (saved.isErr()) return fail(saved.error);
  return ok(
    saved.value.map((thumbnail, index) => {
      const candidate = candidates[index] as ThumbnailCandidate;
      const reason = scores[index]?.reason;
      return {
        thumbnail,
        timestampSec: candidate.timestampSec,
        width: candidate.width,
        height: candidate.height,
        ...(reason === undefined ? {} : { reason }),
      };
    }),
  );
}
