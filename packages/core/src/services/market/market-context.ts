import { err, ok, type Result } from 'neverthrow';
import type { RandomSource } from '../../domain/market/random';
import type { VBucketsError } from '../../errors';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { PatternEvidence, PatternKey } from '../../ports/market-store';
import type { Store } from '../../ports/store';
import type { Creative } from '../../schemas/market';
import type { BuiltinJobEnqueue } from '../jobs/job-kinds';
import type { VideosService } from '../videos/videos-service';
import { benchmarkEvidence, type EvidenceRules } from './market-arms';
import type { MarketServiceDependencies } from './market-types';

/** What the market service's parts share. */
export interface MarketContext {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  videos: VideosService;
  analyzer: MarketServiceDependencies['analyzer'];
  rules: EvidenceRules;
  conversionThreshold: number;
  adminRole: string;
  random: RandomSource;
  /** Queues `market.analyze` when a creative's analysis is queued; absent, a host runs `analyze`. */
  jobs?: BuiltinJobEnqueue | undefined;
  /** Hears an enqueue that failed after the analysis was queued in the store (`jobs.recover` finds it). */
  onWarning?: ((warning: VBucketsError) => void) | undefined;
}

/** The (dimension, value) pairs of a creative's tags. */
export function tagsOf(creative: Creative): Array<Pick<PatternKey, 'dimension' | 'value'>> {
  const pairs: Array<Pick<PatternKey, 'dimension' | 'value'>> = [];
  for (const dimension of ['hookType', 'emotion', 'pacing', 'targetAudiencePain'] as const) {
    const value = creative[dimension];
    if (value !== null) pairs.push({ dimension, value });
  }
  for (const value of new Set(creative.extraTags)) pairs.push({ dimension: 'tag', value });
  return pairs;
}

/** The evidence a creative adds to the rows of `tags`: its prior (a benchmark) or its results. */
export function patternRows(
  context: MarketContext,
  creative: Creative,
  tags: Array<Pick<PatternKey, 'dimension' | 'value'>>,
  results: { clicks: number; conversions: number } | 'prior',
): Result<Array<{ key: PatternKey; evidence: PatternEvidence; id: string }>, VBucketsError> {
  let evidence: PatternEvidence;
  let source: PatternKey['source'];
  if (results === 'prior') {
    const prior = benchmarkEvidence(creative, context.rules);
    if (prior.isErr()) return err(prior.error);
    if (prior.value === null) return ok([]);
    source = 'benchmark';
    const { alpha, beta, weight } = prior.value.evidence;
    evidence = {
      alpha: alpha - 1,
      beta: beta - 1,
      clicks: prior.value.marketClicks,
      conversions: prior.value.marketClicks * (creative.marketCvr ?? 0),
      weight,
      marketLongevityDays: creative.marketLongevityDays,
    };
  } else {
    if (results.clicks === 0) return ok([]);
    source = 'client';
    evidence = {
      alpha: results.conversions,
      beta: results.clicks - results.conversions,
      clicks: results.clicks,
      conversions: results.conversions,
      weight: context.rules.weights.client,
      marketLongevityDays: null,
    };
  }
  return ok(
    tags.map((tag) => ({
      key: { productCategory: creative.productCategory, ...tag, source },
      evidence,
      id: context.ids.next(),
    })),
  );
}
