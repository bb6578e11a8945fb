export {
  type AnalysisCandidate,
  type AnalysisDecision,
  type AnalysisTriggerOptions,
  type AnalysisTriggerReason,
  DEFAULT_ANALYSIS_CONVERSION_THRESHOLD,
  decideAnalysis,
} from './analysis-trigger';
export {
  type BetaParameters,
  type CredibleInterval,
  credibleInterval,
  DEFAULT_CREDIBLE_LEVEL,
  expectedRate,
  sampleBeta,
} from './beta-distribution';
export {
  combineEvidence,
  DEFAULT_EVIDENCE_WEIGHTS,
  type WeightedEvidence,
} from './evidence-weights';
export { sampleGamma } from './gamma-distribution';
export {
  inverseRegularizedIncompleteBeta,
  regularizedIncompleteBeta,
} from './incomplete-beta';
export {
  computeMarketPrior,
  DEFAULT_MAX_PRIOR_CLICKS,
  type MarketPrior,
  type MarketPriorInput,
  type MarketPriorOptions,
} from './market-prior';
export { type ConversionObservations, updatePosterior } from './posterior';
export {
  createSeededRandom,
  type RandomSeed,
  type RandomSource,
  sampleStandardNormal,
} from './random';
export {
  type RankedArm,
  rankArmsByThompson,
  type ThompsonArm,
  type ThompsonChoice,
  thompsonSample,
} from './thompson';
