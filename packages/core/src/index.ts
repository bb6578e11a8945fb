// `@vbuckets/core`: what an app calls. The facade, the services' types, errors, the schemas of
// the entities, JWT actors and the keyword provider. Ports and helpers for adapter authors are
// in `@vbuckets/core/adapter-kit`; the pure domain rules in `@vbuckets/core/domain`. Every name
// here is listed on purpose (no `export *`: the lint refuses it).

// Who may see what: actors from JWTs, video access
export {
  type AccessService,
  type BenchmarkFilter,
  type BenchmarkVideo,
  DEFAULT_ACCESS_TTL_SEC,
  DEFAULT_BENCHMARK_LIMIT,
  MAX_ACCESS_TTL_SEC,
  type VideoAccess,
} from './access/access-service';
export { bearerToken } from './access/bearer-token';
export {
  type ActorResolver,
  createJwtActorResolver,
  DEFAULT_ORG_CLAIM,
  DEFAULT_ROLES_CLAIM,
  MAX_TOKEN_CHARACTERS,
} from './access/jwt-actor-resolver';
export {
  HMAC_ALGORITHMS,
  type JsonWebKeyEntry,
  type JsonWebKeySetObject,
  type JwtActorResolverSettings,
  type JwtAlgorithm,
  MIN_SECRET_BYTES,
  PUBLIC_KEY_ALGORITHMS,
} from './access/jwt-options';
export { type TokenRefusalReason, tokenRefused } from './access/token-refusal';
// The facade
export { createVBuckets, type VBuckets, type VBucketsOptions } from './create-vbuckets';
// Generation tasks: the engine pricing table
export {
  type CostEstimate,
  DEFAULT_BLOCK_SEC,
  DEFAULT_TASK_PRICING,
  type EnginePrice,
  type TaskPricing,
} from './domain/generation/task-pricing';
// Which org a queued job belongs to (the queue is shared by every org)
export { isJobOfOrg, jobOrgId } from './domain/jobs/job-org';
// The offline categorizer
export {
  BUCKET_TEXT_FIELDS,
  type BucketTextField,
  DEFAULT_KEYWORD_FIELD_WEIGHTS,
  type KeywordOptions,
  KeywordOptionsSchema,
  type KeywordSettings,
} from './domain/keyword/keyword-options';
export {
  createKeywordProvider,
  KEYWORD_PROVIDER,
  type KeywordProvider,
} from './domain/keyword/keyword-provider';
// The default thumbnail scorer
export {
  createHeuristicThumbnailScorer,
  thumbnailQualityScore,
} from './domain/media/thumbnail-quality';
// Segments: what `segments.analytics` answers
export {
  emptySegmentAnalytics,
  type PlatformAnalytics,
  type SegmentAnalytics,
} from './domain/segments/segment-analytics';
// Errors
export {
  cancelledError,
  conflictError,
  type ErrorSource,
  fromZodError,
  isSettingsError,
  isVBucketsError,
  notFoundError,
  storageError,
  toVBucketsError,
  VBucketsError,
  type VBucketsErrorCode,
  type VBucketsErrorOptions,
  validationError,
  vbucketsError,
} from './errors';
export type {
  EnqueuedJob,
  EnqueueOptions,
  JobCount,
  JobInfo,
  JobQueue,
  JobRun,
  JobSchedule,
  JobState,
  JobWorker,
} from './ports/job-queue';
export type { MetricsSource, PostMetrics } from './ports/metrics-source';
export type { PageRequest } from './ports/page-request';
export type {
  SegmentAnalyticsGroup,
  SegmentFilter,
  SegmentSortBy,
  SegmentUsageTotals,
} from './ports/segment-store';
export type { GenerationTaskStats } from './ports/task-store';
export { type Actor, ActorSchema } from './schemas/actor';
// The schemas of the entities
export {
  type Bucket,
  type BucketCreateInput,
  BucketCreateInputSchema,
  BucketSchema,
  type BucketUpdateInput,
  BucketUpdateInputSchema,
} from './schemas/bucket';
export {
  type Categorization,
  type CategorizationCounts,
  CategorizationSchema,
  type CategorizationSession,
  CategorizationSessionSchema,
  type CategorizationStatus,
  CategorizationStatusSchema,
} from './schemas/categorization';
export {
  DEFAULT_PAGE_SIZE,
  IdSchema,
  JsonObjectSchema,
  MAX_PAGE_SIZE,
  NameSchema,
  PageSchema,
  PhraseListSchema,
  type Scope,
  ScopeSchema,
  TextSchema,
  TimestampSchema,
  UnitIntervalSchema,
} from './schemas/common';
export {
  type GenerationTask,
  GenerationTaskSchema,
  type GenerationTaskStatus,
  GenerationTaskStatusSchema,
  type Thumbnail,
  ThumbnailSchema,
  type ThumbnailSource,
  ThumbnailSourceSchema,
} from './schemas/generation';
export {
  type AnalysisStatus,
  AnalysisStatusSchema,
  type Creative,
  CreativeSchema,
  type EvidenceSource,
  EvidenceSourceSchema,
  type PatternDimension,
  PatternDimensionSchema,
  type PatternPerformance,
  PatternPerformanceSchema,
  TagValueSchema,
} from './schemas/market';
export {
  type Segment,
  SegmentSchema,
  type SegmentType,
  SegmentTypeSchema,
  type SocialPlatform,
  SocialPlatformSchema,
  type SocialUsage,
  SocialUsageSchema,
} from './schemas/segment';
export {
  type AuditEvent,
  AuditEventSchema,
  PlatformSchema,
  type Upload,
  type UploadAttempt,
  UploadAttemptSchema,
  type UploadCheckpoint,
  UploadCheckpointSchema,
  UploadSchema,
  type UploadStatus,
  UploadStatusSchema,
} from './schemas/upload';
export { type Video, type VideoInsert, VideoSchema, type VideoVisibility } from './schemas/video';
// The services' types (the facade builds the services)
export {
  type BucketImportCounts,
  type BucketImportItem,
  BucketImportItemSchema,
  toBucketImportItem,
} from './services/bucket-import';
export type { BucketsService } from './services/buckets-service';
export type { CategorizeService } from './services/categorize/categorize-service';
export type {
  BucketExportEntry,
  BucketExportGroup,
  CategorizationProvider,
  CategorizeFile,
  CategorizeProgressEvent,
  CategorizeProgressListener,
  CategorizeResumeOptions,
  CategorizeRetryOptions,
  CategorizeRunInput,
  CategorizeRunResult,
  CategorizeSettings,
  CategorizeStage,
  SessionSummary,
  UploadedBucketGroup,
} from './services/categorize/categorize-types';
export { CATEGORIZATION_CSV_COLUMNS } from './services/categorize/session-reports';
// The input schemas the services parse with, for hosts that check requests with the same rules
export {
  RankBucketsSchema as InsightRankBucketsSchema,
  RankPatternsSchema as InsightRankPatternsSchema,
  SuggestSchema as InsightSuggestSchema,
} from './services/insights/insights-service';
export type {
  InsightArm,
  InsightPrior,
  InsightRanking,
  InsightSuccess,
  InsightsService,
  RankBucketsQuery,
  RankPatternsQuery,
  SuggestNextQuery,
} from './services/insights/insights-types';
export {
  BUILTIN_JOB_KINDS,
  BUILTIN_JOB_SCHEMAS,
  type BuiltinJobKind,
  type BuiltinJobPayloads,
  type JobKindDefinition,
  jobIdOf,
} from './services/jobs/job-kinds';
export type {
  JobEvent,
  JobsService,
  JobsSettings,
  JobsWorker,
  JobsWorkOptions,
  RecoverySummary,
} from './services/jobs/jobs-types';
export {
  createStoreJobQueue,
  type StoreJobQueueOptions,
} from './services/jobs/store-job-queue';
// The market's JSON input schemas (HTTP bodies, forms): the service's own, video bytes aside
export {
  BenchmarkFieldsSchema,
  ChooseQuerySchema,
  ClientCreativeFieldsSchema,
  CreativeListFilterSchema,
  CreativeListPageSchema,
  DEFAULT_RANK_DRAWS,
  PerformanceInputSchema,
  RankQuerySchema,
} from './services/market/market-input-schemas';
export type {
  ArmEvidence,
  BenchmarkInput,
  ChooseQuery,
  ClientCreativeInput,
  CreativeListFilter,
  CreativeTagsInput,
  CreativeVideoInput,
  MarketArm,
  MarketRanking,
  MarketService,
  MarketSettings,
  PerformanceInput,
  PerformanceResult,
  RankQuery,
} from './services/market/market-types';
export {
  AnalyticsFilterSchema as SegmentAnalyticsFilterSchema,
  AnalyticsGroupSchema as SegmentAnalyticsGroupSchema,
  DownloadOptionsSchema as SegmentDownloadOptionsSchema,
  SegmentCreateSchema,
  SegmentFilterSchema,
  SegmentListSchema,
  SegmentUpdateSchema,
  SocialUsageInputSchema,
  SplitSchema as SegmentSplitSchema,
  SyncMetricsSchema as SegmentSyncMetricsSchema,
} from './services/segments/segment-inputs';
export type {
  PostSyncResult,
  SegmentBytes,
  SegmentCreateInput,
  SegmentDeletion,
  SegmentDownload,
  SegmentListQuery,
  SegmentsService,
  SegmentsSettings,
  SegmentUpdateInput,
  SocialUsageInput,
  SplitOptions,
  SyncMetricsOptions,
  SyncMetricsSummary,
} from './services/segments/segments-types';
export {
  CostRequestSchema as TaskCostRequestSchema,
  StatsFilterSchema as TaskStatsFilterSchema,
  TaskCreateSchema,
  TaskListSchema,
  TaskStatusUpdateSchema,
  TaskUpdateSchema,
  ThumbnailAddSchema,
} from './services/tasks/task-inputs';
export type {
  AttachedVideo,
  GenerateCandidatesOptions,
  GeneratedCandidate,
  TaskCreateInput,
  TaskDeletion,
  TaskListQuery,
  TaskStatusUpdate,
  TasksService,
  TasksSettings,
  TaskUpdateInput,
  TaskVideoInput,
  ThumbnailAddInput,
  ThumbnailImageType,
  ThumbnailsService,
} from './services/tasks/tasks-types';
export { GenerateCandidatesSchema as ThumbnailGenerateSchema } from './services/tasks/thumbnail-candidates';
export { UPLOAD_STATUS_SYMBOLS } from './services/uploads/upload-status-symbols';
export type {
  MetadataFor,
  UploadAllSummary,
  UploadHistoryEntry,
  UploadOptions,
  UploadsService,
  UploadsSettings,
} from './services/uploads/uploads-types';
export {
  type RegisteredVideo,
  type VideoRegisterInput,
  VideoRegisterInputSchema,
  type VideosService,
  type VideoVerification,
  type VideoWithUploads,
} from './services/videos/videos-service';
