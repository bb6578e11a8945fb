import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { Bucket } from '../schemas/bucket';

/** A video handed to an analyzer: facts plus a way to read its bytes. */
export interface AnalyzerVideo {
  /** The registry id, when registered. */
  videoId?: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  /** Opens the bytes as a stream (each call starts from the beginning). */
  open(): ResultAsync<ReadableStream<Uint8Array>, VBucketsError>;
  /** Text already known about the video (sidecar transcript, container tags). */
  knownText?: string;
}

/** Creative tags an analyzer read off a video (seed 003's dimensions), each optional. */
export interface CreativeTags {
  hookType?: string;
  emotion?: string;
  pacing?: string;
  targetAudiencePain?: string;
  /** Free-form extra tags. */
  extra?: string[];
}

/** Tokens a model call used, when the provider reports them. */
export interface AnalysisUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What an analyzer learned about a video. */
export interface VideoAnalysis {
  summary: string;
  transcript: string;
  hook: string;
  topics: string[];
  onScreenText: string;
  /** The provider's whole answer, kept for the record. */
  raw: Record<string, unknown>;
  /** Creative tags, from analyzers that read them (a frame analyzer for the market). */
  tags?: CreativeTags;
  /** Token usage of the call, when known. */
  usage?: AnalysisUsage;
}

/** The stages of an analysis a provider may report, in order (each optional). */
export type AnalyzerStage = 'uploading' | 'processing' | 'analyzing';

/** Options every AI call accepts. */
export interface CallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Reports the stage the call has reached; report the first one before returning, so it replaces core's default `analyzing`. */
  onStage?: (stage: AnalyzerStage) => void;
  /** The provider's rate limiter, given only to an analyzer or categorizer that declares `gatesRequests`: take a token right before each request the provider's quota counts (`CANCELLED` when `signal` aborts first). */
  rateLimit?: { take(signal?: AbortSignal): ResultAsync<void, VBucketsError> };
}

/** A bucket choice as a model gives it, before core's decision rules are applied. */
export interface CategorizerAnswer {
  /** The chosen bucket's name, or null for no fit. */
  bucketName: string | null;
  confidence: number;
  reasoning: string;
}

/** Turns a video into a structured analysis. */
export interface VideoAnalyzer {
  readonly specificationVersion: 'v1';
  /** Provider name for messages and rate limits, e.g. `gemini`. */
  readonly provider: string;
  /** True when it takes `options.rateLimit` tokens itself, one per quota-counted request; otherwise core takes one token before each whole call. */
  readonly gatesRequests?: boolean;
  /** Analyses one video. */
  analyze(video: AnalyzerVideo, options?: CallOptions): ResultAsync<VideoAnalysis, VBucketsError>;
  /** Analysis and bucket choice in one request, where the provider allows it. */
  analyzeAndCategorize?(
    video: AnalyzerVideo,
    buckets: readonly Bucket[],
    options?: CallOptions,
  ): ResultAsync<{ analysis: VideoAnalysis; answer: CategorizerAnswer }, VBucketsError>;
}

/** Picks the best bucket for an analysed video. */
export interface BucketCategorizer {
  readonly specificationVersion: 'v1';
  /** Provider name, e.g. `gemini` or `keyword`. */
  readonly provider: string;
  /** True when it takes `options.rateLimit` tokens itself, one per quota-counted request; otherwise core takes one token before each whole call. */
  readonly gatesRequests?: boolean;
  /** Chooses among `buckets`; a null name means none fits. */
  categorize(
    analysis: VideoAnalysis,
    buckets: readonly Bucket[],
    options?: CallOptions,
  ): ResultAsync<CategorizerAnswer, VBucketsError>;
}
