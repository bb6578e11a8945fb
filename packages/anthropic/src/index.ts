export type { ClaudeAnalysisRaw, ClaudeSentFrame, ClaudeTokenUsage } from './anthropic-answer';
export type { ClaudeBucketCategorizer } from './anthropic-bucket-categorizer';
export {
  DEFAULT_OVERLOADED_RETRY_MS,
  DEFAULT_RATE_LIMIT_RETRY_MS,
} from './anthropic-error';
export { type ClaudeFrameAnalyzer, createClaudeFrameAnalyzer } from './anthropic-frame-analyzer';
export type { FrameLabel } from './anthropic-frames';
export {
  type ClaudeFrameAnalyzerSettings,
  DEFAULT_CLAUDE_MODEL,
  DEFAULT_MAX_FRAME_HEIGHT,
  DEFAULT_MAX_FRAME_WIDTH,
} from './anthropic-settings';
export {
  type ClaudeThumbnailScorer,
  type ClaudeThumbnailScorerSettings,
  createClaudeThumbnailScorer,
  DEFAULT_MAX_THUMBNAIL_IMAGE_SIDE,
  MAX_CLAUDE_THUMBNAIL_CANDIDATES,
} from './anthropic-thumbnail-scorer';
