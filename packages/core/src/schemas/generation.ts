import { z } from 'zod';
import { IdSchema, TimestampSchema, UnitIntervalSchema } from './common';

export const GenerationTaskStatusSchema = z.enum(['pending', 'processing', 'completed', 'failed']);
export type GenerationTaskStatus = z.infer<typeof GenerationTaskStatusSchema>;

/** An AI video-generation task (seed 002). */
export const GenerationTaskSchema = z.strictObject({
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
  youtubeTitle: z.string().nullable(),
  youtubeDescription: z.string().nullable(),
  youtubeTags: z.array(z.string()),
  cost: z.number().nonnegative().nullable(),
  creditsUsed: z.number().int().nonnegative().nullable(),
  durationSec: z.number().nonnegative().nullable(),
  errorMessage: z.string().nullable(),
  createdAt: TimestampSchema,
  completedAt: TimestampSchema.nullable(),
});
export type GenerationTask = z.infer<typeof GenerationTaskSchema>;

/** A thumbnail variant of a generation task; at most one per task is selected. */
export const ThumbnailSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  taskId: IdSchema,
  variant: z.string().min(1),
  imageUrl: z.string().min(1),
  clickPrediction: UnitIntervalSchema.nullable(),
  isSelected: z.boolean(),
  createdAt: TimestampSchema,
});
export type Thumbnail = z.infer<typeof ThumbnailSchema>;
