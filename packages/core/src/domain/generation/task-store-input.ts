import { z } from 'zod';
import { fromZodError, type VBucketsError, validationError } from '../../errors';
import type { GenerationTaskPatch } from '../../ports/task-store';
import { TimestampSchema } from '../../schemas/common';
import {
  type GenerationTask,
  GenerationTaskSchema,
  GenerationTaskStatusSchema,
  type Thumbnail,
  ThumbnailSchema,
} from '../../schemas/generation';

// What every store checks before it writes a task or a thumbnail, so that a value one database
// would store, round or refuse with a driver error (a fractional bpm, a negative cost, a
// status outside the enum) is refused the same way (VALIDATION, naming the field) by all.
// Stray extra properties are ignored, as the stores never keep them.

const TaskShape = z.object(GenerationTaskSchema.shape);
const ThumbnailShape = z.object(ThumbnailSchema.shape);
const task = GenerationTaskSchema.shape;

const TaskPatchShape = z.object({
  projectName: task.projectName.optional(),
  songTitle: task.songTitle.optional(),
  musicFile: task.musicFile.optional(),
  genre: task.genre.optional(),
  bpm: task.bpm.optional(),
  engine: task.engine.optional(),
  prompt: task.prompt.optional(),
  videoUrl: task.videoUrl.optional(),
  videoId: task.videoId.optional(),
  youtubeTitle: task.youtubeTitle.optional(),
  youtubeDescription: task.youtubeDescription.optional(),
  youtubeTags: task.youtubeTags.optional(),
  cost: task.cost.optional(),
  creditsUsed: task.creditsUsed.optional(),
  durationSec: task.durationSec.optional(),
  updatedAt: TimestampSchema,
});

const TransitionShape = z.object({
  from: z.array(GenerationTaskStatusSchema),
  to: GenerationTaskStatusSchema,
  patch: z
    .object({
      videoUrl: task.videoUrl.optional(),
      errorMessage: task.errorMessage.optional(),
      completedAt: task.completedAt.optional(),
    })
    .optional(),
  updatedAt: TimestampSchema,
});

function check(schema: z.ZodType, value: unknown, subject: string): VBucketsError | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : fromZodError(parsed.error, subject);
}

/** The problem with a task to insert, or undefined. */
export function generationTaskInputError(value: GenerationTask): VBucketsError | undefined {
  return check(TaskShape, value, 'task');
}

/** The problem with a task `update` patch, or undefined. */
export function generationTaskPatchError(patch: GenerationTaskPatch): VBucketsError | undefined {
  return check(TaskPatchShape, patch, 'patch');
}

/** The problem with a `transitionStatus` change (statuses, patch, time), or undefined. */
export function generationTaskTransitionError(change: unknown): VBucketsError | undefined {
  return check(TransitionShape, change, 'change');
}

/** The problem with a thumbnail to insert, or undefined: its fields, and exactly one image. */
export function thumbnailInputError(value: Thumbnail): VBucketsError | undefined {
  const problem = check(ThumbnailShape, value, 'thumbnail');
  if (problem !== undefined) return problem;
  if ((value.imageUrl === null) === (value.blobKey === null)) {
    return validationError(
      'Invalid thumbnail: give exactly one of imageUrl (an external image) and blobKey (an image in the blob store)',
      { path: 'imageUrl' },
    );
  }
  return undefined;
}
