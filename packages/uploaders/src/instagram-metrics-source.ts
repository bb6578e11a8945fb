import type { MetricsSource, PostMetrics } from '@vbuckets/core/adapter-kit';
import { z } from 'zod';
import { INSTAGRAM_DEFAULT_BASE_URL } from './instagram-reels-uploader';
import { graphRequest, parseGraphAnswer } from './meta-graph-client';
import { graphMissingObject } from './meta-graph-error';
import {
  METRICS_ACTION,
  type MetricsSourceSettings,
  metricsSourceOfSettings,
  postNotFound,
} from './metrics-source-run';

/** The media insights metrics asked for (`plays` is gone since v22.0: `views` replaces it). */
export const INSTAGRAM_METRICS = 'views,likes,comments,shares';

const PLATFORM = 'instagram';

/** Graph insights: `{ data: [{ name, period, values: [{ value }] }] }`. */
export const GraphInsightsSchema = z.object({
  data: z
    .array(
      z.looseObject({
        name: z.string(),
        values: z.array(z.looseObject({ value: z.unknown() })).optional(),
        total_value: z.looseObject({ value: z.unknown() }).optional(),
      }),
    )
    .default([]),
});
export type GraphInsights = z.infer<typeof GraphInsightsSchema>;

/** The lifetime value of each metric of a Graph insights answer, by name. */
export function insightValues(insights: GraphInsights): Map<string, unknown> {
  return new Map(
    insights.data.map((metric) => [
      metric.name,
      metric.values?.at(-1)?.value ?? metric.total_value?.value,
    ]),
  );
}

function number(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/**
 * Reads the counts of Instagram media (Reels and feed videos) from media insights: `GET
 * /{ig-media-id}/insights?metric=views,likes,comments,shares` (one media a request, so
 * `maxPostsPerCall` is 1). `views` (which replaced `plays`), `likes`, `comments` and `shares`
 * map one to one; a metric Instagram leaves out (it answers an empty set rather than 0 while
 * data is not ready) reads 0; clicks and conversions are null. These metrics count organic
 * interactions only. Graph errors as the uploaders map them: 190 → UNAUTHENTICATED; 4, 17, 32,
 * 613 → RATE_LIMITED for that media and the ones after it; 100 with subcode 33 (the media does
 * not exist or was deleted) → NOT_FOUND. The token needs `instagram_manage_insights`
 * (`instagram_business_manage_insights` with Instagram Login, `baseURL`
 * `https://graph.instagram.com/v24.0`).
 */
export function createInstagramMetricsSource(settings: MetricsSourceSettings): MetricsSource {
  return metricsSourceOfSettings(
    settings,
    'instagram metrics settings',
    PLATFORM,
    1,
    INSTAGRAM_DEFAULT_BASE_URL,
    (client) => async (ids, signal) => {
      const answers = new Map<string, PostMetrics | ReturnType<typeof postNotFound>>();
      for (const id of ids) {
        let answer: unknown;
        try {
          answer = await graphRequest(client, {
            method: 'GET',
            path: `/${encodeURIComponent(id)}/insights`,
            query: { metric: INSTAGRAM_METRICS },
            action: METRICS_ACTION,
            ...(signal === undefined ? {} : { signal }),
          });
        } catch (error) {
          const missing = graphMissingObject(error);
          if (missing === undefined) throw error;
          answers.set(id, postNotFound(PLATFORM, id, missing));
          continue;
        }
        const values = insightValues(
          parseGraphAnswer(PLATFORM, GraphInsightsSchema, answer, METRICS_ACTION),
        );
        answers.set(id, {
          views: number(values.get('views')),
          likes: number(values.get('likes')),
          shares: number(values.get('shares')),
          comments: number(values.get('comments')),
          clicks: null,
          conversions: null,
        });
      }
      return answers;
    },
  );
}
