import { GenerationTaskSchema, ThumbnailSchema, VideoSchema } from '@vbuckets/core';
import { z } from 'zod';

export const TaskStatsSchema = z.object({
  totalTasks: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  totalCost: z.number(),
  totalCreditsUsed: z.number(),
  totalThumbnails: z.number().int(),
});

export const CostEstimateSchema = z.object({
  engine: z.string(),
  durationSec: z.number(),
  blocks: z.number().int(),
  blockSec: z.number(),
  costUsd: z.number(),
  credits: z.number(),
});

export const TaskDeletionSchema = z.object({
  taskId: z.string(),
  thumbnailsDeleted: z.number().int(),
  imagesLeft: z.array(z.string()),
});

export const AttachedVideoSchema = z.object({
  task: GenerationTaskSchema,
  video: VideoSchema,
  created: z.boolean(),
});

export const GeneratedCandidateSchema = z.object({
  thumbnail: ThumbnailSchema,
  timestampSec: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  reason: z.string().optional(),
});
