import { err, ok, type Result } from 'neverthrow';
import {
  type BetaParameters,
  credibleInterval,
  expectedRate,
  sampleBetaUnchecked,
} from '../../domain/market/beta-distribution';
import { combineEvidence, type WeightedEvidence } from '../../domain/market/evidence-weights';
import { computeMarketPrior } from '../../domain/market/market-prior';
import type { RandomSource } from '../../domain/market/random';
import type { VBucketsError } from '../../errors';
import type {
  Creative,
  EvidenceSource,
  PatternDimension,
  PatternPerformance,
} from '../../schemas/market';
import type { ArmEvidence, MarketArm } from './market-types';

/** An arm before ranking: its evidence by source. */
export interface ArmInput {
  id: string;
  label: string;
  kind: MarketArm['kind'];
  evidence: WeightedEvidence[];
  counts: ArmEvidence;
}

export interface EvidenceRules {
  maxPriorClicks: number;
  weights: Record<EvidenceSource, number>;
}

const emptyCounts = (): ArmEvidence => ({
  benchmarkClicks: 0,
  clientClicks: 0,
  clientConversions: 0,
  creatives: 0,
});

/** A benchmark's capped prior as evidence, or null for a creative without market numbers. */
export function benchmarkEvidence(
  creative: Creative,
  rules: EvidenceRules,
): Result<
  { evidence: WeightedEvidence; clicks: number; marketClicks: number } | null,
  VBucketsError
> {
  if (
    creative.source !== 'benchmark' ||
    creative.marketCvr === null ||
    creative.marketLongevityDays === null ||
    creative.avgDailyClicks === null
  ) {
    return ok(null);
  }
  return computeMarketPrior(
    {
      marketCvr: creative.marketCvr,
      marketLongevityDays: creative.marketLongevityDays,
      avgDailyClicks: creative.avgDailyClicks,
    },
    { maxPriorClicks: rules.maxPriorClicks },
  ).map((prior) => ({
    evidence: { alpha: prior.alpha, beta: prior.beta, weight: rules.weights.benchmark },
    clicks: prior.clicks,
    marketClicks: prior.marketClicks,
  }));
}

/** A creative's arm: its benchmark prior (when a benchmark) and the client's recorded results. */
export function creativeArm(
  creative: Creative,
  rules: EvidenceRules,
  source: EvidenceSource | undefined,
): Result<ArmInput, VBucketsError> {
  const counts = { ...emptyCounts(), creatives: 1 };
  const evidence: WeightedEvidence[] = [];
  if (source !== 'client') {
    const prior = benchmarkEvidence(creative, rules);
    if (prior.isErr()) return err(prior.error);
    if (prior.value !== null) {
      evidence.push(prior.value.evidence);
      counts.benchmarkClicks = prior.value.clicks;
    }
  }
  if (source !== 'benchmark' && creative.clicks > 0) {
    evidence.push({
      alpha: creative.conversions + 1,
      beta: creative.clicks - creative.conversions + 1,
      weight: rules.weights.client,
    });
    counts.clientClicks = creative.clicks;
    counts.clientConversions = creative.conversions;
  }
  return ok({ id: creative.id, label: creative.name, kind: 'creative', evidence, counts });
}

/** One arm per value of the dimension, from its pattern rows (each row weighted as stored). */
export function patternArms(
  rows: readonly PatternPerformance[],
  dimension: PatternDimension,
): ArmInput[] {
  const arms = new Map<string, ArmInput>();
  for (const row of rows) {
    if (row.dimension !== dimension) continue;
    let arm = arms.get(row.value);
    if (arm === undefined) {
      arm = {
        id: row.value,
        label: row.value,
        kind: 'pattern',
        evidence: [],
        counts: emptyCounts(),
      };
      arms.set(row.value, arm);
    }
    arm.evidence.push({ alpha: row.alpha, beta: row.beta, weight: row.weight });
    if (row.source === 'benchmark') {
      arm.counts.benchmarkClicks += row.alpha + row.beta - 2;
    } else {
      arm.counts.clientClicks += row.clicks;
      arm.counts.clientConversions += row.conversions;
    }
  }
  return [...arms.values()];
}

/**
 * Each arm's weighted posterior, mean and 95% interval, and P(best): the share of `draws`
 * rounds of one Beta draw per arm that the arm won. Ordered by P(best), then mean, then id.
 */
export function rankArms(
  inputs: readonly ArmInput[],
  draws: number,
  random: RandomSource,
): Result<MarketArm[], VBucketsError> {
  const posteriors: BetaParameters[] = [];
  for (const input of inputs) {
    const posterior = combineEvidence(input.evidence);
    if (posterior.isErr()) return err(posterior.error);
    posteriors.push(posterior.value);
  }
  const wins = new Array<number>(inputs.length).fill(0);
  for (let round = 0; round < draws && inputs.length > 0; round += 1) {
    let best = 0;
    let bestDraw = -1;
    for (const [index, posterior] of posteriors.entries()) {
      const draw = sampleBetaUnchecked(posterior.alpha, posterior.beta, random);
      if (draw > bestDraw) {
        bestDraw = draw;
        best = index;
      }
    }
    wins[best] = (wins[best] ?? 0) + 1;
  }
  const arms: MarketArm[] = [];
  for (const [index, input] of inputs.entries()) {
    const posterior = posteriors[index] as BetaParameters;
    const mean = expectedRate(posterior.alpha, posterior.beta);
    if (mean.isErr()) return err(mean.error);
    const interval = credibleInterval(posterior.alpha, posterior.beta);
    if (interval.isErr()) return err(interval.error);
    arms.push({
      id: input.id,
      label: input.label,
      kind: input.kind,
      posterior,
      mean: mean.value,
      interval: interval.value,
      pBest: draws === 0 ? 0 : (wins[index] ?? 0) / draws,
      evidence: input.counts,
    });
  }
  arms.sort(
    (left, right) =>
      right.pBest - left.pBest ||
      right.mean - left.mean ||
      (left.id < right.id ? -1 : left.id > right.id ? 1 : 0),
  );
  return ok(arms);
}

/** The `n` arms with the highest of one Thompson draw each (ties keep the ranking's order). */
export function chooseArms(
  arms: readonly MarketArm[],
  n: number,
  random: RandomSource,
): MarketArm[] {
  return arms
    .map((arm) => ({
      arm,
      draw: sampleBetaUnchecked(arm.posterior.alpha, arm.posterior.beta, random),
    }))
    .sort((left, right) => right.draw - left.draw)
    .slice(0, n)
    .map(({ arm }) => arm);
}
