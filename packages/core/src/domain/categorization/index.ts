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
export {
  isRowHeldByOther,
  planRowLease,
  type RowClaimRequest,
  type RowLease,
  rowLeaseLost,
} from './row-claim';
