import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';

export const SegmentTypeSchema = z.enum(['processed', 'original', 'thumbnail', 'audio']);
export type SegmentType = z.infer<typeof SegmentTypeSchema>;

/**
 * Where a segment is posted. Seed 004's five, plus `meta` for videos in a Meta ad account
 * (what `@vbuckets/uploaders`' Meta uploader posts); an upload's platform name is the same word.
 */
export const SocialPlatformSchema = z.enum([
  'instagram',
  'tiktok',
  'youtube',
  'facebook',
  'twitter',
  'meta',
]);
export type SocialPlatform = z.infer<typeof SocialPlatformSchema>;

/** A count a platform reports: a whole number of at least 0. */
const CountSchema = z.number().int().nonnegative();

/** Per-platform usage and metrics of a segment; one per (segment, platform) (seed 004). */
export const SocialUsageSchema = z.strictObject({
  platform: SocialPlatformSchema,
  postId: z.string().min(1).nullable(),
  postUrl: z.string().min(1).nullable(),
  postedAt: TimestampSchema.nullable(),
  views: CountSchema,
  likes: CountSchema,
  shares: CountSchema,
  comments: CountSchema,
  /** Link clicks, when the platform reports them (Meta ads); null otherwise. */
  clicks: CountSchema.nullable(),
  /** Conversions, when the platform reports them; null otherwise. */
  conversions: CountSchema.nullable(),
  /** (likes + shares + comments) / views, null when views is 0. */
  engagementRate: z.number().nonnegative().nullable(),
  /** When the metrics were last fetched from the platform successfully. */
  lastSyncedAt: TimestampSchema.nullable(),
  /** The upload (in the uploads ledger) that posted it, when the SDK posted it. */
  uploadId: IdSchema.nullable(),
});
export type SocialUsage = z.infer<typeof SocialUsageSchema>;

/** A piece of a registered video (seed 004): its own stored bytes and its social usage. */
export const SegmentSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  /** Who may download it (with the org's admins). */
  ownerId: IdSchema,
  /** The parent video, in the registry. */
  videoId: IdSchema,
  segmentType: SegmentTypeSchema,
  /** Its place among the video's segments of its type; unique per (video, type). */
  segmentNumber: z.number().int().nonnegative(),
  blobKey: z.string().min(1),
  durationSec: z.number().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  contentType: z.string().min(1),
  title: z.string().nullable(),
  description: z.string().nullable(),
  tags: z.array(z.string().trim().min(1).max(100)),
  /** One entry per platform, in platform order. */
  socialUsage: z.array(SocialUsageSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Segment = z.infer<typeof SegmentSchema>;
