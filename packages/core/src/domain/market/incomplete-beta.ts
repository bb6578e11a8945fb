import { err, ok, type Result } from 'neverthrow';
import type { VBucketsError } from '../../errors';
import { checkPositiveFinite, checkUnitInterval } from './number-checks';

// Lanczos approximation with g = 7 and nine terms: about 15 significant digits for x > 0.
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
] as const;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

// Stops Lentz's algorithm from dividing by zero; far below any value that matters here.
const TINY = 1e-300;
const CONTINUED_FRACTION_TOLERANCE = 1e-15;
const QUANTILE_RELATIVE_TOLERANCE = 1e-13;
const QUANTILE_MAX_ITERATIONS = 300;

/** ln Γ(x) for x > 0 (unchecked; callers validate). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // The series loses accuracy below 1/2; the reflection formula moves x above it.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const shifted = x - 1;
  let series = LANCZOS_COEFFICIENTS[0];
  for (let index = 1; index < LANCZOS_COEFFICIENTS.length; index += 1) {
    series += (LANCZOS_COEFFICIENTS[index] ?? 0) / (shifted + index);
  }
  const base = shifted + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (shifted + 0.5) * Math.log(base) - base + Math.log(series);
}

/**
 * The continued fraction of I_x(a, b) by the modified Lentz method. It converges fast for
 * x < (a + 1) / (a + b + 2); the caller uses the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
 * otherwise. Convergence takes O(√max(a, b)) terms, so the limit grows with the shapes.
 */
