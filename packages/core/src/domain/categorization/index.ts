export {
  type CategorizationDecision,
  type CategorizationDecisionOptions,
  CategorizationDecisionOptionsSchema,
  clampConfidence,
  decideCategorization,
} from './categorization-decision';
export {
  categorizerAnswerFromObject,
  parseCategorizerAnswer,
  parseConfidence,
  parseModelJsonObject,
} from './model-answer';
