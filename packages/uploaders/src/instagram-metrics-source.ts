import type { MetricsSource } from '@vbuckets/core/adapter-kit';
import { graphCount, graphInsightsMetricsSource } from './graph-insights';
import { INSTAGRAM_DEFAULT_BASE_URL } from './instagram-reels-uploader';
import type { MetricsSourceSettings } from './metrics-source-run';

/** The media insights metrics asked for (`plays` is gone since v22.0: `views` replaces it). */
export const INSTAGRAM_METRICS = 'views,likes,comments,shares';

const PLATFORM = 'instagram';

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
  return graphInsightsMetricsSource(settings, {
    platform: PLATFORM,
    subject: 'instagram metrics settings',
    defaultBaseURL: INSTAGRAM_DEFAULT_BASE_URL,
    edge: 'insights',
    query: { metric: INSTAGRAM_METRICS },
    metrics: (values) => ({
      views: graphCount(values.get('views')),
      likes: graphCount(values.get('likes')),
      shares: graphCount(values.get('shares')),
      comments: graphCount(values.get('comments')),
      clicks: null,
      conversions: null,
    }),
  });
}
