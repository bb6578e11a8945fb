import { err, ok, type Result } from 'neverthrow';
import type { VBucketsError } from '../../errors';
import { checkPositiveFinite } from './number-checks';
import { type RandomSource, sampleStandardNormal } from './random';

/**
 * ln of one Gamma(shape, 1) draw (Marsaglia & Tsang, 2000), unchecked. The logarithm is
 * returned because the boost for shape < 1 multiplies by U^(1/shape), which underflows to 0
 * for tiny shapes; in log space a Beta built from two such draws stays well defined.
 */
export function sampleLogGammaUnchecked(shape: number, random: RandomSource): number {
  if (shape < 1) {
    // Gamma(a) = Gamma(a + 1) · U^(1/a); 1 − random() lies in (0, 1], so the log is finite.
    return sampleLogGammaUnchecked(shape + 1, random) + Math.log(1 - random()) / shape;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let normal: number;
    let cubeRoot: number;
    do {
      normal = sampleStandardNormal(random);
      cubeRoot = 1 + c * normal;
    } while (cubeRoot <= 0);
    const v = cubeRoot * cubeRoot * cubeRoot;
    const uniform = random();
    const squared = normal * normal;
    // The squeeze accepts most draws without a logarithm.
    if (uniform < 1 - 0.0331 * squared * squared) return Math.log(d * v);
    if (Math.log(uniform) < 0.5 * squared + d * (1 - v + Math.log(v))) return Math.log(d * v);
  }
}

/**
 * One draw from Gamma(shape, 1). VALIDATION when shape is not a positive finite number.
 * For shapes far below 1 the draw may underflow to 0, which is the nearest double.
 */
export function sampleGamma(shape: number, random: RandomSource): Result<number, VBucketsError> {
  const problem = checkPositiveFinite(shape, 'shape');
  if (problem) return err(problem);
  return ok(Math.exp(sampleLogGammaUnchecked(shape, random)));
}
