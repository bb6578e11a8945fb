import {
  CreativeSchema,
  EvidenceSourceSchema,
  IdSchema,
  PatternDimensionSchema,
} from '@vbuckets/core';
import { z } from 'zod';
import { PageQuerySchema, queryNumber, VideoAccessSchema } from './video-http-schemas';

export const CreativeParams = z.strictObject({ creativeId: IdSchema });

/** `GET /benchmarks`: an anonymous listing, always bounded. */
export const BenchmarkQuerySchema = z.strictObject({
  productCategory: z.string().trim().min(1).max(100).optional(),
  limit: queryNumber(z.number().int().min(1).max(1000))
    .optional()
    .describe('Benchmarks on this page (1..1000, default 100)'),
  offset: queryNumber(z.number().int().min(0)).optional(),
});

/** What an anonymous caller may see of a benchmark video: no org, owner, blob key or hash. */
export const BenchmarkVideoSchema = z.object({
  videoId: z.string(),
  title: z.string(),
  filename: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  durationSec: z.number().nullable(),
  productCategory: z.string().nullable(),
  createdAt: z.string(),
  url: z.string().nullable().describe('The permanent public URL when the store serves one'),
});

/** `GET /creatives`: core's list filter and page, from a query string. */
export const CreativeListQuerySchema = PageQuerySchema.extend({
  productCategory: IdSchema.optional(),
  source: EvidenceSourceSchema.optional(),
  includePublic: z
    .stringbool()
    .optional()
    .describe("Also every org's public benchmarks (default true)"),
});

export const IngestedBenchmarkSchema = z.object({
  creative: CreativeSchema,
  created: z.boolean().describe('false when this sourceUrl was ingested before'),
});

export const PerformanceResultSchema = z.object({
  creative: CreativeSchema,
  applied: z.boolean().describe('false when this Idempotency-Key was applied before'),
  analysisQueued: z.boolean().describe('true when this call crossed the conversion threshold'),
});

/** `GET /creatives/video-access/:creativeId` (seed 003), in this API's camelCase. */
export const CreativeVideoAccessSchema = VideoAccessSchema.extend({
  creativeId: z.string(),
  creativeName: z.string(),
});

const BetaSchema = z.object({ alpha: z.number(), beta: z.number() });

/** One arm of a ranking or a choice. */
export const MarketArmSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['creative', 'pattern']),
  posterior: BetaSchema,
  mean: z.number(),
  interval: z.object({ lower: z.number(), upper: z.number() }),
  pBest: z.number(),
  evidence: z.object({
    benchmarkClicks: z.number(),
    clientClicks: z.number(),
    clientConversions: z.number(),
    creatives: z.number().int(),
  }),
});

export const MarketRankingSchema = z.object({
  productCategory: z.string(),
  dimension: PatternDimensionSchema.nullable(),
  draws: z.number().int(),
  arms: z.array(MarketArmSchema),
});
