import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { Scope } from '../schemas/common';
import type {
  AnalysisStatus,
  Creative,
  EvidenceSource,
  PatternDimension,
  PatternPerformance,
} from '../schemas/market';
import type { PageRequest } from './page-request';

type StoreResult<T> = ResultAsync<T, VBucketsError>;

/** Fields of a creative an update may change, plus the new `updatedAt`. */
export type CreativePatch = Partial<
  Pick<
    Creative,
    | 'name'
    | 'isPublic'
    | 'videoId'
    | 'hookType'
    | 'emotion'
    | 'pacing'
    | 'targetAudiencePain'
    | 'extraTags'
    | 'analysisStatus'
    | 'analysis'
    | 'analysisError'
    | 'analyzedAt'
  >
> & { updatedAt: string };

/** Counts added to a creative's results; each ≥ 0, conversions ≤ clicks of the same call. */
export interface PerformanceDelta {
  impressions: number;
  clicks: number;
  conversions: number;
}

/** What `recordPerformance` did. */
export interface PerformanceRecord {
  /** The creative after the call (unchanged when the key had been applied before). */
  creative: Creative;
  /** False when the idempotency key had already been applied: nothing was added. */
  applied: boolean;
  /** The creative's conversions just before this call's increment (= after, when not applied). */
  conversionsBefore: number;
}

/** Which creatives a list returns. */
export interface CreativeFilter {
  productCategory?: string;
  source?: EvidenceSource;
  /** Also the public benchmarks of every org (`isPublic`, source `benchmark`). */
  includePublic?: boolean;
}

/** Ad creatives: benchmarks and client creatives (seed 003). */
export interface CreativeRepository {
  /**
   * Inserts a creative. A creative with a `sourceUrl` the org already has is not inserted
   * twice: the first is returned with `created: false` (decided by a unique key, so concurrent
   * ingests of one URL give one creative). `CONFLICT` when the id exists.
   */
  insert(creative: Creative): StoreResult<{ creative: Creative; created: boolean }>;
  /** The creative with this id in the scope's org, or a public one of any org; `NOT_FOUND` otherwise. */
  get(scope: Scope, id: string): StoreResult<Creative>;
  /** Creatives newest first, then id; keyset-paged by `page`. */
  list(scope: Scope, filter?: CreativeFilter, page?: PageRequest): StoreResult<Creative[]>;
  /** Applies a patch to a creative of the scope's org; `NOT_FOUND` otherwise. */
  update(scope: Scope, id: string, patch: CreativePatch): StoreResult<Creative>;
  /**
   * Moves the analysis status from one of `from` to `to` in one conditional write and
   * returns the creative, or null when its status was not in `from` (someone else moved it):
   * of concurrent callers exactly one wins. `NOT_FOUND` for an unknown creative, `VALIDATION`
   * for a `to` that is no analysis status.
   */
  transitionAnalysis(
    scope: Scope,
    id: string,
    change: {
      from: readonly AnalysisStatus[];
      to: AnalysisStatus;
      patch?: Omit<CreativePatch, 'analysisStatus' | 'updatedAt'>;
      updatedAt: string;
    },
  ): StoreResult<Creative | null>;
  /**
   * Adds the delta to the creative's impressions, clicks and conversions atomically (no
   * read-modify-write: concurrent calls from any number of processes lose nothing).
   * A key already applied to this creative adds nothing (`applied: false`): the key and the
   * increment are written in one transaction. An applied call sets `updatedAt` to `at`.
   * `VALIDATION` for a count that is not an integer ≥ 0, or conversions above the call's clicks;
   * `NOT_FOUND` for a creative not of the scope's org.
   */
  recordPerformance(
    scope: Scope,
    id: string,
    delta: PerformanceDelta,
    options: { idempotencyKey: string; at: string },
  ): StoreResult<PerformanceRecord>;
}

/** The key of a pattern row. */
export interface PatternKey {
  productCategory: string;
  dimension: PatternDimension;
  value: string;
  source: EvidenceSource;
}

/** Evidence added to a pattern row: pseudo-observations and the counts behind them. */
export interface PatternEvidence {
  /** Added to alpha (conversions) and beta (non-converting clicks). */
  alpha: number;
  beta: number;
  clicks: number;
  conversions: number;
  weight: number;
  marketLongevityDays: number | null;
}

/** Pattern performance rows (seed 003 §3). */
export interface PatternPerformanceRepository {
  /**
   * Adds evidence to the rows of these keys in the scope's org, creating each row (alpha =
   * beta = 1 before the evidence) when missing; one atomic upsert per row, so concurrent
   * writers lose nothing. The weight is the latest given; longevity the longest. All rows or
   * none: `VALIDATION` for evidence below 0 or not finite, `CONFLICT` when a new row's id exists.
   */
  addEvidence(
    scope: Scope,
    rows: ReadonlyArray<{ key: PatternKey; evidence: PatternEvidence; id: string }>,
    at: string,
  ): StoreResult<void>;
  /**
   * Rows of a category (one dimension when given): the scope's org's, plus the benchmark rows
   * of every org when `includePublic` (benchmarks are public knowledge). By dimension, value,
   * source, org.
   */
  list(
    scope: Scope,
    filter: {
      productCategory: string;
      dimension?: PatternDimension;
      source?: EvidenceSource;
      includePublic?: boolean;
    },
  ): StoreResult<PatternPerformance[]>;
}
