import type { ResultAsync } from 'neverthrow';
import type { BetaParameters, CredibleInterval } from '../../domain/market/beta-distribution';
import type { RandomSource } from '../../domain/market/random';
import type { VBucketsError } from '../../errors';
import type { BlobBody } from '../../ports/blob-store';
import type { PageRequest } from '../../ports/page-request';
import type { VideoAnalyzer } from '../../ports/video-analyzer';
import type { Actor } from '../../schemas/actor';
import type { Scope } from '../../schemas/common';
import type { Creative, EvidenceSource, PatternDimension } from '../../schemas/market';

/** The tags of a creative, each optional; `tags` are free-form extra tags. */
export interface CreativeTagsInput {
  hookType?: string;
  emotion?: string;
  pacing?: string;
  targetAudiencePain?: string;
  tags?: string[];
}

/** A video's bytes to register with a creative (deduplicated by the registry). */
export interface CreativeVideoInput {
  filename: string;
  /** Opens the bytes; called once. */
  body: () => BlobBody;
  mimeType?: string;
  /** A local path of the same file, for the MediaProbe. */
  probePath?: string;
}

/** A market winner found in an ad library (seed 003). */
export interface BenchmarkInput extends CreativeTagsInput {
  name: string;
  productCategory: string;
  /** Conversion rate per click while it ran, 0..1. */
  marketCvr: number;
  /** Days the ad kept running, > 0. */
  marketLongevityDays: number;
  /** Estimated clicks a day while it ran, ≥ 0. */
  avgDailyClicks: number;
  sourcePlatform?: string;
  /** Where it was found: ingesting the same URL again returns the first creative. */
  sourceUrl?: string;
  /** The video, stored public (the benchmarks area) through `videos.register`. */
  video?: CreativeVideoInput;
  /** A video already in the registry, instead of `video`. */
  videoId?: string;
  /** Who ingested it (default `system`). */
  ownerId?: string;
}

/** A client's own creative: private, owned by the actor. */
export interface ClientCreativeInput extends CreativeTagsInput {
  name: string;
  productCategory: string;
  sourcePlatform?: string;
  video?: CreativeVideoInput;
  videoId?: string;
}

/** Results of a creative to add; conversions ≤ clicks. */
export interface PerformanceInput {
  impressions?: number;
  clicks: number;
  conversions: number;
}

/** What `recordPerformance` did. */
export interface PerformanceResult {
  creative: Creative;
  /** False when the idempotency key had been applied before: nothing was added. */
  applied: boolean;
  /** True when this call crossed the conversion threshold and queued the analysis. */
  analysisQueued: boolean;
}

/** Which arms to rank: creatives of a category, or the values of one tag dimension. */
export interface RankQuery {
  productCategory: string;
  /** Rank the values of this dimension instead of creatives. */
  dimension?: PatternDimension;
  /** Only this source's evidence (and, for creatives, only creatives of this source). */
  source?: EvidenceSource;
  /** Thompson draws behind P(best) (default 4000, 100..100 000). */
  draws?: number;
  /** Makes the draws reproducible. */
  seed?: number;
}

/** How much evidence stands behind an arm. */
export interface ArmEvidence {
  /** Benchmark pseudo-clicks after the cap, before the weight. */
  benchmarkClicks: number;
  /** Clicks and conversions the client recorded. */
  clientClicks: number;
  clientConversions: number;
  /** Creatives behind the arm. */
  creatives: number;
}

/** One arm of a ranking. */
export interface MarketArm {
  /** The creative's id, or the dimension's value. */
  id: string;
  /** The creative's name, or the value. */
  label: string;
  kind: 'creative' | 'pattern';
  posterior: BetaParameters;
  /** Posterior mean conversion rate. */
  mean: number;
  /** 95% equal-tailed credible interval. */
  interval: CredibleInterval;
  /** Share of Thompson draws in which this arm was the best. */
  pBest: number;
  evidence: ArmEvidence;
}

/** Arms by P(best), highest first, then mean. */
export interface MarketRanking {
  productCategory: string;
  dimension: PatternDimension | null;
  draws: number;
  arms: MarketArm[];
}

export interface ChooseQuery extends Omit<RankQuery, 'draws'> {
  /** How many arms to produce next (default 1, at most 100). */
  n?: number;
}

