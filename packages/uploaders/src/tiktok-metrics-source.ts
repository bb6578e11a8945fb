import type { MetricsSource, PostMetrics } from '@vbuckets/core/adapter-kit';
import { z } from 'zod';
import {
  count,
  METRICS_ACTION,
  type MetricsSourceSettings,
  metricsSourceOfSettings,
  unexpectedAnswer,
} from './metrics-source-run';
import { tiktokApiCall } from './tiktok-error';
import { TIKTOK_DEFAULT_BASE_URL } from './tiktok-uploader';

/** `/v2/video/query/` takes up to 20 video ids a request. */
export const TIKTOK_MAX_IDS_PER_CALL = 20;
/** The Video Object fields asked for. */
export const TIKTOK_METRICS_FIELDS = 'id,view_count,like_count,comment_count,share_count';

const PLATFORM = 'tiktok';

const QueryDataSchema = z
  .object({
    videos: z
      .array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }))
      .default([]),
  })
  .default({ videos: [] });

/** A Video Object's counts: `view_count`, `like_count`, `share_count`, `comment_count`. */
export function tiktokPostMetrics(video: Record<string, unknown>): PostMetrics {
  return {
    views: count(video.view_count),
    likes: count(video.like_count),
    shares: count(video.share_count),
    comments: count(video.comment_count),
    clicks: null,
    conversions: null,
  };
}

/**
 * Reads the counts of the user's TikTok videos with the Display API: `POST
 * /v2/video/query/?fields=id,view_count,like_count,comment_count,share_count` with
 * `{ "filters": { "video_ids": [...] } }` (scope `video.list`, 20 ids a request). TikTok
 * answers only the ids that are the token owner's public videos: an id left out (deleted,
 * private, someone else's, or the publish id of an inbox upload never posted) is NOT_FOUND.
 * Errors as the uploader maps them: `access_token_invalid`/`scope_not_authorized` →
 * UNAUTHENTICATED, 429 `rate_limit_exceeded` → RATE_LIMITED (Retry-After, else a minute).
 */
export function createTikTokMetricsSource(settings: MetricsSourceSettings): MetricsSource {
  return metricsSourceOfSettings(
    settings,
    'tiktok metrics settings',
    PLATFORM,
    TIKTOK_MAX_IDS_PER_CALL,
    TIKTOK_DEFAULT_BASE_URL,
    (client) => async (ids, signal) => {
      const data = await tiktokApiCall(
        client,
        '/v2/video/query/',
        { filters: { video_ids: ids } },
        METRICS_ACTION,
        signal,
        { fields: TIKTOK_METRICS_FIELDS },
      );
      const parsed = QueryDataSchema.safeParse(data ?? undefined);
      if (!parsed.success) throw unexpectedAnswer(PLATFORM, data, parsed.error);
      return new Map(parsed.data.videos.map((video) => [video.id, tiktokPostMetrics(video)]));
    },
  );
}
