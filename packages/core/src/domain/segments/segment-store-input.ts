import { z } from 'zod';
import { fromZodError, type VBucketsError, validationError } from '../../errors';
import type { SegmentFilter, SegmentPatch, SocialUsageUpsert } from '../../ports/segment-store';
import { IdSchema, TimestampSchema } from '../../schemas/common';
import {
  type Segment,
  SegmentSchema,
  SegmentTypeSchema,
  SocialPlatformSchema,
  SocialUsageSchema,
} from '../../schemas/segment';

// What every store checks before it writes a segment or a usage row, so that a value one
// database would store, round or refuse with a driver error (NUL in a title, a fractional
// count, an infinite duration) is refused the same way (VALIDATION, naming the field) by all.
// The stores keep exactly what they are given: nothing here trims or rewrites a value, it
// only refuses (a tag with white space around it is refused, not trimmed). Stray extra
// properties are ignored, as the stores never keep them.

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting NUL is the point
const NO_NUL = /^[^\u0000]*$/;

/** One-line text (a title, a post id): no control character at all, as names. */
const LineSchema = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

/** Free text (a description): line breaks and tabs are fine, NUL is not. */
const FreeTextSchema = z
  .string()
  .max(10_000, 'must be at most 10000 characters')
  .regex(NO_NUL, 'must not contain NUL (\\u0000)');

const TagSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
  .refine((tag) => tag.trim() === tag, 'must not start or end with white space');

const TagsSchema = z
  .array(TagSchema)
  .max(200, 'must have at most 200 items')
  .superRefine((tags, context) => {
    const seen = new Set<string>();
    tags.forEach((tag, index) => {
      if (seen.has(tag)) {
        context.addIssue({
          code: 'custom',
          message: `"${tag}" appears more than once`,
          path: [index],
        });
      }
      seen.add(tag);
    });
  });

/** A duration in seconds: finite (zod refuses Infinity and NaN) and at least 0. */
const DurationSchema = z.number().nonnegative('must be at least 0');
const CountSchema = z.number().int('must be a whole number').nonnegative('must be at least 0');
const NullableCountSchema = CountSchema.nullable();

const usage = SocialUsageSchema.shape;
const UsageShape = z.object({
  ...usage,
  postId: LineSchema(1000).min(1, 'must not be empty').nullable(),
  postUrl: LineSchema(4000).min(1, 'must not be empty').nullable(),
  views: CountSchema,
  likes: CountSchema,
  shares: CountSchema,
  comments: CountSchema,
  clicks: NullableCountSchema,
  conversions: NullableCountSchema,
});

const segment = SegmentSchema.shape;
const SegmentShape = z.object({
  ...segment,
  segmentNumber: CountSchema,
  blobKey: LineSchema(1024).min(1, 'must not be empty'),
  durationSec: DurationSchema,
  sizeBytes: CountSchema,
  contentType: LineSchema(255).min(1, 'must not be empty'),
  title: LineSchema(1000).nullable(),
  description: FreeTextSchema.nullable(),
  tags: TagsSchema,
  socialUsage: z.array(UsageShape).superRefine((usages, context) => {
    const seen = new Set<string>();
    usages.forEach((each, index) => {
      if (seen.has(each.platform)) {
        context.addIssue({
          code: 'custom',
          message: `${each.platform} appears more than once`,
          path: [index, 'platform'],
        });
      }
      seen.add(each.platform);
    });
  }),
});

const PatchShape = z.object({
  segmentType: SegmentTypeSchema.optional(),
  segmentNumber: CountSchema.optional(),
  title: LineSchema(1000).nullable().optional(),
  description: FreeTextSchema.nullable().optional(),
  tags: TagsSchema.optional(),
  updatedAt: TimestampSchema,
});

const UpsertShape = z.object({
  segmentId: IdSchema,
  platform: SocialPlatformSchema,
  postId: UsageShape.shape.postId.optional(),
  postUrl: UsageShape.shape.postUrl.optional(),
  postedAt: TimestampSchema.nullable().optional(),
  uploadId: IdSchema.nullable().optional(),
  metrics: z
    .object({
      views: CountSchema,
      likes: CountSchema,
      shares: CountSchema,
      comments: CountSchema,
      clicks: NullableCountSchema,
      conversions: NullableCountSchema,
    })
    .optional(),
  lastSyncedAt: TimestampSchema.nullable().optional(),
  now: TimestampSchema,
});