/** Which creatives `list` returns. */
export interface CreativeListFilter {
  productCategory?: string;
  source?: EvidenceSource;
  /** Also every org's public benchmarks (default true). */
  includePublic?: boolean;
}

/** Tuning of the market service. */
export interface MarketSettings {
  /** The cap on a benchmark prior's pseudo-clicks (default 1000, DESIGN §5). */
  maxPriorClicks?: number;
  /** Weight of each source's evidence (default benchmark 2, client 1). */
  weights?: Partial<Record<EvidenceSource, number>>;
  /** Client conversions that queue an analysis (default 5). */
  conversionThreshold?: number;
  /** The role that may force an analysis (default `admin`). */
  adminRole?: string;
  /** Randomness of `choose` and of P(best) when no seed is given. */
  random?: RandomSource;
}

/** Market intelligence (seed 003): benchmarks, client creatives, priors, Thompson ranking, analysis. */
export interface MarketService {
  /**
   * Ingests a benchmark: checks the numbers, registers the video public (deduplicated),
   * computes the capped prior, creates the public creative with its analysis queued, and adds
   * its prior to the benchmark rows of each tag, all in one transaction. The same `sourceUrl`
   * again returns the first creative with `created: false` and changes nothing.
   */
  ingestBenchmark(
    scope: Scope,
    input: BenchmarkInput,
  ): ResultAsync<{ creative: Creative; created: boolean }, VBucketsError>;
  /** A client creative, private and owned by the actor, in the actor's org. */
  addClientCreative(actor: Actor, input: ClientCreativeInput): ResultAsync<Creative, VBucketsError>;
  /**
   * Adds results to a creative of the scope's org, atomically, and to the client rows of its
   * tags; a repeated `idempotencyKey` is applied once. Crossing the conversion threshold (5)
   * queues a client creative's analysis exactly once.
   */
  recordPerformance(
    scope: Scope,
    creativeId: string,
    performance: PerformanceInput,
    options: { idempotencyKey: string },
  ): ResultAsync<PerformanceResult, VBucketsError>;
  /** The org's creative, or any org's public one; `NOT_FOUND` otherwise. */
  get(scope: Scope, creativeId: string): ResultAsync<Creative, VBucketsError>;
  /**
   * One creative, found the way people name one: its id, `latest` (the org's newest creative),
   * or the start of its id (at least 4 characters, among the newest 1000 creatives the org can
   * read, public benchmarks included). `NOT_FOUND` when none matches; `VALIDATION` (path
   * `reference`, the candidates in `details.matches`) when a prefix matches several.
   */
  findCreative(scope: Scope, reference: string): ResultAsync<Creative, VBucketsError>;
  /** Creatives newest first (pages of 100 by default). */
  list(
    scope: Scope,
    filter?: CreativeListFilter,
    page?: PageRequest,
  ): ResultAsync<Creative[], VBucketsError>;
  /**
   * Runs the vision analysis of a queued (or failed: a retry) creative of the scope's org with
   * `analyzers.market`; stores the result, fills empty tags from it, and leaves `done`, or
   * `failed` with the error. `CONFLICT` naming the status when it is not queued or failed.
   */
  analyze(
    scope: Scope,
    creativeId: string,
    options?: {
      signal?: AbortSignal;
      /**
       * Also takes a creative left `running`: for a job redelivered after its worker died.
       * Only a caller that knows no one else runs the analysis may set it.
       */
      resumeRunning?: boolean;
    },
  ): ResultAsync<Creative, VBucketsError>;
  /** Analyses now whatever the triggers say: admins only (`FORBIDDEN`), own org only (`NOT_FOUND`). */
  forceAnalyze(
    actor: Actor,
    creativeId: string,
    options?: { signal?: AbortSignal },
  ): ResultAsync<Creative, VBucketsError>;
  /** Arms with posterior mean, 95% interval, evidence and P(best) from Thompson draws. */
  rank(scope: Scope, query: RankQuery): ResultAsync<MarketRanking, VBucketsError>;
  /** The next `n` arms to produce: one Thompson draw per arm, the `n` highest. */
  choose(scope: Scope, query: ChooseQuery): ResultAsync<MarketArm[], VBucketsError>;
}

/** What the market service is built from. */
export interface MarketServiceDependencies {
  analyzer?: VideoAnalyzer;
  settings?: MarketSettings;
}
