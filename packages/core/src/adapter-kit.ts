// `@vbuckets/core/adapter-kit`: what an adapter author implements and builds with. The ports,
// the default clock and ids, error mappers, blob-body helpers, the pure claim and lease
// decisions a store takes inside its transactions, and the parsing an AI provider needs.
// Errors themselves (`VBucketsError`, `storageError`, …) come from `@vbuckets/core`.

// Blob stores: bodies, keys
export { abortedBlobWrite, type BlobBodyContext, blobBodyChunks } from './domain/blob-body';
export { validateBlobKey } from './domain/blob-keys';
export {
  categorizerAnswerFromObject,
  parseCategorizerAnswer,
  parseConfidence,
  parseModelJsonObject,
} from './domain/categorization/model-answer';
// AI providers: a categorizer over one model request, reading a model's answer
export {
  createModelCategorizer,
  type ModelCategorizerParts,
} from './domain/categorization/model-categorizer';
export {
  isRowHeldByOther,
  planRowLease,
  type RowClaimRequest,
  type RowLease,
  rowLeaseLost,
} from './domain/categorization/row-claim';
export {
  generationTaskInputError,
  generationTaskPatchError,
  generationTaskTransitionError,
  thumbnailInputError,
} from './domain/generation/task-store-input';
export {
  type CheckedEnqueue,
  checkEnqueue,
  DEFAULT_JOB_ATTEMPTS,
  DEFAULT_JOB_BACKOFF,
  decideAfterFailure,
  JOB_STATES,
  type JobFailureDecision,
  JobKindSchema,
  jobErrorFromThrow,
} from './domain/jobs/job-rules';
export {
  DEFAULT_FAILED_LIMIT,
  dueSchedulesError,
  failedFilterError,
  isoPlus,
  JobScheduleNameSchema,
  jobClaimError,
  jobInsertError,
  jobLeaseError,
  jobLeaseLost,
  jobNotFailed,
  jobNotFound,
  jobScheduleError,
  nextOccurrence,
  STALLED_JOB_REASON,
  scheduledJobId,
} from './domain/jobs/job-store-input';
export {
  analysisStatusError,
  patternEvidenceError,
  performanceInputError,
} from './domain/market/market-store-input';
export { TRANSIENT_NETWORK_CODES, transientNetworkCode } from './domain/network-errors';
// Stores: paging, and the claim and lease decisions taken inside a transaction
export { offsetPageError, pageRequestError, unknownAfterError } from './domain/page-request';
export { type Sleep, timerSleep } from './domain/rate-limit/sleep';
// Runtime helpers every adapter needs the same way
export { runConcurrently } from './domain/run-concurrently';
export { engagementRate } from './domain/segments/engagement-rate';
export {
  listPostedFilterError,
  parseUsageKey,
  type SocialUsageKey,
  segmentAnalyticsError,
  segmentFilterError,
  segmentInputError,
  segmentOrderError,
  segmentPatchError,
  socialUsageUpsertError,
  usageKey,
} from './domain/segments/segment-store-input';
export { createSha256, type Sha256 } from './domain/sha256';
export { untilAborted } from './domain/until-aborted';
export {
  abandonedAttempt,
  type ClaimDecision,
  checkLeaseOwner,
  decideClaim,
  planLeaseRenewal,
  planUploadClaim,
  planUploadCompletion,
  type UploadClaimPlan,
  type UploadClaimRequest,
} from './domain/uploads/upload-claim';
export { isLeaseExpired } from './domain/uploads/upload-lease';
// Errors of adapters: settings refused by every call, the adapter and operation that failed
export { settingsError, withErrorSource } from './errors';
// The ports
export type { AuditSink } from './ports/audit-sink';
export type {
  BlobBody,
  BlobInfo,
  BlobObject,
  BlobPutOptions,
  BlobPutResult,
  BlobStore,
  BlobVisibility,
} from './ports/blob-store';
export { type Clock, systemClock } from './ports/clock';
export { type IdGenerator, randomIdGenerator } from './ports/id-generator';
export type {
  EnqueuedJob,
  EnqueueOptions,
  JobBackoff,
  JobCount,
  JobInfo,
  JobProcessor,
  JobQueue,
  JobRun,
  JobSchedule,
  JobState,
  JobWorker,
  JobWorkerOptions,
} from './ports/job-queue';
export type {
  JobClaimInput,
  JobInsert,
  JobLeaseRef,
  JobRepository,
  JobScheduleOccurrence,
  StoredJob,
  StoredJobSchedule,
} from './ports/job-store';
export type { LocalFileSource, LocalFiles } from './ports/local-files';
export type {
  CreativeFilter,
  CreativePatch,
  CreativeRepository,
  PatternEvidence,
  PatternKey,
  PatternPerformanceRepository,
  PerformanceDelta,
  PerformanceRecord,
} from './ports/market-store';
export type {
  FrameMetrics,
  MediaCallOptions,
  MediaInfo,
  MediaProbe,
  SplitVideoOptions,
  ThumbnailCandidate,
  ThumbnailCandidateOptions,
  VideoPiece,
} from './ports/media-probe';
export type {
  MetricsFetchOptions,
  MetricsSource,
  PostMetrics,
  PostMetricsResult,
  PostRef,
} from './ports/metrics-source';
export type {
  PlatformUploader,
  PlatformUploadOptions,
  UploadableVideo,
  UploadSuccess,
} from './ports/platform-uploader';
export type {
  SegmentAnalyticsGroup,
  SegmentFilter,
  SegmentOrder,
  SegmentPatch,
  SegmentRepository,
  SegmentSortBy,
  SegmentUsageTotals,
  SocialUsageMetricsPatch,
  SocialUsageRef,
  SocialUsageUpsert,
} from './ports/segment-store';
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
} from './ports/store';
export type {
  GenerationTaskFilter,
  GenerationTaskPatch,
  GenerationTaskRepository,
  GenerationTaskStats,
  ThumbnailRepository,
} from './ports/task-store';
export type {
  ThumbnailScore,
  ThumbnailScorer,
  ThumbnailScoringContext,
} from './ports/thumbnail-scorer';
export type { UploadClaimRefusal, UploadCompletion } from './ports/upload-outcome';
export type {
  AnalysisUsage,
  AnalyzerStage,
  AnalyzerVideo,
  BucketCategorizer,
  CallOptions,
  CategorizerAnswer,
  CreativeTags,
  VideoAnalysis,
  VideoAnalyzer,
} from './ports/video-analyzer';
