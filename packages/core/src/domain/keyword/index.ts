export { type CaptionFormat, captionFormatOf, captionText } from './caption-text';
export { filenameText } from './filename-text';
export {
  BUCKET_TEXT_FIELDS,
  type BucketTextField,
  DEFAULT_KEYWORD_FIELD_WEIGHTS,
  type KeywordOptions,
  KeywordOptionsSchema,
  type KeywordSettings,
  parseKeywordOptions,
} from './keyword-options';
export { createKeywordProvider, KEYWORD_PROVIDER, type KeywordProvider } from './keyword-provider';
export {
  categorizeByKeywords,
  type KeywordBucketScore,
  type KeywordTermMatch,
  rankBucketsByKeywords,
} from './keyword-ranker';
export {
  KEYWORD_STOP_WORDS,
  type KeywordToken,
  stemWord,
  type TokenizeKeywordsOptions,
  tokenizeKeywords,
} from './keyword-tokenizer';
