import { z } from 'zod';
import { IdSchema, JsonObjectSchema, TimestampSchema, UnitIntervalSchema } from './common';

export const EvidenceSourceSchema = z.enum(['benchmark', 'client']);
export type EvidenceSource = z.infer<typeof EvidenceSourceSchema>;

/** Where a creative's vision analysis is: never asked, waiting, running, finished, failed. */
export const AnalysisStatusSchema = z.enum(['none', 'queued', 'running', 'done', 'failed']);
export type AnalysisStatus = z.infer<typeof AnalysisStatusSchema>;

/** The tag dimensions of a creative (seed 003); `tag` holds the free-form extra tags. */
export const PatternDimensionSchema = z.enum([
  'hookType',
  'emotion',
  'pacing',
  'targetAudiencePain',
  'tag',
]);
export type PatternDimension = z.infer<typeof PatternDimensionSchema>;

/** A tag value: trimmed, 1..100 characters. */
export const TagValueSchema = z.string().trim().min(1).max(100);

/** An ad creative: a market benchmark (public) or a client's own video (private) (seed 003). */
export const CreativeSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  ownerId: IdSchema.nullable(),
  name: z.string().min(1),
  productCategory: IdSchema,
  source: EvidenceSourceSchema,
  isPublic: z.boolean(),
  /** The registry's video, when the creative's bytes were registered. */
  videoId: IdSchema.nullable(),
  sourcePlatform: z.string().nullable(),
  /** Where a benchmark was found (an ad library URL): one creative per URL and org. */
  sourceUrl: z.string().nullable(),
  marketCvr: UnitIntervalSchema.nullable(),
  marketLongevityDays: z.number().positive().nullable(),
  avgDailyClicks: z.number().nonnegative().nullable(),
  hookType: TagValueSchema.nullable(),
  emotion: TagValueSchema.nullable(),
  pacing: TagValueSchema.nullable(),
  targetAudiencePain: TagValueSchema.nullable(),
  extraTags: z.array(TagValueSchema),
  impressions: z.number().int().nonnegative(),
  clicks: z.number().int().nonnegative(),
  conversions: z.number().int().nonnegative(),
  analysisStatus: AnalysisStatusSchema,
  analysis: JsonObjectSchema.nullable(),
  analysisError: z.string().nullable(),
  analyzedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Creative = z.infer<typeof CreativeSchema>;

/**
 * The evidence about one pattern (a value of a dimension, e.g. hookType = "question") in one
 * product category from one source, as a Beta: one row per (org, productCategory, dimension,
 * value, source). Benchmarks and client evidence share the table, told apart by `source` and
 * `weight` (seed 003 §3).
 */
export const PatternPerformanceSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  productCategory: IdSchema,
  dimension: PatternDimensionSchema,
  value: TagValueSchema,
  source: EvidenceSourceSchema,
  weight: z.number().nonnegative(),
  /** 1 + the conversions of the evidence (capped priors for benchmarks). */
  alpha: z.number().positive(),
  /** 1 + the non-converting clicks of the evidence. */
  beta: z.number().positive(),
  /** Observed clicks and conversions behind the row (before any prior cap, for benchmarks the market's). */
  clicks: z.number().nonnegative(),
  conversions: z.number().nonnegative(),
  /** The longest market run among the row's benchmarks; null for client evidence. */
  marketLongevityDays: z.number().positive().nullable(),
  updatedAt: TimestampSchema,
});
export type PatternPerformance = z.infer<typeof PatternPerformanceSchema>;
