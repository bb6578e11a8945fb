// Cumulative regret of vbuckets' market ranking (capped, weighted priors, Thompson sampling
// through core's public domain functions) against seed 003's rule, uniform random and
// ε-greedy, on simulated arms whose true conversion rates are hidden from every strategy.
// Everything random is drawn from seeded streams, so the regret figures repeat exactly for
// the same settings; only the Beta draws/s figures depend on the machine.
import {
  type BetaParameters,
  computeMarketPrior,
  createSeededRandom,
  credibleInterval,
  DEFAULT_EVIDENCE_WEIGHTS,
  DEFAULT_MAX_PRIOR_CLICKS,
  type MarketPriorInput,
  type RandomSource,
  sampleBeta,
  type ThompsonArm,
  thompsonSample,
  updatePosterior,
  type WeightedEvidence,
} from '@vbuckets/core/domain';
import { type Benchmark, integerFromEnvironment, round } from './harness';

/** True conversion rates per click are drawn log-uniformly from this range (0.5 %–6 %). */
const CVR_RANGE = { low: 0.005, high: 0.06 } as const;
/** How long a benchmark ad kept running, uniform whole days. */
const LONGEVITY_DAYS_RANGE = { low: 14, high: 60 } as const;
/** Its estimated clicks per day, log-uniform, rounded. */
const DAILY_CLICKS_RANGE = { low: 300, high: 3000 } as const;
/** The share of arms whose benchmark misleads in the `mislead` scenario. */
const MISLED_SHARE = 1 / 3;
const EPSILON = 0.1;

const SCENARIOS = ['match', 'mislead'] as const;
type Scenario = (typeof SCENARIOS)[number];

const STRATEGIES = ['vbuckets', 'seedRule', 'uniform', 'epsilonGreedy'] as const;
type Strategy = (typeof STRATEGIES)[number];

/** One simulated problem: the hidden truth and what the market says about each arm. */
interface Instance {
  trueCvr: number[];
  bestCvr: number;
  longevityDays: number[];
  dailyClicks: number[];
  /** Arms whose benchmark CVR is another arm's true CVR in the `mislead` scenario. */
  misled: number[];
  benchmarkCvr: Record<Scenario, number[]>;
}

/** A bandit strategy: picks an arm, then learns whether the click converted. */
interface Policy {
  choose(): number;
  observe(arm: number, converted: boolean): void;
}

function uniformBetween(random: RandomSource, low: number, high: number): number {
  return low + (high - low) * random();
}

function logUniformBetween(random: RandomSource, low: number, high: number): number {
  return Math.exp(uniformBetween(random, Math.log(low), Math.log(high)));
}

/** A uniform whole number in [0, count). */
function indexBelow(random: RandomSource, count: number): number {
  return Math.min(count - 1, Math.floor(random() * count));
}

/**
 * Draws the hidden CVRs and the benchmark figures of one seed. In `match` each benchmark CVR is
 * its arm's true CVR. In `mislead` a third of the arms, chosen at random, get their ranking
 * inverted: among them, the arm with the highest true CVR is given the lowest one's true CVR as
 * its benchmark CVR, the second highest the second lowest's, and so on; the others still match.
 */