const FilterShape = z.object({
  ownerId: IdSchema.optional(),
  videoId: IdSchema.optional(),
  segmentType: SegmentTypeSchema.optional(),
  minDurationSec: DurationSchema.optional(),
  maxDurationSec: DurationSchema.optional(),
  tags: z.array(TagSchema).optional(),
  hasSocialMedia: z.boolean().optional(),
  platform: SocialPlatformSchema.optional(),
  productId: IdSchema.optional(),
});

const OrderShape = z.object({
  sortBy: z.enum(['createdAt', 'durationSec', 'views', 'engagement']).optional(),
  sortOrder: z.enum(['asc', 'desc']).optional(),
});

const ListPostedShape = z.object({
  segmentIds: z.array(IdSchema).optional(),
  platforms: z.array(SocialPlatformSchema).optional(),
  syncedBefore: TimestampSchema.optional(),
  after: z.string().optional(),
  limit: CountSchema.optional(),
});

function check(schema: z.ZodType, value: unknown, subject: string): VBucketsError | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : fromZodError(parsed.error, subject);
}

/** The problem with a segment to insert (its fields and its usage rows), or undefined. */
export function segmentInputError(value: Segment): VBucketsError | undefined {
  return check(SegmentShape, value, 'segment');
}

/** The problem with a segment `update` patch, or undefined. */
export function segmentPatchError(patch: SegmentPatch): VBucketsError | undefined {
  return check(PatchShape, patch, 'patch');
}

/** The problem with a usage row to write, or undefined. */
export function socialUsageUpsertError(value: SocialUsageUpsert): VBucketsError | undefined {
  return check(UpsertShape, value, 'usage');
}

/** The problem with a list or analytics filter, or undefined. */
export function segmentFilterError(
  filter: (SegmentFilter & { productId?: string }) | undefined,
): VBucketsError | undefined {
  return filter === undefined ? undefined : check(FilterShape, filter, 'filter');
}

/** The problem with a list order, or undefined. */
export function segmentOrderError(order: unknown): VBucketsError | undefined {
  return order === undefined ? undefined : check(OrderShape, order, 'order');
}

/** A `listPosted` position: the segment id and platform of the last row of the page before. */
export interface SocialUsageKey {
  segmentId: string;
  platform: string;
}

/**
 * The problem with a `listPosted` filter, or undefined. `after` must be a `segmentId:platform`
 * key (split at the last colon, as platforms have none); it is a position, not a row that must
 * still be listed, since a sync moves rows out of `syncedBefore` as it goes.
 */
export function listPostedFilterError(filter: unknown): VBucketsError | undefined {
  const problem = check(ListPostedShape, filter, 'filter');
  if (problem !== undefined) return problem;
  const after = (filter as { after?: string }).after;
  if (after !== undefined && parseUsageKey(after) === undefined) {
    return validationError(
      `Invalid filter.after: must be a "segmentId:platform" key (got "${after}")`,
      { path: 'after', details: { after } },
    );
  }
  return undefined;
}

/** The parts of a `segmentId:platform` key, or undefined when it is not one. */
export function parseUsageKey(key: string): SocialUsageKey | undefined {
  const colon = key.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const segmentId = key.slice(0, colon);
  const platform = key.slice(colon + 1);
  if (!IdSchema.safeParse(segmentId).success) return undefined;
  if (!SocialPlatformSchema.safeParse(platform).success) return undefined;
  return { segmentId, platform };
}

/** The key `listPosted` pages by. */
export const usageKey = (segmentId: string, platform: string) => `${segmentId}:${platform}`;

/** VALIDATION for analytics grouped by bucket without the product whose buckets they are. */
export function segmentAnalyticsError(
  groupBy: string,
  filter: (SegmentFilter & { productId?: string }) | undefined,
): VBucketsError | undefined {
  if (!['platform', 'tag', 'bucket', 'video'].includes(groupBy)) {
    return validationError(
      `Invalid groupBy: must be one of platform, tag, bucket, video (got "${groupBy}")`,
      { path: 'groupBy' },
    );
  }
  const invalid = segmentFilterError(filter);
  if (invalid !== undefined) return invalid;
  if (groupBy === 'bucket' && filter?.productId === undefined) {
    return validationError(
      'Invalid filter.productId: grouping by bucket needs the product whose buckets they are',
      { path: 'productId' },
    );
  }
  return undefined;
}
