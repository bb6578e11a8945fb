import { SegmentSchema, SocialPlatformSchema } from '@vbuckets/core';
import { z } from 'zod';

const counts = {
  views: z.number().int(),
  likes: z.number().int(),
  shares: z.number().int(),
  comments: z.number().int(),
};

export const SegmentDeletionSchema = z.object({
  segment: SegmentSchema,
  blobLeft: z.string().nullable(),
  blobKept: z.boolean(),
});

export const SegmentAnalyticsSchema = z.object({
  totals: z.object(counts),
  engagementRate: z.number().nullable(),
  averageEngagementRate: z.number().nullable(),
  platforms: z.array(
    z.object({ platform: SocialPlatformSchema, ...counts, engagementRate: z.number().nullable() }),
  ),
  topPlatform: SocialPlatformSchema.nullable(),
  platformCount: z.number().int(),
});

export const SegmentUsageTotalsSchema = z.object({
  key: z.string().nullable(),
  segments: z.number().int(),
  ...counts,
  clicks: z.number().int().nullable(),
  conversions: z.number().int().nullable(),
});

export const SegmentDownloadSchema = z.object({
  segmentId: z.string(),
  url: z.string(),
  expiresIn: z.number().int(),
  expiresAt: z.string(),
});

export const SyncSummarySchema = z.object({
  startedAt: z.string(),
  synced: z.number().int(),
  failed: z.number().int(),
  results: z.array(
    z.object({
      segmentId: z.string(),
      platform: SocialPlatformSchema,
      postId: z.string(),
      ok: z.boolean(),
      metrics: z.record(z.string(), z.unknown()).optional(),
      error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
    }),
  ),
});
