import { z } from 'zod';
import { IdSchema, TimestampSchema, UnitIntervalSchema } from './common';

/** pending → processing → completed | failed (seed 002); a re-run from failed is explicit. */
export const GenerationTaskStatusSchema = z.enum(['pending', 'processing', 'completed', 'failed']);
export type GenerationTaskStatus = z.infer<typeof GenerationTaskStatusSchema>;

/** An AI video-generation task: every field of seed 002's `storyboard_videos`, plus the org and the registry's video. */
export const GenerationTaskSchema = z.strictObject({
  /** Caller-chosen (`task_abc123`) or generated; unique per org. */
  id: IdSchema,
  orgId: IdSchema,
  userId: IdSchema,
  projectName: z.string(),
  songTitle: z.string().nullable(),
  musicFile: z.string().nullable(),
  genre: z.string().nullable(),
  bpm: z.number().int().positive().nullable(),
  engine: z.string().min(1),
  prompt: z.string(),
  status: GenerationTaskStatusSchema,
  videoUrl: z.string().nullable(),
  /** The generated video in the registry, once attached. */
  videoId: IdSchema.nullable(),
  youtubeTitle: z.string().nullable(),
  youtubeDescription: z.string().nullable(),
  youtubeTags: z.array(z.string()),
  cost: z.number().nonnegative().nullable(),
  creditsUsed: z.number().int().nonnegative().nullable(),
  durationSec: z.number().nonnegative().nullable(),
  errorMessage: z.string().nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  completedAt: TimestampSchema.nullable(),
});
export type GenerationTask = z.infer<typeof GenerationTaskSchema>;

/** Where a thumbnail came from: given by the caller, or cut from the task's video. */
export const ThumbnailSourceSchema = z.enum(['given', 'frame']);
export type ThumbnailSource = z.infer<typeof ThumbnailSourceSchema>;

/** A thumbnail variant of a generation task; the database keeps at most one per task selected. */
export const ThumbnailSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  taskId: IdSchema,
  variant: z.string().min(1),
  /** An external image URL (given thumbnails), or null when the image is in the blob store. */
  imageUrl: z.string().min(1).nullable(),
  /** The image in the blob store (cut frames), or null for an external URL. */
  blobKey: z.string().min(1).nullable(),
  /** A model's predicted click rate, 0..1; null when nothing predicted it. */
  clickPrediction: UnitIntervalSchema.nullable(),
  /** An image-quality score, 0..1, from a ThumbnailScorer; null when not scored. */
  qualityScore: UnitIntervalSchema.nullable(),
  source: ThumbnailSourceSchema,
  isSelected: z.boolean(),
  createdAt: TimestampSchema,
});
export type Thumbnail = z.infer<typeof ThumbnailSchema>;