function incompleteBetaContinuedFraction(x: number, a: number, b: number): number {
  const maxIterations = 200 + 10 * Math.ceil(Math.sqrt(Math.max(a, b)));
  const sum = a + b;
  let c = 1;
  let d = 1 - (sum * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let fraction = d;
  for (let term = 1; term <= maxIterations; term += 1) {
    const twiceTerm = 2 * term;
    const evenCoefficient = (term * (b - term) * x) / ((a - 1 + twiceTerm) * (a + twiceTerm));
    d = 1 + evenCoefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + evenCoefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    fraction *= d * c;
    const oddCoefficient =
      (-(a + term) * (sum + term) * x) / ((a + twiceTerm) * (a + 1 + twiceTerm));
    d = 1 + oddCoefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + oddCoefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const change = d * c;
    fraction *= change;
    if (Math.abs(change - 1) < CONTINUED_FRACTION_TOLERANCE) break;
  }
  return fraction;
}

// Above this the Stirling series for ln Γ converges to double precision in five terms.
const STIRLING_MIN_SHAPE = 10;

/** ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], by its Stirling series (x ≥ 10). */
function stirlingCorrection(x: number): number {
  const inverseSquare = 1 / (x * x);
  return (
    (1 / x) *
    (1 / 12 -
      inverseSquare *
        (1 / 360 - inverseSquare * (1 / 1260 - inverseSquare * (1 / 1680 - inverseSquare / 1188))))
  );
}

/**
 * ln B(a, b) for a, b > 0 (unchecked). When one shape is large, ln Γ(large) and
 * ln Γ(small + large) are huge and nearly equal; their difference is taken from the Stirling
 * series instead, so that it keeps its digits.
 */
export function logBetaFunction(a: number, b: number): number {
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  if (large < STIRLING_MIN_SHAPE) return logGamma(a) + logGamma(b) - logGamma(a + b);
  return (
    logGamma(small) -
    (large - 0.5) * Math.log1p(small / large) -
    small * Math.log(small + large) +
    small +
    stirlingCorrection(large) -
    stirlingCorrection(small + large)
  );
}

/**
 * ln(x^a (1 − x)^b / B(a, b)), the factor in front of the continued fraction. For large shapes
 * ln Γ(a) is of order a ln a, and subtracting three such numbers would leave an absolute error
 * near 1e-7 at shapes of a few million; written around the mean a / (a + b) the large terms
 * cancel analytically and only log1p of the distance from the mean remains.
 */
function logFrontFactor(x: number, a: number, b: number): number {
  if (Math.min(a, b) < STIRLING_MIN_SHAPE) {
    return a * Math.log(x) + b * Math.log1p(-x) - logBetaFunction(a, b);
  }
  const sum = a + b;
  const distance = x * sum - a;
  return (
    a * Math.log1p(distance / a) +
    b * Math.log1p(-distance / b) +
    0.5 * Math.log((a / sum) * b) -
    HALF_LOG_TWO_PI -
    (stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(sum))
  );
}

/** I_x(a, b) without validation, for callers that have checked their inputs. */
export function incompleteBetaUnchecked(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logFrontFactor(x, a, b));
  if (x < (a + 1) / (a + b + 2)) {
    return (front * incompleteBetaContinuedFraction(x, a, b)) / a;
  }
  return 1 - (front * incompleteBetaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * A starting point close enough for Newton's method to converge in a few steps: a normal
 * approximation when both shapes are at least 1, the power-law tails otherwise
 * (Abramowitz & Stegun 26.5.22; Numerical Recipes §6.14).
 */
function initialQuantileGuess(p: number, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const tail = p < 0.5 ? p : 1 - p;
    const root = Math.sqrt(-2 * Math.log(tail));
    let normal = (2.30753 + root * 0.27061) / (1 + root * (0.99229 + root * 0.04481)) - root;
    if (p < 0.5) normal = -normal;
    const lambda = (normal * normal - 3) / 6;
    const harmonic = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w =
      (normal * Math.sqrt(lambda + harmonic)) / harmonic -
      (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (lambda + 5 / 6 - 2 / (3 * harmonic));
    return a / (a + b * Math.exp(2 * w));
  }
  const logShareA = Math.log(a / (a + b));
  const logShareB = Math.log(b / (a + b));
  const lowerMass = Math.exp(a * logShareA) / a;
  const upperMass = Math.exp(b * logShareB) / b;
  const total = lowerMass + upperMass;
  if (p < lowerMass / total) return (a * total * p) ** (1 / a);
  return 1 - (b * total * (1 - p)) ** (1 / b);
}

/**
 * The middle of a bracket. A lower-tail quantile of a small shape can be hundreds of orders of
 * magnitude below 1 (Beta(0.01, 5) puts 2.5% below 1e-161), where halving the value would
 * take a thousand steps; halving the exponent finds it in about sixty.
 */
function bisect(low: number, high: number): number {
  const floor = Math.max(low, Number.MIN_VALUE);
  if (high <= 0.5 && high > 4 * floor) return Math.exp(0.5 * (Math.log(floor) + Math.log(high)));
  return 0.5 * (low + high);
}

/**
 * The x with I_x(a, b) = p, without validation. Newton's method on the CDF, kept inside a
 * bracket that every evaluation narrows: a step that would leave the bracket (or is not a
 * number, where the density under- or overflows) is replaced by bisection, so the search
 * always converges even where Newton alone would oscillate. Quantiles beyond double
 * precision (below the smallest double, or closer to 1 than 1.1e-16) come back as the nearest
 * representable number.
 */
export function inverseIncompleteBetaUnchecked(p: number, a: number, b: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let low = 0;
  let high = 1;
  let x = initialQuantileGuess(p, a, b);
  if (!(x > 0 && x < 1)) x = 0.5;
  for (let iteration = 0; iteration < QUANTILE_MAX_ITERATIONS; iteration += 1) {
    const error = incompleteBetaUnchecked(x, a, b) - p;
    if (error === 0) return x;
    if (error < 0) low = x;
    else high = x;
    const density = Math.exp(logFrontFactor(x, a, b) - Math.log(x) - Math.log1p(-x));
    let next = x - error / density;
    if (!(next > low && next < high)) next = bisect(low, high);
    // Relative to the nearer end: near 1 the quantile is 1 − tiny, and it is the tiny part that
    // must be accurate; two ulps is as close as a double gets.
    const tolerance = Math.max(
      QUANTILE_RELATIVE_TOLERANCE * Math.min(next, 1 - next),
      2 * Number.EPSILON * next,
    );
    if (Math.abs(next - x) <= tolerance) return next;
    x = next;
  }
  return x;
}

function checkShapes(a: number, b: number): VBucketsError | undefined {
  return checkPositiveFinite(a, 'alpha') ?? checkPositiveFinite(b, 'beta');
}

/**
 * The regularized incomplete beta function I_x(a, b): the CDF of Beta(a, b) at x.
 * VALIDATION when x is outside [0, 1] or a shape is not a positive finite number.
 */
export function regularizedIncompleteBeta(
  x: number,
  alpha: number,
  beta: number,
): Result<number, VBucketsError> {
  const problem = checkUnitInterval(x, 'x') ?? checkShapes(alpha, beta);
  if (problem) return err(problem);
  return ok(incompleteBetaUnchecked(x, alpha, beta));
}

/**
 * The inverse of I_x(a, b) in x: the p-quantile of Beta(a, b), to about 1e-13 relative to the
 * nearer end of [0, 1], or to the last bit where a double cannot do better.
 * VALIDATION when p is outside [0, 1] or a shape is not a positive finite number.
 */
export function inverseRegularizedIncompleteBeta(
  p: number,
  alpha: number,
  beta: number,
): Result<number, VBucketsError> {
  const problem = checkUnitInterval(p, 'p') ?? checkShapes(alpha, beta);
  if (problem) return err(problem);
  return ok(inverseIncompleteBetaUnchecked(p, alpha, beta));
}
