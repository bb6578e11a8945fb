import { z } from 'zod';
import type { BlobBody } from '../../ports/blob-store';
import { IdSchema, MAX_PAGE_SIZE, TextSchema, TimestampSchema } from '../../schemas/common';
import { SegmentTypeSchema, SocialPlatformSchema } from '../../schemas/segment';

/** Seed 004's page size. */
export const DEFAULT_SEGMENT_PAGE_SIZE = 100;

const count = z
  .number('must be a number')
  .int('must be a whole number')
  .nonnegative('must be at least 0')
  .max(Number.MAX_SAFE_INTEGER);
const seconds = z.number('must be a number').nonnegative('must be at least 0').finite();
const segmentNumber = z
  .number('must be a number')
  .int('must be a whole number')
  .nonnegative('must be at least 0')
  .max(1_000_000);
const title = z.string().trim().min(1, 'must not be empty').max(300).nullable();
const description = TextSchema.nullable();
/** As the Segment schema keeps them: trimmed, 1..100 characters, each once. */
const tags = z
  .array(
    z.string('must be a string').trim().min(1, 'must not be empty').max(100),
    'must be a list of strings',
  )
  .max(100, 'must have at most 100 tags')
  .transform((list) => [...new Set(list)]);
const text = z.string().trim().min(1, 'must not be empty').max(2000);

export const SegmentCreateSchema = z.strictObject({
  id: IdSchema.optional(),
  videoId: IdSchema,
  body: z.custom<() => BlobBody>((value) => typeof value === 'function', {
    message: 'must be a function that opens the bytes',
  }),
  contentType: z.string().trim().min(1).max(200).optional(),
  durationSec: seconds,
  segmentType: SegmentTypeSchema.default('processed'),
  segmentNumber: segmentNumber.optional(),
  ownerId: IdSchema.optional(),
  title: title.optional(),
  description: description.optional(),
  tags: tags.optional(),
});

export const SocialUsageInputSchema = z.strictObject({
  platform: SocialPlatformSchema,
  postId: text.nullable().optional(),
  postUrl: text.nullable().optional(),
  postedAt: TimestampSchema.nullable().optional(),
  views: count.optional(),
  likes: count.optional(),
  shares: count.optional(),
  comments: count.optional(),
  clicks: count.nullable().optional(),
  conversions: count.nullable().optional(),
});

export const SegmentUpdateSchema = z.strictObject({
  segmentType: SegmentTypeSchema.optional(),
  segmentNumber: segmentNumber.optional(),
  title: title.optional(),
  description: description.optional(),
  tags: tags.optional(),
  usage: z
    .array(SocialUsageInputSchema)
    .max(SocialPlatformSchema.options.length)
    .superRefine((entries, context) => {
      const seen = new Set<string>();
      for (const [index, entry] of entries.entries()) {
        if (seen.has(entry.platform)) {
          context.addIssue({
            code: 'custom',
            message: `${entry.platform} appears more than once`,
            path: [index, 'platform'],
          });
        }
        seen.add(entry.platform);
      }
    })
    .optional(),
});

const filterFields = {
  ownerId: IdSchema.optional(),
  videoId: IdSchema.optional(),
  segmentType: SegmentTypeSchema.optional(),
  minDurationSec: seconds.optional(),
  maxDurationSec: seconds.optional(),
  tags: z.array(z.string().trim().min(1, 'must not be empty').max(100)).max(100).optional(),
  hasSocialMedia: z.boolean('must be true or false').optional(),
  platform: SocialPlatformSchema.optional(),
};

const durationOrder = (filter: { minDurationSec?: number; maxDurationSec?: number }) =>
  filter.minDurationSec === undefined ||
  filter.maxDurationSec === undefined ||
  filter.minDurationSec <= filter.maxDurationSec;
const DURATION_ORDER = {
  message: 'must be at least minDurationSec',
  path: ['maxDurationSec'],
};

export const SegmentFilterSchema = z
  .strictObject(filterFields)
  .refine(durationOrder, DURATION_ORDER);

export const SegmentListSchema = z
  .strictObject({
    ...filterFields,
    sortBy: z.enum(['createdAt', 'durationSec', 'views', 'engagement']).default('createdAt'),
    sortOrder: z.enum(['asc', 'desc']).default('desc'),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_SEGMENT_PAGE_SIZE),
    after: IdSchema.optional(),
  })
  .refine(durationOrder, DURATION_ORDER);

export const AnalyticsGroupSchema = z.enum(['platform', 'tag', 'bucket', 'video'], {
  message: 'must be platform, tag, bucket or video',
});

export const AnalyticsFilterSchema = z
  .strictObject({ ...filterFields, productId: IdSchema.optional() })
  .refine(durationOrder, DURATION_ORDER);

const cutPoint = z.number('must be a number').positive('must be greater than 0').finite();

export const SplitSchema = z
  .strictObject({
    segmentSeconds: z
      .number('must be a number')
      .positive('must be greater than 0')
      .finite()
      .optional(),
    cutPointsSec: z
      .array(cutPoint)
      .min(1, 'must have at least one cut')
      .max(1000, 'must have at most 1000 cuts')
      .refine(
        (cuts) => cuts.every((cut, index) => index === 0 || cut > (cuts[index - 1] as number)),
        'must be in ascending order, each cut once',
      )
      .optional(),
    segmentType: SegmentTypeSchema.default('processed'),
    signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal).optional(),
  })
  .refine(
    (options) => (options.segmentSeconds === undefined) !== (options.cutPointsSec === undefined),
    {
      message: 'give segmentSeconds or cutPointsSec, exactly one',
      path: ['segmentSeconds'],
    },
  );

export const SyncMetricsSchema = z.strictObject({
  segmentIds: z.array(IdSchema).min(1).max(MAX_PAGE_SIZE).optional(),
  platforms: z.array(SocialPlatformSchema).min(1).optional(),
  syncedBefore: TimestampSchema.optional(),
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal).optional(),
});

export const DownloadOptionsSchema = z.strictObject({
  ttlSec: z.number().int().min(1).max(604_800).optional(),
});
