import { z } from 'zod';
import { IdSchema, JsonObjectSchema, TimestampSchema, UnitIntervalSchema } from './common';

export const EvidenceSourceSchema = z.enum(['benchmark', 'client']);
export type EvidenceSource = z.infer<typeof EvidenceSourceSchema>;

/** An ad creative: a market benchmark (public) or a client's own video (private) (seed 003). */
export const CreativeSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  ownerId: IdSchema.nullable(),
  name: z.string().min(1),
  source: EvidenceSourceSchema,
  isPublic: z.boolean(),
  videoId: IdSchema.nullable(),
  videoRef: z.string().nullable(),
  productCategory: z.string().nullable(),
  sourcePlatform: z.string().nullable(),
  marketCvr: UnitIntervalSchema.nullable(),
  marketLongevityDays: z.number().int().nonnegative().nullable(),
  avgDailyClicks: z.number().nonnegative().nullable(),
  hookType: z.string().nullable(),
  emotion: z.string().nullable(),
  pacing: z.string().nullable(),
  targetAudiencePain: z.string().nullable(),
  impressions: z.number().int().nonnegative(),
  clicks: z.number().int().nonnegative(),
  conversions: z.number().int().nonnegative(),
  analysis: JsonObjectSchema.nullable(),
  analyzedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type Creative = z.infer<typeof CreativeSchema>;

/** Beta-distributed performance of a pattern (hook type, emotion, …) from one source. */
export const PatternPerformanceSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  patternType: z.string().min(1),
  patternValue: z.string().min(1),
  source: EvidenceSourceSchema,
  weight: z.number().positive(),
  marketLongevityDays: z.number().int().nonnegative().nullable(),
  alpha: z.number().positive(),
  beta: z.number().positive(),
  updatedAt: TimestampSchema,
});
export type PatternPerformance = z.infer<typeof PatternPerformanceSchema>;
