import type { MetricsSource, PostMetrics } from '@vbuckets/core/adapter-kit';
import { GraphInsightsSchema, insightValues } from './instagram-metrics-source';
import { META_DEFAULT_BASE_URL } from './meta-ad-video-uploader';
import { graphRequest, parseGraphAnswer } from './meta-graph-client';
import { graphMissingObject } from './meta-graph-error';
import {
  METRICS_ACTION,
  type MetricsSourceSettings,
  metricsSourceOfSettings,
  postNotFound,
} from './metrics-source-run';

/** The lifetime video insights asked for. */
export const META_VIDEO_METRICS =
  'total_video_views,total_video_reactions_by_type_total,total_video_stories_by_action_type';

const PLATFORM = 'meta';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function number(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** The sum of a by-type breakdown (`{ like: 3, love: 1 }`); not an object reads 0. */
function sumOf(value: unknown): number {
  if (!isRecord(value)) return number(value);
  return Object.values(value).reduce<number>((total, each) => total + number(each), 0);
}

/** Maps the lifetime video insights of a video (see {@link createMetaAdVideoMetricsSource}). */
export function metaPostMetrics(values: Map<string, unknown>): PostMetrics {
  const stories = values.get('total_video_stories_by_action_type');
  return {
    views: number(values.get('total_video_views')),
    likes: sumOf(values.get('total_video_reactions_by_type_total')),
    shares: isRecord(stories) ? number(stories.share) : 0,
    comments: isRecord(stories) ? number(stories.comment) : 0,
    clicks: null,
    conversions: null,
  };
}

/**
 * Reads the counts of Meta videos (the ad-library videos the Meta uploader posts, once they
 * are published on a Page) from the Graph video insights: `GET
 * /{video-id}/video_insights?metric=total_video_views,total_video_reactions_by_type_total,total_video_stories_by_action_type&period=lifetime`,
 * one video a request. Views are `total_video_views` (viewed 3 seconds or to the end); likes
 * are all reactions (`total_video_reactions_by_type_total`, summed over the types); shares and
 * comments are the `share` and `comment` entries of `total_video_stories_by_action_type`. A
 * metric Graph leaves out reads 0. Video insights carry no link clicks or conversions (those
 * are Ads Insights of an ad, not of a video): null. Graph errors as the uploaders map them; a
 * deleted video (100/33) is NOT_FOUND. The token needs `read_insights` (a Page token with the
 * ANALYZE task).
 */
export function createMetaAdVideoMetricsSource(settings: MetricsSourceSettings): MetricsSource {
  return metricsSourceOfSettings(
    settings,
    'meta metrics settings',
    PLATFORM,
    1,
    META_DEFAULT_BASE_URL,
    (client) => async (ids, signal) => {
      const answers = new Map<string, PostMetrics | ReturnType<typeof postNotFound>>();
      for (const id of ids) {
        let answer: unknown;
        try {
          answer = await graphRequest(client, {
            method: 'GET',
            path: `/${encodeURIComponent(id)}/video_insights`,
            query: { metric: META_VIDEO_METRICS, period: 'lifetime' },
            action: METRICS_ACTION,
            ...(signal === undefined ? {} : { signal }),
          });
        } catch (error) {
          const missing = graphMissingObject(error);
          if (missing === undefined) throw error;
          answers.set(id, postNotFound(PLATFORM, id, missing));
          continue;
        }
        answers.set(
          id,
          metaPostMetrics(
            insightValues(parseGraphAnswer(PLATFORM, GraphInsightsSchema, answer, METRICS_ACTION)),
          ),
        );
      }
      return answers;
    },
  );
}
