export {
  type BlobStoreConformanceOptions,
  describeBlobStoreConformance,
} from './blob-store-conformance';
export {
  makeBenchmark,
  makeBucket,
  makeCategorization,
  makeCreative,
  makeGenerationTask,
  makeSegment,
  makeSession,
  makeSocialUsage,
  makeTenant,
  makeThumbnail,
  makeVideo,
  randomSha256,
  type Tenant,
  timestamp,
  uniqueId,
  uniqueJobKind,
} from './builders';
export {
  type AnthropicErrorAnswer,
  type AnthropicErrorBody,
  anthropicError,
} from './fake-anthropic/fake-anthropic-errors';
export { imageTokens, readJpegSize } from './fake-anthropic/fake-anthropic-images';
export { startFakeAnthropicServer } from './fake-anthropic/fake-anthropic-server';
export type {
  FakeAnthropicBehaviour,
  FakeAnthropicImage,
  FakeAnthropicRequest,
  FakeAnthropicRoute,
  FakeAnthropicServer,
  FakeAnthropicServerOptions,
  FakeAnthropicSwitches,
} from './fake-anthropic/fake-anthropic-types';
export {
  formatRetryDelay,
  type GoogleErrorAnswer,
  type GoogleErrorBody,
} from './fake-gemini/fake-gemini-errors';
export { startFakeGeminiServer } from './fake-gemini/fake-gemini-server';
export type {
  FakeGeminiAnswerFormat,
  FakeGeminiBehaviour,
  FakeGeminiFile,
  FakeGeminiFileOutcome,
  FakeGeminiRequest,
  FakeGeminiRoute,
  FakeGeminiServer,
  FakeGeminiServerOptions,
  FakeGeminiSwitches,
} from './fake-gemini/fake-gemini-types';
export { flatHeaders, listenOnLoopback, readBody } from './fake-http';
export { startFakeInstagramServer } from './fake-instagram/fake-instagram-server';
export type {
  FakeInstagramBehaviour,
  FakeInstagramContainer,
  FakeInstagramContainerOutcome,
  FakeInstagramRequest,
  FakeInstagramRoute,
  FakeInstagramServer,
  FakeInstagramServerOptions,
  FakeInstagramSwitches,
} from './fake-instagram/fake-instagram-types';
export {
  type GraphErrorAnswer,
  graphError,
  graphInsightsAnswer,
  graphMissingObject,
  startFakeMetaServer,
} from './fake-meta/fake-meta-server';
export type {
  FakeMetaBehaviour,
  FakeMetaRequest,
  FakeMetaRoute,
  FakeMetaServer,
  FakeMetaServerOptions,
  FakeMetaSession,
  FakeMetaSwitches,
  FakeMetaVideoOutcome,
} from './fake-meta/fake-meta-types';
export {
  createFakeMetricsBook,
  type FakeMetricsBook,
  type FakeMetricsControls,
  type FakePostMetrics,
} from './fake-metrics';
export {
  startFakeTikTokServer,
  type TikTokAnswer,
  tiktokAnswer,
} from './fake-tiktok/fake-tiktok-server';
export type {
  FakeTikTokBehaviour,
  FakeTikTokOutcome,
  FakeTikTokPublish,
  FakeTikTokRequest,
  FakeTikTokRoute,
  FakeTikTokServer,
  FakeTikTokServerOptions,
  FakeTikTokSwitches,
} from './fake-tiktok/fake-tiktok-types';
export {
  type FakeYouTubeErrorAnswer,
  youTubeError,
} from './fake-youtube/fake-youtube-errors';
export { startFakeYouTubeServer } from './fake-youtube/fake-youtube-server';
export type {
  FakeYouTubeChaos,
  FakeYouTubeChaosKind,
  FakeYouTubeFailure,
  FakeYouTubeRequest,
  FakeYouTubeRoute,
  FakeYouTubeScript,
  FakeYouTubeServer,
  FakeYouTubeServerOptions,
  FakeYouTubeSession,
  FakeYouTubeVideo,
} from './fake-youtube/fake-youtube-types';
export {
  describeJobQueueConformance,
  type JobQueueConformanceOptions,
} from './job-queue-conformance';
export {
  type AcquireTestPostgresOptions,
  acquireTestPostgres,
  createTestSchema,
  DEFAULT_TEST_POSTGRES_URL,
  dropTestSchema,
  dropTestSchemas,
  type EmbeddedPostgresLike,
  type EmbeddedPostgresOptionsLike,
  type PgClientLike,
  type PgModuleLike,
  type TestPostgres,
  testSchemaName,
} from './postgres-test-server';
export {
  expectErrorCode,
  expectOk,
  type ResultLike,
  type ResultThenable,
} from './result-assertions';
export {
  S3RVER_CREDENTIALS,
  type S3TestServer,
  type StartS3ServerOptions,
  startS3Server,
} from './s3/s3-test-server';
export { parseAmzDate, sigV4Signature, uriEncode } from './s3/sigv4';
export {
  type RecordedS3Request,
  type S3RequestAuthorization,
  type SigV4VerifyingProxy,
  type SigV4VerifyingProxyOptions,
  startSigV4VerifyingProxy,
} from './s3/sigv4-verifying-proxy';
export { describeStoreConformance, type StoreConformanceOptions } from './store-conformance';
export { HOSTILE_STRINGS, LONG_HOSTILE_TEXT } from './store-conformance-hostile-strings';
export {
  type ConformanceVideoOptions,
  describeUploaderConformance,
  type UploaderCapabilities,
  type UploaderConformanceHarness,
  type UploaderConformanceOptions,
  type UploaderFailureKind,
  uploadableVideoOf,
} from './uploader-conformance';
