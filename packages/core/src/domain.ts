// `@vbuckets/core/domain`: the pure rules, for apps that reason with them directly (ranking
// creatives, checking a file before sending it, reading an upload's state). No I/O. The
// numeric pieces beneath them (incomplete beta, gamma sampling, tokenizer) are not public.

// Categorization
export {
  type CategorizationDecision,
  type CategorizationDecisionOptions,
  CategorizationDecisionOptionsSchema,
  clampConfidence,
  decideCategorization,
} from './domain/categorization/categorization-decision';
export { type CsvValue, neutraliseCsvFormula, toCsv } from './domain/csv/csv';
// Generation tasks: what a generation costs
export { estimateTaskCost } from './domain/generation/task-pricing';
export {
  categorizeByKeywords,
  type KeywordBucketScore,
  type KeywordTermMatch,
  rankBucketsByKeywords,
} from './domain/keyword/keyword-ranker';
// Market: priors, posteriors, Thompson sampling, analysis triggers
export {
  type AnalysisCandidate,
  type AnalysisDecision,
  type AnalysisTriggerOptions,
  type AnalysisTriggerReason,
  DEFAULT_ANALYSIS_CONVERSION_THRESHOLD,
  decideAnalysis,
} from './domain/market/analysis-trigger';
export {
  type BetaParameters,
  type CredibleInterval,
  credibleInterval,
  DEFAULT_CREDIBLE_LEVEL,
  expectedRate,
  sampleBeta,
} from './domain/market/beta-distribution';
export {
  combineEvidence,
  DEFAULT_EVIDENCE_WEIGHTS,
  type WeightedEvidence,
} from './domain/market/evidence-weights';
export {
  computeMarketPrior,
  DEFAULT_MAX_PRIOR_CLICKS,
  type MarketPrior,
  type MarketPriorInput,
  type MarketPriorOptions,
} from './domain/market/market-prior';
export { type ConversionObservations, updatePosterior } from './domain/market/posterior';
export { createSeededRandom, type RandomSeed, type RandomSource } from './domain/market/random';
export {
  type RankedArm,
  rankArmsByThompson,
  type ThompsonArm,
  type ThompsonChoice,
  thompsonSample,
} from './domain/market/thompson';
export {
  DEFAULT_FRAME_END_MARGIN_SEC,
  DEFAULT_FRAME_TIMESTAMPS_SEC,
  FRAME_TIMESTAMP_EPSILON_SEC,
  type FrameTimestampOptions,
  planFrameTimestamps,
} from './domain/media/frame-timestamps';
export {
  createHeuristicThumbnailScorer,
  exposureScore,
  THUMBNAIL_QUALITY_WEIGHTS,
  thumbnailQualityScore,
} from './domain/media/thumbnail-quality';

// Media: file types, frame timestamps
export {
  describeContent,
  MEDIA_SNIFF_BYTES,
  type SniffedContent,
  sniffContent,
  type VideoType,
} from './domain/media-types/sniff-content';
export {
  ACCEPTED_VIDEO_EXTENSIONS,
  checkVideoFile,
  checkVideoFilename,
  fileExtension,
  VIDEO_TYPES,
  type VideoTypeInfo,
  videoTypeFromFilename,
} from './domain/media-types/video-types';
export { bucketNameKey } from './domain/names';

// Rate limits
export {
  createTokenBucket,
  DEFAULT_BURST,
  DEFAULT_REQUESTS_PER_MINUTE,
  DEFAULT_WINDOW_MARGIN_MS,
  type TokenBucket,
  type TokenBucketDependencies,
  type TokenBucketOptions,
  TokenBucketOptionsSchema,
} from './domain/rate-limit/token-bucket';

// Segments
export { type EngagementCounts, engagementRate } from './domain/segments/engagement-rate';
export {
  analyzeSegmentUsage,
  emptySegmentAnalytics,
  type PlatformAnalytics,
  type SegmentAnalytics,
  type SocialUsageMetrics,
} from './domain/segments/segment-analytics';

// Uploads: the state machine, retries, the duplicate guard
export {
  canUpload,
  checkDuplicateGuard,
  type DuplicateGuardDecision,
  type DuplicateGuardInput,
  type DuplicateGuardUpload,
  evaluateDuplicateGuard,
} from './domain/uploads/duplicate-guard';
export { platformDisplayName } from './domain/uploads/platform-display-name';
export {
  createRetryPolicy,
  isUploadDue,
  type ManualRetryPlan,
  planManualRetry,
  type RetryDecision,
  type RetryFailure,
  type RetryPolicy,
  type RetryPolicyOptions,
  RetryPolicyOptionsSchema,
} from './domain/uploads/retry-policy';
export {
  canTransitionUpload,
  checkUploadTransition,
  nextUploadStatuses,
  type UploadTransition,
  type UploadTransitionCondition,
  type UploadTransitionContext,
  type UploadTransitionKind,
  uploadTransitions,
} from './domain/uploads/upload-state-machine';
export type { DuplicateRefusal } from './ports/upload-outcome';
