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
  createMetaAdVideoUploader,
  META_DEFAULT_BASE_URL,
  type MetaAdVideoUploaderSettings,
} from './meta-ad-video-uploader';
export {
  type GraphErrorInfo,
  type GraphHttpFailure,
  graphErrorInfo,
  graphHttpError,
  graphRetryAfterMs,
  META_DEFAULT_RATE_LIMIT_RETRY_MS,
} from './meta-graph-error';
export { tiktokHttpError } from './tiktok-error';
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
  type AccessTokenProvider,
  DEFAULT_YOUTUBE_BASE_URL,
  type YouTubeMetadata,
  YouTubeMetadataSchema,
  type YouTubePrivacyStatus,
  type YouTubeUploaderSettings,
} from './youtube-settings';
export { createYouTubeUploader } from './youtube-uploader';
