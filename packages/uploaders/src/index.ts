export {
  createInstagramMetricsSource,
  INSTAGRAM_METRICS,
} from './instagram-metrics-source';
export {
  createInstagramReelsUploader,
  INSTAGRAM_DEFAULT_BASE_URL,
  INSTAGRAM_DEFAULT_QUOTA_TOTAL,
  type InstagramReelsUploaderSettings,
} from './instagram-reels-uploader';
export {
  createLocalDirectoryUploader,
  type LocalDirectoryMetadata,
  LocalDirectoryMetadataSchema,
  type LocalDirectoryUploaderSettings,
  safeFileName,
} from './local-directory-uploader';
export {
  createMetaAdVideoMetricsSource,
  META_VIDEO_METRICS,
} from './meta-ad-video-metrics-source';
export {
  createMetaAdVideoUploader,
  META_DEFAULT_BASE_URL,
  type MetaAdVideoUploaderSettings,
} from './meta-ad-video-uploader';
export {
  type GraphErrorInfo,
  type GraphHttpFailure,
  graphErrorInfo,
  graphHttpError,
  graphMissingObject,
  graphRetryAfterMs,
  META_DEFAULT_RATE_LIMIT_RETRY_MS,
} from './meta-graph-error';
export type { MetricsSourceSettings } from './metrics-source-run';
export { tiktokHttpError } from './tiktok-error';
export {
  createTikTokMetricsSource,
  TIKTOK_MAX_IDS_PER_CALL,
  TIKTOK_METRICS_FIELDS,
} from './tiktok-metrics-source';
export {
  createTikTokUploader,
  TIKTOK_DEFAULT_BASE_URL,
  type TikTokPostMode,
  type TikTokUploaderSettings,
  tiktokChunkPlan,
} from './tiktok-uploader';
export {
  DEFAULT_QUOTA_RETRY_MS,
  DEFAULT_RATE_LIMIT_RETRY_MS,
  type HeadersLike,
  type HttpFailure,
  headerValue,
  mapHttpFailure,
  mapNetworkFailure,
  type PlatformErrorInfo,
  parseRetryAfter,
  platformErrorInfo,
} from './uploader-error';
export type {
  AccessTokenSource,
  ApiUploaderSettings,
  PollingUploaderSettings,
} from './uploader-settings';
export {
  createWebhookUploader,
  type WebhookUploaderSettings,
  webhookSignature,
} from './webhook-uploader';
export {
  createYouTubeMetricsSource,
  YOUTUBE_MAX_IDS_PER_CALL,
} from './youtube-metrics-source';
export {
  type AccessTokenProvider,
  DEFAULT_YOUTUBE_BASE_URL,
  type YouTubeMetadata,
  YouTubeMetadataSchema,
  type YouTubePrivacyStatus,
  type YouTubeUploaderSettings,
} from './youtube-settings';
export { createYouTubeUploader } from './youtube-uploader';
