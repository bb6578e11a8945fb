import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, IdSchema, PageSchema } from '../../schemas/common';
import { EvidenceSourceSchema, PatternDimensionSchema, TagValueSchema } from '../../schemas/market';

/** Thompson draws behind P(best) when a ranking names none. */
export const DEFAULT_RANK_DRAWS = 4000;

const tagFields = {
  hookType: TagValueSchema.optional(),
  emotion: TagValueSchema.optional(),
  pacing: TagValueSchema.optional(),
  targetAudiencePain: TagValueSchema.optional(),
  tags: z.array(TagValueSchema).max(50).optional(),
};

const creativeFields = {
  name: z.string().trim().min(1).max(300),
  productCategory: IdSchema,
  sourcePlatform: z.string().trim().min(1).max(100).optional(),
  /** A video already in the registry. */
  videoId: IdSchema.optional(),
  ...tagFields,
};

/**
 * A client creative's fields as JSON (`addClientCreative` without video bytes): what an HTTP
 * body or a form can carry. The service's own schema adds the `video` bytes.
 */
export const ClientCreativeFieldsSchema = z.strictObject(creativeFields);

/** A benchmark's fields as JSON (`ingestBenchmark` without video bytes). */
export const BenchmarkFieldsSchema = z.strictObject({
  ...creativeFields,
  marketCvr: z.number().min(0).max(1),
  marketLongevityDays: z.number().positive().finite(),
  avgDailyClicks: z.number().nonnegative().finite(),
  sourceUrl: z.string().trim().url().max(2000).optional(),
  ownerId: IdSchema.optional(),
});

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Results to add to a creative (`recordPerformance`); conversions ≤ clicks. */
export const PerformanceInputSchema = z
  .strictObject({ impressions: count.optional(), clicks: count, conversions: count })
  .refine((value) => value.conversions <= value.clicks, {
    message: 'conversions must not exceed clicks',
    path: ['conversions'],
  });

/** Which arms `rank` ranks. */
export const RankQuerySchema = z.strictObject({
  productCategory: IdSchema,
  dimension: PatternDimensionSchema.optional(),
  source: EvidenceSourceSchema.optional(),
  draws: z.number().int().min(100).max(100_000).default(DEFAULT_RANK_DRAWS),
  seed: z.number().int().optional(),
});

/** Which arms `choose` draws from, and how many it answers. */
export const ChooseQuerySchema = RankQuerySchema.omit({ draws: true }).extend({
  n: z.number().int().min(1).max(100).default(1),
});

/** Which creatives `list` returns. */
export const CreativeListFilterSchema = z.strictObject({
  productCategory: IdSchema.optional(),
  source: EvidenceSourceSchema.optional(),
  includePublic: z.boolean().default(true),
});

/** A page of `list`. */
export const CreativeListPageSchema = PageSchema.extend({
  limit: PageSchema.shape.limit.default(DEFAULT_PAGE_SIZE),
});
