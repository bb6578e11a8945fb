export type { AuditSink } from './audit-sink';
export type {
  BlobBody,
  BlobInfo,
  BlobObject,
  BlobPutOptions,
  BlobPutResult,
  BlobStore,
  BlobVisibility,
} from './blob-store';
export { type Clock, systemClock } from './clock';
export { type IdGenerator, randomIdGenerator } from './id-generator';
export type { MediaCallOptions, MediaInfo, MediaProbe } from './media-probe';
export type {
  PlatformUploader,
  PlatformUploadOptions,
  UploadableVideo,
  UploadSuccess,
} from './platform-uploader';
export type {
  AuditEventRepository,
  BucketPatch,
  BucketRepository,
  CategorizationClaimInput,
  CategorizationClaimResult,
  CategorizationPatch,
  CategorizationRepository,
  CategorizationSessionInsert,
  CategorizationSessionRepository,
  CategorizationTally,
  Store,
  StoreRepositories,
  UploadClaimInput,
  UploadClaimResult,
  UploadCompleteInput,
  UploadLeaseInput,
  UploadOutcome,
  UploadRepository,
  VideoPatch,
  VideoRepository,
} from './store';
export type {
  AnalyzerStage,
  AnalyzerVideo,
  BucketCategorizer,
  CallOptions,
  CategorizerAnswer,
  VideoAnalysis,
  VideoAnalyzer,
} from './video-analyzer';
