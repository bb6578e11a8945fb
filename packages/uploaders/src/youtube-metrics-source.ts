import type { MetricsSource, PostMetrics } from '@vbuckets/core/adapter-kit';
import { z } from 'zod';
import { apiRequest } from './api-client';
import {
  count,
  METRICS_ACTION,
  type MetricsSourceSettings,
  metricsSourceOfSettings,
  unexpectedAnswer,
} from './metrics-source-run';
import { mapHttpFailure } from './uploader-error';
import { DEFAULT_YOUTUBE_BASE_URL } from './youtube-settings';

/** `videos.list` takes at most 50 ids in its `id` parameter. */
export const YOUTUBE_MAX_IDS_PER_CALL = 50;

const PLATFORM = 'youtube';

const ListAnswerSchema = z.object({
  items: z
    .array(
      z.object({
        id: z.string(),
        statistics: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .default([]),
});

/** YouTube's statistics: counts as decimal strings; a hidden like or comment count is absent. */
export function youTubePostMetrics(statistics: Record<string, unknown> | undefined): PostMetrics {
  return {
    views: count(statistics?.viewCount),
    likes: count(statistics?.likeCount),
    shares: 0,
    comments: count(statistics?.commentCount),
    clicks: null,
    conversions: null,
  };
}

/**
 * Reads public counts of YouTube videos with the Data API v3: `GET
 * /youtube/v3/videos?part=statistics&id=a,b,…` (1 quota unit a call, 50 ids at most).
 * `viewCount`, `likeCount` and `commentCount` (decimal strings; a hidden count is absent and
 * reads 0) are views, likes and comments; the API has no shares (0) and no clicks or
 * conversions (null). A deleted, private or unknown video is left out of `items` and answers
 * NOT_FOUND. 403 `quotaExceeded` / 429 are RATE_LIMITED for every post of the call and the
 * posts after it. The token needs `youtube.readonly` (or `youtube`) to see the owner's
 * unlisted and private videos.
 */
export function createYouTubeMetricsSource(settings: MetricsSourceSettings): MetricsSource {
  return metricsSourceOfSettings(
    settings,
    'youtube metrics settings',
    PLATFORM,
    YOUTUBE_MAX_IDS_PER_CALL,
    DEFAULT_YOUTUBE_BASE_URL,
    (client) => async (ids, signal) => {
      const answer = await apiRequest(client, {
        method: 'GET',
        path: '/youtube/v3/videos',
        query: { part: 'statistics', id: ids.join(',') },
        action: METRICS_ACTION,
        ...(signal === undefined ? {} : { signal }),
      });
      if (!answer.ok) {
        throw mapHttpFailure({
          platform: PLATFORM,
          status: answer.status,
          headers: answer.headers,
          body: answer.body,
          action: METRICS_ACTION,
        });
      }
      const parsed = ListAnswerSchema.safeParse(answer.body);
      if (!parsed.success) throw unexpectedAnswer(PLATFORM, answer.body, parsed.error);
      return new Map(
        parsed.data.items.map((item) => [item.id, youTubePostMetrics(item.statistics)]),
      );
    },
  );
}
