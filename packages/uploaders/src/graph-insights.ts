import type { MetricsSource, PostMetrics } from '@vbuckets/core/adapter-kit';
import { z } from 'zod';
import { graphRequest, parseGraphAnswer } from './meta-graph-client';
import { graphMissingObject } from './meta-graph-error';
import {
  METRICS_ACTION,
  type MetricsSourceSettings,
  metricsSourceOfSettings,
  postNotFound,
} from './metrics-source-run';

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

/** A count Graph reports; anything but a finite number of at least 0 reads 0. */
export function graphCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** What differs between the Graph sources that ask one object's insights a request. */
export interface GraphInsightsSource {
  platform: string;
  /** Names the settings in a settings error (`instagram metrics settings`). */
  subject: string;
  defaultBaseURL: string;
  /** The insights edge of an object: `insights` (Instagram media), `video_insights` (videos). */
  edge: string;
  query: Record<string, string>;
  metrics: (values: Map<string, unknown>) => PostMetrics;
}

/**
 * A MetricsSource on Graph insights, one object a request (`GET /{id}/{edge}`): a missing or
 * deleted object (100/33) is NOT_FOUND for that post alone; other Graph errors stop the batch
 * as the shared runner maps them.
 */
export function graphInsightsMetricsSource(
  settings: MetricsSourceSettings,
  source: GraphInsightsSource,
): MetricsSource {
  return metricsSourceOfSettings(
    settings,
    source.subject,
    source.platform,
    1,
    source.defaultBaseURL,
    (client) => async (ids, signal) => {
      const answers = new Map<string, PostMetrics | ReturnType<typeof postNotFound>>();
      for (const id of ids) {
        let answer: unknown;
        try {
          answer = await graphRequest(client, {
            method: 'GET',
            path: `/${encodeURIComponent(id)}/${source.edge}`,
            query: source.query,
            action: METRICS_ACTION,
            ...(signal === undefined ? {} : { signal }),
          });
        } catch (error) {
          const missing = graphMissingObject(error);
          if (missing === undefined) throw error;
          answers.set(id, postNotFound(source.platform, id, missing));
          continue;
        }
        answers.set(
          id,
          source.metrics(
            insightValues(
              parseGraphAnswer(source.platform, GraphInsightsSchema, answer, METRICS_ACTION),
            ),
          ),
        );
      }
      return answers;
    },
  );
}
