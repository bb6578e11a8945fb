import { z } from 'zod';

const interval = z.object({ lower: z.number(), upper: z.number() });

export const InsightArmSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['bucket', 'pattern']),
  dimension: z.string().nullable(),
  segments: z.number().int(),
  successes: z.number(),
  trials: z.number(),
  posterior: z.object({ alpha: z.number(), beta: z.number() }),
  mean: z.number(),
  interval,
  pBest: z.number(),
});

export const InsightRankingSchema = z.object({
  by: z.enum(['bucket', 'pattern']),
  productId: z.string().nullable(),
  productCategory: z.string().nullable(),
  success: z.enum(['engagement', 'clicks', 'conversions']),
  draws: z.number().int(),
  prior: z.object({ mean: z.number(), strength: z.number() }),
  arms: z.array(InsightArmSchema),
});
