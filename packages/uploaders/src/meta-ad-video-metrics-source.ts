import type { MetricsSource, PostMetrics } from '@vbuckets/core/adapter-kit';
import { graphCount, graphInsightsMetricsSource } from './graph-insights';
import { META_DEFAULT_BASE_URL } from './meta-ad-video-uploader';
import type { MetricsSourceSettings } from './metrics-source-run';

/** The lifetime video insights asked for. */
export const META_VIDEO_METRICS =
  'total_video_views,total_video_reactions_by_type_total,total_video_stories_by_action_type';

const PLATFORM = 'meta';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The sum of a by-type breakdown (`{ like: 3, love: 1 }`); not an object reads 0. */
function sumOf(value: unknown): number {
  if (!isRecord(value)) return graphCount(value);
  return Object.values(value).reduce<number>((total, each) => total + graphCount(each), 0);
}

/** Maps the lifetime video insights of a video (see {@link createMetaAdVideoMetricsSource}). */
export function metaPostMetrics(values: Map<string, unknown>): PostMetrics {
  const stories = values.get('total_video_stories_by_action_type');
  return {
    views: graphCount(values.get('total_video_views')),
    likes: sumOf(values.get('total_video_reactions_by_type_total')),
    shares: isRecord(stories) ? graphCount(stories.share) : 0,
    comments: isRecord(stories) ? graphCount(stories.comment) : 0,
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
  return graphInsightsMetricsSource(settings, {
    platform: PLATFORM,
    subject: 'meta metrics settings',
    defaultBaseURL: META_DEFAULT_BASE_URL,
    edge: 'video_insights',
    query: { metric: META_VIDEO_METRICS, period: 'lifetime' },
    metrics: metaPostMetrics,
  });
}
