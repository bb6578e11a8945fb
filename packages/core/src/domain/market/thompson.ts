import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, validationError } from '../../errors';
import { type BetaParameters, sampleBetaUnchecked } from './beta-distribution';
import { combineEvidenceAt, type WeightedEvidence } from './evidence-weights';
import type { RandomSource } from './random';

/** One option to choose between (a creative, a pattern) and the evidence about it. */
export interface ThompsonArm {
  id: string;
  /** Every source's Beta with its weight; none means the uniform Beta(1, 1). */
  evidence: readonly WeightedEvidence[];
}

export interface ThompsonChoice {
  /** The arm whose draw was highest (the first such arm on a tie). */
  armId: string;
  /** Each arm's draw by id, so callers can log why the choice was made. */
  draws: Record<string, number>;
}

export interface RankedArm {
  armId: string;
  draw: number;
  /** The weighted combined posterior the draw came from. */
  posterior: BetaParameters;
}

function drawArms(
  arms: readonly ThompsonArm[],
  random: RandomSource,
): Result<RankedArm[], VBucketsError> {
  if (arms.length === 0) {
    return err(validationError('Invalid arms: at least one arm is needed', { path: 'arms' }));
  }
  const seen = new Set<string>();
  const posteriors: { armId: string; posterior: BetaParameters }[] = [];
  for (const [index, arm] of arms.entries()) {
    if (typeof arm.id !== 'string' || arm.id.length === 0 || seen.has(arm.id)) {
      return err(
        validationError(`Invalid arms.${index}.id: must be a non-empty id used by one arm only`, {
          path: `arms.${index}.id`,
        }),
      );
    }
    seen.add(arm.id);
    const posterior = combineEvidenceAt(arm.evidence, `arms.${index}.evidence.`);
    if (posterior.isErr()) return err(posterior.error);
    posteriors.push({ armId: arm.id, posterior: posterior.value });
  }
  // Drawing only after every arm validated keeps the random stream identical for a given
  // seed whatever the outcome, and consumes nothing when the input is rejected.
  return ok(
    posteriors.map(({ armId, posterior }) => ({
      armId,
      posterior,
      draw: sampleBetaUnchecked(posterior.alpha, posterior.beta, random),
    })),
  );
}

/**
 * Thompson sampling: draws once from each arm's weighted posterior and picks the highest, so
 * each arm is chosen with the probability that it is the best. Arms are drawn in the order
 * given; with a seeded `random` the choice is reproducible. VALIDATION for no arms, a missing
 * or repeated id, or bad evidence (the path names the arm and source).
 */
export function thompsonSample(
  arms: readonly ThompsonArm[],
  random: RandomSource,
): Result<ThompsonChoice, VBucketsError> {
  return drawArms(arms, random).map((drawn) => {
    let best = drawn[0] as RankedArm;
    for (const candidate of drawn) if (candidate.draw > best.draw) best = candidate;
    return {
      armId: best.armId,
      draws: Object.fromEntries(drawn.map(({ armId, draw }) => [armId, draw])),
    };
  });
}

/**
 * All arms ordered by one Thompson draw each, highest first (ties keep the given order): the
 * first is what `thompsonSample` would pick with the same random state, the rest a
 * randomised order for showing several options at once.
 */
export function rankArmsByThompson(
  arms: readonly ThompsonArm[],
  random: RandomSource,
): Result<RankedArm[], VBucketsError> {
  return drawArms(arms, random).map((drawn) =>
    drawn.slice().sort((first, second) => second.draw - first.draw),
  );
}