function createInstance(seed: number, arms: number): Instance {
  const random = createSeededRandom(`bandit-regret/${seed}/instance`);
  const trueCvr = Array.from({ length: arms }, () =>
    logUniformBetween(random, CVR_RANGE.low, CVR_RANGE.high),
  );
  const longevityDays = Array.from(
    { length: arms },
    () =>
      LONGEVITY_DAYS_RANGE.low +
      indexBelow(random, LONGEVITY_DAYS_RANGE.high - LONGEVITY_DAYS_RANGE.low + 1),
  );
  const dailyClicks = Array.from({ length: arms }, () =>
    Math.round(logUniformBetween(random, DAILY_CLICKS_RANGE.low, DAILY_CLICKS_RANGE.high)),
  );
  // A seeded Fisher–Yates shuffle; its first third are the misled arms.
  const order = Array.from({ length: arms }, (_, index) => index);
  for (let index = arms - 1; index > 0; index -= 1) {
    const other = indexBelow(random, index + 1);
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  const misled = order
    .slice(0, Math.round(arms * MISLED_SHARE))
    .sort((left, right) => (trueCvr[right] as number) - (trueCvr[left] as number));
  const misleading = trueCvr.slice();
  misled.forEach((arm, rank) => {
    misleading[arm] = trueCvr[misled[misled.length - 1 - rank] as number] as number;
  });
  return {
    trueCvr,
    bestCvr: Math.max(...trueCvr),
    longevityDays,
    dailyClicks,
    misled,
    benchmarkCvr: { match: trueCvr.slice(), mislead: misleading },
  };
}

function marketInputs(instance: Instance, scenario: Scenario): MarketPriorInput[] {
  return instance.trueCvr.map((_, arm) => ({
    marketLongevityDays: instance.longevityDays[arm] as number,
    avgDailyClicks: instance.dailyClicks[arm] as number,
    marketCvr: instance.benchmarkCvr[scenario][arm] as number,
  }));
}

/**
 * (a) vbuckets: each arm's evidence is its benchmark prior (capped at `maxPriorClicks`, default
 * 1000) at the benchmark weight plus the client's own clicks at the client weight; core's
 * `thompsonSample` combines them and picks the highest draw.
 */
function vbucketsPolicy(inputs: readonly MarketPriorInput[], random: RandomSource): Policy {
  const benchmarkEvidence: WeightedEvidence[] = inputs.map((input) => {
    const prior = computeMarketPrior(input)._unsafeUnwrap();
    return { alpha: prior.alpha, beta: prior.beta, weight: DEFAULT_EVIDENCE_WEIGHTS.benchmark };
  });
  const counts = inputs.map(() => ({ clicks: 0, conversions: 0 }));
  const uniform: BetaParameters = { alpha: 1, beta: 1 };
  const arms: ThompsonArm[] = benchmarkEvidence.map((evidence, index) => ({
    id: String(index),
    evidence: [evidence, { ...uniform, weight: DEFAULT_EVIDENCE_WEIGHTS.client }],
  }));
  return {
    choose: () => Number(thompsonSample(arms, random)._unsafeUnwrap().armId),
    observe(arm, converted) {
      const count = counts[arm] as { clicks: number; conversions: number };
      count.clicks += 1;
      if (converted) count.conversions += 1;
      const client = updatePosterior(uniform, count)._unsafeUnwrap();
      arms[arm] = {
        id: String(arm),
        evidence: [
          benchmarkEvidence[arm] as WeightedEvidence,
          { ...client, weight: DEFAULT_EVIDENCE_WEIGHTS.client },
        ],
      };
    },
  };
}

/**
 * (b) seed 003's rule: the uncapped prior (alpha = longevity × clicks × cvr + 1, beta = the
 * other clicks + 1), updated with the client's clicks, and `priority = sample × weight`. Every
 * arm here is a benchmark creative, so every sample is multiplied by the same 2.0. The draws
 * come from core's `sampleBeta`, so (a) and (b) differ in their rule, not in their sampler.
 */
function seedRulePolicy(inputs: readonly MarketPriorInput[], random: RandomSource): Policy {
  const posteriors: BetaParameters[] = inputs.map((input) => {
    const prior = computeMarketPrior(input, { maxPriorClicks: Number.POSITIVE_INFINITY });
    const { alpha, beta } = prior._unsafeUnwrap();
    return { alpha, beta };
  });
  return {
    choose() {
      let best = 0;
      let bestPriority = Number.NEGATIVE_INFINITY;
      posteriors.forEach((posterior, arm) => {
        const sample = sampleBeta(posterior.alpha, posterior.beta, random)._unsafeUnwrap();
        const priority = sample * DEFAULT_EVIDENCE_WEIGHTS.benchmark;
        if (priority > bestPriority) {
          best = arm;
          bestPriority = priority;
        }
      });
      return best;
    },
    observe(arm, converted) {
      const observations = { clicks: 1, conversions: converted ? 1 : 0 };
      posteriors[arm] = updatePosterior(
        posteriors[arm] as BetaParameters,
        observations,
      )._unsafeUnwrap();
    },
  };
}

/** (c) an arm chosen uniformly at random every round. */
function uniformPolicy(arms: number, random: RandomSource): Policy {
  return { choose: () => indexBelow(random, arms), observe() {} };
}

/**
 * (d) ε-greedy with ε = 0.1 on the client's own clicks only (no prior): a random arm with
 * probability ε, otherwise the best observed conversion rate; an arm never pulled counts as
 * best, so each is tried once, and ties go to the lowest index.
 */
function epsilonGreedyPolicy(arms: number, random: RandomSource): Policy {
  const clicks = new Array<number>(arms).fill(0);
  const conversions = new Array<number>(arms).fill(0);
  return {
    choose() {
      if (random() < EPSILON) return indexBelow(random, arms);
      let best = 0;
      let bestRate = Number.NEGATIVE_INFINITY;
      for (let arm = 0; arm < arms; arm += 1) {
        const pulled = clicks[arm] as number;
        const rate =
          pulled === 0 ? Number.POSITIVE_INFINITY : (conversions[arm] as number) / pulled;
        if (rate > bestRate) {
          best = arm;
          bestRate = rate;
        }
      }
      return best;
    },
    observe(arm, converted) {
      clicks[arm] = (clicks[arm] as number) + 1;
      if (converted) conversions[arm] = (conversions[arm] as number) + 1;
    },
  };
}

interface Episode {
  /** Σ over rounds of (best true CVR − the pulled arm's true CVR): expected conversions lost. */
  regret: number;
  /** Conversions the best arm would have given on the same clicks, minus those observed. */
  realizedRegret: number;
  bestArmShare: number;
}

/**
 * Plays one strategy for `rounds` clicks. Each arm's conversions come from its own seeded
 * stream, shared by every strategy and scenario of a seed: the n-th pull of an arm converts or
 * not the same way whoever pulls it, so strategies are compared on the same luck.
 */
function play(
  instance: Instance,
  scenario: Scenario,
  strategy: Strategy,
  seed: number,
  rounds: number,
): Episode {
  const arms = instance.trueCvr.length;
  const random = createSeededRandom(`bandit-regret/${seed}/${scenario}/${strategy}`);
  const inputs = marketInputs(instance, scenario);
  const policy =
    strategy === 'vbuckets'
      ? vbucketsPolicy(inputs, random)
      : strategy === 'seedRule'
        ? seedRulePolicy(inputs, random)
        : strategy === 'uniform'
          ? uniformPolicy(arms, random)
          : epsilonGreedyPolicy(arms, random);
  const outcomes = instance.trueCvr.map((_, arm) =>
    createSeededRandom(`bandit-regret/${seed}/outcomes/${arm}`),
  );
  let regret = 0;
  let converted = 0;
  let bestPulls = 0;
  for (let step = 0; step < rounds; step += 1) {
    const arm = policy.choose();
    const cvr = instance.trueCvr[arm] as number;
    const conversion = (outcomes[arm] as RandomSource)() < cvr;
    policy.observe(arm, conversion);
    regret += instance.bestCvr - cvr;
    if (conversion) converted += 1;
    if (cvr === instance.bestCvr) bestPulls += 1;
  }
  return {
    regret,
    realizedRegret: rounds * instance.bestCvr - converted,
    bestArmShare: bestPulls / rounds,
  };
}

interface Summary {
  mean: number;
  low: number;
  high: number;
}

/**
 * Mean and 95 % Student-t interval over seeds. The t quantile comes from core's Beta quantiles:
 * for T with ν degrees of freedom, ν / (ν + T²) ~ Beta(ν/2, 1/2), so P(|T| > t) = 5 % where
 * ν / (ν + t²) is the 5 % quantile of that Beta.
 */
function summarize(values: readonly number[]): Summary {
  const count = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / count;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (count - 1);
  const freedom = count - 1;
  const tail = credibleInterval(freedom / 2, 0.5, 0.9)._unsafeUnwrap().lower;
  const t = Math.sqrt((freedom * (1 - tail)) / tail);
  const halfWidth = t * Math.sqrt(variance / count);
  return { mean, low: mean - halfWidth, high: mean + halfWidth };
}

// The reference sampler: textbook Marsaglia–Tsang gamma (Box–Muller normal, the boost for
// shapes below 1) and Beta = X / (X + Y), without validation, Results or logarithms.

function referenceNormal(random: RandomSource): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function referenceGamma(shape: number, random: RandomSource): number {
  if (shape < 1) return referenceGamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = referenceNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function referenceBeta(alpha: number, beta: number, random: RandomSource): number {
  const x = referenceGamma(alpha, random);
  return x / (x + referenceGamma(beta, random));
}

/**
 * Shapes cycled through by the throughput passes, as the simulation meets them: an unpulled
 * client arm, a weighted capped prior at 5 % (2000 pseudo-clicks), the seed's uncapped prior
 * for 30 days × 1000 clicks at 5 %, and a capped prior after some client clicks at 1 %.
 */
const THROUGHPUT_SHAPES: readonly (readonly [number, number])[] = [
  [1, 1],
  [101, 1901],
  [1501, 28501],
  [25, 2681],
];

/** Draws per second of one sampler over one timed pass of `draws` draws. */
function drawsPerSecond(
  sampler: (alpha: number, beta: number, random: RandomSource) => number,
  draws: number,
  name: string,
): number {
  const random = createSeededRandom(`bandit-regret/throughput/${name}`);
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let draw = 0; draw < draws; draw += 1) {
    const [alpha, beta] = THROUGHPUT_SHAPES[draw % THROUGHPUT_SHAPES.length] as readonly [
      number,
      number,
    ];
    sink += sampler(alpha, beta, random);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!Number.isFinite(sink)) throw new Error(`${name} drew a value that is not a number`);
  return draws / seconds;
}

const median = (values: readonly number[]) =>
  values.slice().sort((left, right) => left - right)[Math.floor(values.length / 2)] ?? Number.NaN;

const coreSampler = (alpha: number, beta: number, random: RandomSource) =>
  sampleBeta(alpha, beta, random)._unsafeUnwrap();

export const banditRegret: Benchmark = {
  name: 'bandit-regret',
  description:
    "Cumulative regret of vbuckets' Thompson ranking (capped, weighted market priors) against seed 003's rule (uncapped priors, priority = sample × weight), uniform random and ε-greedy 0.1, with benchmark priors that match the true CVRs and with a third of them inverted; and core's sampleBeta draws/s against a plain Marsaglia–Tsang reference",
  async run() {
    const arms = integerFromEnvironment('BENCH_BANDIT_ARMS', 20);
    const rounds = integerFromEnvironment('BENCH_BANDIT_ROUNDS', 20_000);
    const seeds = integerFromEnvironment('BENCH_BANDIT_SEEDS', 30);
    const draws = integerFromEnvironment('BENCH_BANDIT_DRAWS', 400_000);
    const passes = integerFromEnvironment('BENCH_BANDIT_DRAW_PASSES', 7);
    if (arms < 2) throw new Error('BENCH_BANDIT_ARMS must be at least 2');
    if (seeds < 2) throw new Error('BENCH_BANDIT_SEEDS must be at least 2 for an interval');

    const started = process.hrtime.bigint();
    const episodes = new Map<string, Episode[]>();
    let priorClicks = 0;
    // Per seed, whether the `mislead` scenario hides the best arm behind a low benchmark CVR.
    const bestArmMisled: boolean[] = [];
    for (let seed = 1; seed <= seeds; seed += 1) {
      const instance = createInstance(seed, arms);
      instance.longevityDays.forEach((days, arm) => {
        priorClicks += days * (instance.dailyClicks[arm] as number);
      });
      bestArmMisled.push(instance.misled.some((arm) => instance.trueCvr[arm] === instance.bestCvr));
      for (const scenario of SCENARIOS) {
        for (const strategy of STRATEGIES) {
          const key = `${scenario}/${strategy}`;
          const list = episodes.get(key) ?? [];
          list.push(play(instance, scenario, strategy, seed, rounds));
          episodes.set(key, list);
        }
      }
    }
    const simulationSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const misledBest = bestArmMisled.filter(Boolean).length;
    const meanWhere = (values: readonly number[], wanted: boolean) => {
      const kept = values.filter((_, index) => bestArmMisled[index] === wanted);
      return kept.reduce((sum, value) => sum + value, 0) / kept.length;
    };
    const summaries = new Map<string, { regret: Summary; realized: Summary; best: Summary }>();
    for (const [key, list] of episodes) {
      summaries.set(key, {
        regret: summarize(list.map((each) => each.regret)),
        realized: summarize(list.map((each) => each.realizedRegret)),
        best: summarize(list.map((each) => each.bestArmShare)),
      });
    }
    const summary = (scenario: Scenario, strategy: Strategy) => {
      const found = summaries.get(`${scenario}/${strategy}`);
      if (found === undefined) throw new Error(`unreachable: no ${scenario}/${strategy} episodes`);
      return found;
    };
    const figures = (strategy: Strategy, prefix = '') => {
      const result: Record<string, number> = {};
      for (const scenario of SCENARIOS) {
        const { regret, realized, best } = summary(scenario, strategy);
        const name =
          prefix === '' ? scenario : `${prefix}${scenario[0]?.toUpperCase()}${scenario.slice(1)}`;
        result[`${name}RegretMean`] = round(regret.mean, 2);
        result[`${name}RegretCi95Low`] = round(regret.low, 2);
        result[`${name}RegretCi95High`] = round(regret.high, 2);
        result[`${name}RealizedRegretMean`] = round(realized.mean, 2);
        result[`${name}BestArmShare`] = round(best.mean, 4);
      }
      // The mislead regret split by whether the best arm was among the misled (its benchmark
      // says it is poor) or not (a poor arm looks better than it is, the best still looks best).
      const regrets = (episodes.get(`mislead/${strategy}`) ?? []).map((each) => each.regret);
      const name = prefix === '' ? 'mislead' : `${prefix}Mislead`;
      if (misledBest > 0) {
        result[`${name}BestArmMisledRegretMean`] = round(meanWhere(regrets, true), 2);
      }
      if (misledBest < seeds) {
        result[`${name}BestArmKeptRegretMean`] = round(meanWhere(regrets, false), 2);
      }
      return result;
    };

    // Passes alternate between the samplers, after one untimed warm-up pass of each; the
    // median pass of each is kept.
    drawsPerSecond(coreSampler, draws, 'warm-up-core');
    drawsPerSecond(referenceBeta, draws, 'warm-up-reference');
    const coreRates: number[] = [];
    const referenceRates: number[] = [];
    for (let pass = 0; pass < passes; pass += 1) {
      coreRates.push(drawsPerSecond(coreSampler, draws, `core-${pass}`));
      referenceRates.push(drawsPerSecond(referenceBeta, draws, `reference-${pass}`));
    }
    const coreRate = median(coreRates);
    const referenceRate = median(referenceRates);

    const ratio = (scenario: Scenario) =>
      summary(scenario, 'vbuckets').regret.mean / summary(scenario, 'seedRule').regret.mean;
    const matchRatio = ratio('match');
    const misleadRatio = ratio('mislead');
    return {
      metrics: {
        ...figures('vbuckets'),
        ...figures('uniform', 'uniform'),
        ...figures('epsilonGreedy', 'epsilonGreedy'),
        sampleBetaDrawsPerSecond: Math.round(coreRate),
        simulationSeconds: round(simulationSeconds, 2),
      },
      baseline: {
        description:
          "seed 003's rule on the same arms, priors and conversion streams: uncapped prior alpha = longevity × daily clicks × cvr + 1, beta = the other clicks + 1, plus the client's clicks, priority = Beta sample × weight 2.0; draws/s of a plain Marsaglia–Tsang gamma-ratio Beta sampler on the same shapes and RNG",
        metrics: {
          ...figures('seedRule'),
          sampleBetaDrawsPerSecond: Math.round(referenceRate),
        },
      },
      ratios: {
        matchRegretVersusSeedRule: round(matchRatio, 3),
        misleadRegretVersusSeedRule: round(misleadRatio, 3),
        matchRegretVersusUniform: round(
          summary('match', 'vbuckets').regret.mean / summary('match', 'uniform').regret.mean,
          3,
        ),
        misleadRegretVersusUniform: round(
          summary('mislead', 'vbuckets').regret.mean / summary('mislead', 'uniform').regret.mean,
          3,
        ),
        matchRegretVersusEpsilonGreedy: round(
          summary('match', 'vbuckets').regret.mean / summary('match', 'epsilonGreedy').regret.mean,
          3,
        ),
        misleadRegretVersusEpsilonGreedy: round(
          summary('mislead', 'vbuckets').regret.mean /
            summary('mislead', 'epsilonGreedy').regret.mean,
          3,
        ),
        sampleBetaDrawsPerSecondVersusReference: round(coreRate / referenceRate, 3),
      },
      targets: {
        misleadRegretVersusSeedRule: {
          target:
            '≤ 0.5 (vbuckets ÷ seed rule, mean cumulative regret, a third of the priors inverted)',
          met: misleadRatio <= 0.5,
        },
        matchRegretVersusSeedRule: {
          target: '≤ 1.1 (vbuckets ÷ seed rule, mean cumulative regret, priors = true CVRs)',
          met: matchRatio <= 1.1,
        },
      },
      parameters: {
        arms,
        rounds,
        seeds,
        epsilon: EPSILON,
        cvrRange: `${CVR_RANGE.low}–${CVR_RANGE.high}, log-uniform per arm and seed`,
        longevityDaysRange: `${LONGEVITY_DAYS_RANGE.low}–${LONGEVITY_DAYS_RANGE.high}, uniform`,
        dailyClicksRange: `${DAILY_CLICKS_RANGE.low}–${DAILY_CLICKS_RANGE.high}, log-uniform`,
        seedRuleMeanPriorClicks: Math.round(priorClicks / (seeds * arms)),
        vbucketsPriorClicks: DEFAULT_MAX_PRIOR_CLICKS * DEFAULT_EVIDENCE_WEIGHTS.benchmark,
        misledArms: Math.round(arms * MISLED_SHARE),
        seedsWithTheBestArmMisled: misledBest,
        misleading:
          'a random third of the arms (per seed) get the true CVRs of that third in inverted order as their benchmark CVRs',
        regret: 'pseudo-regret: Σ (best true CVR − pulled arm true CVR) over the rounds',
        betaDraws: draws,
        betaDrawPasses: passes,
        betaShapes: THROUGHPUT_SHAPES.map(([alpha, beta]) => `${alpha}/${beta}`).join(', '),
      },
    };
  },
};
