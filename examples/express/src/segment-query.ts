import {
  IdSchema,
  SegmentAnalyticsGroupSchema,
  SegmentCreateSchema,
  type SegmentFilter,
  type SegmentListQuery,
  SegmentListSchema,
  SegmentTypeSchema,
  SocialPlatformSchema,
} from '@vbuckets/core';
import { z } from 'zod';
import { queryBoolean, queryList, queryNumber } from './task-query-values';

const list = SegmentListSchema.shape;

/** Seed 004's filters as query parameters (`type`, `minDuration`, `maxDuration`, `tags`, …). */
const filterFields = {
  videoId: IdSchema.optional().describe("Only this video's segments"),
  ownerId: IdSchema.optional().describe("Only this owner's segments"),
  type: SegmentTypeSchema.optional().describe('Only segments of this type'),
  minDuration: queryNumber(list.minDurationSec)
    .optional()
    .describe('At least this many seconds long (inclusive)'),
  maxDuration: queryNumber(list.maxDurationSec)
    .optional()
    .describe('At most this many seconds long (inclusive)'),
  tags: queryList(list.tags)
    .optional()
    .describe('Every one of these tags: repeat the parameter or separate with commas'),
  hasSocialMedia: queryBoolean(list.hasSocialMedia)
    .optional()
    .describe('true: posted somewhere; false: posted nowhere'),
  platform: SocialPlatformSchema.optional().describe('Posted on this platform'),
};

const durationOrder = {
  check: (query: { minDuration?: number | undefined; maxDuration?: number | undefined }) =>
    query.minDuration === undefined ||
    query.maxDuration === undefined ||
    query.minDuration <= query.maxDuration,
  issue: { message: 'must be at least minDuration', path: ['maxDuration'] },
};

export const SegmentListQuerySchema = z
  .strictObject({
    ...filterFields,
    sortBy: list.sortBy.unwrap().optional().describe('Default createdAt'),
    sortOrder: list.sortOrder.unwrap().optional().describe('Default desc'),
    limit: queryNumber(list.limit.unwrap()).optional().describe('At most this many (default 100)'),
    after: IdSchema.optional().describe('The last segment id of the previous page'),
  })
  .refine(durationOrder.check, durationOrder.issue);

export const SegmentAnalyticsQuerySchema = z
  .strictObject({
    groupBy: SegmentAnalyticsGroupSchema,
    productId: IdSchema.optional().describe('Needed to group by bucket'),
    ...filterFields,
  })
  .refine(durationOrder.check, durationOrder.issue);

type FilterQuery = z.output<z.ZodObject<typeof filterFields>>;

/** The query's filters under the names the SDK gives them. */
export function segmentFilterOf(query: FilterQuery): SegmentFilter {
  return {
    ...(query.videoId === undefined ? {} : { videoId: query.videoId }),
    ...(query.ownerId === undefined ? {} : { ownerId: query.ownerId }),
    ...(query.type === undefined ? {} : { segmentType: query.type }),
    ...(query.minDuration === undefined ? {} : { minDurationSec: query.minDuration }),
    ...(query.maxDuration === undefined ? {} : { maxDurationSec: query.maxDuration }),
    ...(query.tags === undefined ? {} : { tags: query.tags }),
    ...(query.hasSocialMedia === undefined ? {} : { hasSocialMedia: query.hasSocialMedia }),
    ...(query.platform === undefined ? {} : { platform: query.platform }),
  };
}

/** The list query under the SDK's names. */
export function segmentListQueryOf(
  query: z.output<typeof SegmentListQuerySchema>,
): SegmentListQuery {
  return {
    ...segmentFilterOf(query),
    ...(query.sortBy === undefined ? {} : { sortBy: query.sortBy }),
    ...(query.sortOrder === undefined ? {} : { sortOrder: query.sortOrder }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(query.after === undefined ? {} : { after: query.after }),
  };
}

const create = SegmentCreateSchema.shape;

/** The text fields of a segment upload form (the file is the part `file`). */
export const SegmentFormFieldsSchema = z.strictObject({
  videoId: create.videoId,
  durationSec: queryNumber(create.durationSec),
  id: IdSchema.optional(),
  segmentType: SegmentTypeSchema.optional(),
  segmentNumber: queryNumber(create.segmentNumber).optional(),
  ownerId: IdSchema.optional(),
  title: create.title.optional(),
  description: create.description.optional(),
  tags: queryList(create.tags).optional(),
  contentType: create.contentType.optional(),
});
