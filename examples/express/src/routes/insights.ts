import {
  InsightRankBucketsSchema,
  InsightRankPatternsSchema,
  InsightSuggestSchema,
} from '@vbuckets/core';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import { InsightArmSchema, InsightRankingSchema } from '../insight-schemas';
import { defineRoute, type Route } from '../route-kit';
import { queryNumber } from '../task-query-values';

const TAG = 'insights';
const buckets = InsightRankBucketsSchema.shape;
const patterns = InsightRankPatternsSchema.shape;
const suggest = InsightSuggestSchema.shape;

/** The draw options every ranking takes, as query parameters. */
const drawFields = {
  success: buckets.success
    .unwrap()
    .optional()
    .describe('engagement (default: likes + shares + comments per view), clicks or conversions'),
  seed: queryNumber(buckets.seed).optional().describe('Makes the draws reproducible'),
  priorStrength: queryNumber(buckets.priorStrength.unwrap())
    .optional()
    .describe('Pseudo-trials of the pooled prior (default 50)'),
};
const draws = queryNumber(buckets.draws.unwrap())
  .optional()
  .describe('Thompson draws behind P(best) (default 4000)');

/** What to make next, from the social results of the org's segments (seed 004 metrics). */
export function insightRoutes(_host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/insights/buckets',
      tag: TAG,
      operationId: 'rankBuckets',
      summary: "Ranks a product's buckets by their segments' results (Beta posteriors, P(best))",
      description:
        'Every bucket of the product is an arm, with data or without. A product without buckets is 404.',
      access: 'member',
      query: z.strictObject({
        productId: buckets.productId,
        ...drawFields,
        draws,
      }),
      response: { description: 'The arms, by P(best)', schema: InsightRankingSchema },
      handle: ({ vbuckets, scope, query }) => vbuckets.insights.rankBuckets(scope, query),
    }),
    defineRoute({
      method: 'get',
      path: '/insights/patterns',
      tag: TAG,
      operationId: 'rankPatterns',
      summary: "Ranks the market patterns of the org's creatives by their videos' results",
      description: 'No creative with a video is 404.',
      access: 'member',
      query: z.strictObject({
        productCategory: patterns.productCategory.optional(),
        ...drawFields,
        draws,
      }),
      response: { description: 'The arms, by P(best)', schema: InsightRankingSchema },
      handle: ({ vbuckets, scope, query }) => vbuckets.insights.rankPatterns(scope, query),
    }),
    defineRoute({
      method: 'get',
      path: '/insights/suggestions',
      tag: TAG,
      operationId: 'suggestNext',
      summary: 'The next `n` buckets (or patterns) to produce: one Thompson draw per arm',
      access: 'member',
      query: z
        .strictObject({
          by: suggest.by.unwrap().optional().describe('bucket (default) or pattern'),
          productId: suggest.productId.optional().describe('Needed with by=bucket'),
          productCategory: suggest.productCategory.optional(),
          n: queryNumber(suggest.n.unwrap()).optional().describe('How many (default 1)'),
          ...drawFields,
        })
        .refine((query) => query.by === 'pattern' || query.productId !== undefined, {
          message: 'is needed to suggest buckets (or give by=pattern)',
          path: ['productId'],
        }),
      response: { description: 'The arms to produce next', schema: z.array(InsightArmSchema) },
      handle: ({ vbuckets, scope, query }) => vbuckets.insights.suggestNext(scope, query),
    }),
  ];
}
