import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

export const SegmentTypeSchema = z.enum(['processed', 'original', 'thumbnail', 'audio']);
export type SegmentType = z.infer<typeof SegmentTypeSchema>;

export const SocialPlatformSchema = z.enum([
  'instagram',
  'tiktok',
  'youtube',
  'facebook',
  'twitter',
]);
export type SocialPlatform = z.infer<typeof SocialPlatformSchema>;

/** Per-platform usage and metrics of a segment; one per (segment, platform) (seed 004). */
export const SocialUsageSchema = z.strictObject({
  platform: SocialPlatformSchema,
  postId: z.string().nullable(),
  postUrl: z.string().nullable(),
  postedAt: TimestampSchema.nullable(),
  views: z.number().int().nonnegative(),
  likes: z.number().int().nonnegative(),
  shares: z.number().int().nonnegative(),
  comments: z.number().int().nonnegative(),
  /** (likes + shares + comments) / views, null when views is 0. */
  engagementRate: z.number().nonnegative().nullable(),
  lastSynced: TimestampSchema.nullable(),
});
export type SocialUsage = z.infer<typeof SocialUsageSchema>;

/** A piece of a processed video (seed 004). */
export const SegmentSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  videoId: IdSchema,
  userId: IdSchema,
  segmentType: SegmentTypeSchema,
  segmentNumber: z.number().int().nonnegative(),
  blobKey: z.string().min(1),
  durationSec: z.number().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  contentType: z.string().min(1),
  title: z.string().nullable(),
  description: z.string().nullable(),
  tags: z.array(z.string()),
  socialUsage: z.array(SocialUsageSchema),
  createdAt: TimestampSchema,
});
export type Segment = z.infer<typeof SegmentSchema>;
