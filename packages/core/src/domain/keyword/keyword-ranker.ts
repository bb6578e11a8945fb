import type { Result } from 'neverthrow';
import { type VBucketsError, withErrorSource } from '../../errors';
import type { CategorizerAnswer } from '../../ports/video-analyzer';
import type { Bucket } from '../../schemas/bucket';
import { fitProbability, openSetFeatures } from './keyword-open-set';
import {
  BUCKET_TEXT_FIELDS,
  type BucketTextField,
  type KeywordOptions,
  type KeywordSettings,
  parseKeywordOptions,
} from './keyword-options';
import { tokenizeKeywords } from './keyword-tokenizer';

/**
 * How strongly repeating a term in the video's text adds evidence: the weight of a term said
 * n times is (K+1)·n / (K+n), so 1 for once, about 1.6 for three times, never above 2.2.
 */
const QUERY_SATURATION = 1.2;
const MAX_TERMS_IN_REASONING = 6;

/** One term of the video's text found in a bucket. */
export interface KeywordTermMatch {
  /** The stemmed term (two for a phrase). */
  term: string;
  /** The word(s) as the video's text first wrote them. */
  surface: string;
  /** True for a two-word phrase. */
  bigram: boolean;
  /** How many times the video's text says the term. */
  occurrences: number;
  /** This term's share of the bucket's score. */
  contribution: number;
  /** The bucket fields holding the term, in {@link BUCKET_TEXT_FIELDS} order. */
  fields: BucketTextField[];
}

/** A bucket's BM25 score against the video's text. */
export interface KeywordBucketScore {
  bucket: Bucket;
  /** 0 when no term matched. */
  score: number;
  /** Matched terms, largest contribution first. */
  matches: KeywordTermMatch[];
}

const FIELD_LABELS: Readonly<Record<BucketTextField, string>> = {
  name: 'name',
  painPoints: 'pain points',
  bestFor: 'best for',
  keyCopyHooks: 'copy hooks',
  solutionMechanism: 'solution mechanism',
  avatar: 'avatar',
  angle: 'angle',
};

interface BucketDocument {
  bucket: Bucket;
  /** Field-weighted occurrences of each term. */
  frequencies: Map<string, number>;
  fields: Map<string, Set<BucketTextField>>;
  /** Field-weighted count of words (phrases not counted). */
  length: number;
}

interface QueryTerm {
  surface: string;
  bigram: boolean;
  count: number;
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The documented tie order: display order, then name, then id. */
function compareBuckets(left: Bucket, right: Bucket): number {
  return (
    left.displayOrder - right.displayOrder ||
    compareText(left.name, right.name) ||
    compareText(left.id, right.id)
  );
}

function fieldValues(bucket: Bucket, field: BucketTextField): readonly string[] {
  const value = bucket[field];
  return typeof value === 'string' ? [value] : value;
}

function buildDocument(bucket: Bucket, settings: KeywordSettings): BucketDocument {
  const document: BucketDocument = { bucket, frequencies: new Map(), fields: new Map(), length: 0 };
  for (const field of BUCKET_TEXT_FIELDS) {
    const weight = settings.fieldWeights[field];
    if (weight === 0) continue;
    // Each list item separately, so no phrase spans two pain points.
    for (const value of fieldValues(bucket, field)) {
      for (const token of tokenizeKeywords(value, { bigrams: settings.bigrams })) {
        document.frequencies.set(token.term, (document.frequencies.get(token.term) ?? 0) + weight);
        const fields = document.fields.get(token.term) ?? new Set<BucketTextField>();
        fields.add(field);
        document.fields.set(token.term, fields);
        if (!token.bigram) document.length += weight;
      }
    }
  }
  return document;
}

function queryTerms(text: string, settings: KeywordSettings): Map<string, QueryTerm> {
  const terms = new Map<string, QueryTerm>();
  for (const token of tokenizeKeywords(text, { bigrams: settings.bigrams })) {
    const known = terms.get(token.term);
    if (known === undefined) {
      terms.set(token.term, { surface: token.surface, bigram: token.bigram, count: 1 });
    } else {
      known.count += 1;
    }
  }
  return terms;
}

/** BM25 idf in its non-negative form, ln(1 + (N - n + 0.5) / (n + 0.5)). */
function inverseDocumentFrequency(documentCount: number, containing: number): number {
  return Math.log(1 + (documentCount - containing + 0.5) / (containing + 0.5));
}

interface Ranking {
  scores: KeywordBucketScore[];
  /** Words of the video's text (phrases not counted), stop words excluded. */
  wordCount: number;
}

function scoreWithSettings(
  text: string,
  buckets: readonly Bucket[],
  settings: KeywordSettings,
): KeywordBucketScore[] {
  return rankWithSettings(text, buckets, settings).scores;
}

function rankWithSettings(
  text: string,
  buckets: readonly Bucket[],
  settings: KeywordSettings,
): Ranking {
  // Working in a canonical order makes every sum, and so the result, independent of the
  // order the buckets came in.
  const documents = [...buckets]
    .sort(compareBuckets)
    .map((bucket) => buildDocument(bucket, settings));
  const query = queryTerms(text, settings);
  let wordCount = 0;
  for (const term of query.values()) if (!term.bigram) wordCount += term.count;
  if (documents.length === 0) return { scores: [], wordCount };
  const averageLength =
    documents.reduce((total, document) => total + document.length, 0) / documents.length || 1;
  const { k1, b } = settings;

  const idf = new Map<string, number>();
  for (const term of query.keys()) {
    const containing = documents.filter((document) => document.frequencies.has(term)).length;
    if (containing > 0) idf.set(term, inverseDocumentFrequency(documents.length, containing));
  }

  const scores = documents.map((document): KeywordBucketScore => {
    const matches: KeywordTermMatch[] = [];
    const lengthFactor = 1 - b + (b * document.length) / averageLength;
    for (const [term, queryTerm] of query) {
      const frequency = document.frequencies.get(term);
      const termIdf = idf.get(term);
      if (frequency === undefined || termIdf === undefined) continue;
      const saturated = (frequency * (k1 + 1)) / (frequency + k1 * lengthFactor);
      const queryWeight =
        ((QUERY_SATURATION + 1) * queryTerm.count) / (QUERY_SATURATION + queryTerm.count);
      matches.push({
        term,
        surface: queryTerm.surface,
        bigram: queryTerm.bigram,
        occurrences: queryTerm.count,
        contribution: termIdf * saturated * queryWeight,
        fields: BUCKET_TEXT_FIELDS.filter((field) => document.fields.get(term)?.has(field)),
      });
    }
    matches.sort(
      (left, right) => right.contribution - left.contribution || compareText(left.term, right.term),
    );
    const score = matches.reduce((total, match) => total + match.contribution, 0);
    return { bucket: document.bucket, score, matches };
  });
  // Stable sort over the canonical order: equal scores keep the tie order.
  return { scores: scores.sort((left, right) => right.score - left.score), wordCount };
}

/**
 * Ranks buckets by BM25 match of their text fields (the documents) against `text` (the query):
 * k1 and b as set, idf over the given buckets, field-weighted term frequencies and lengths
 * (BM25F-style), repeated query terms saturating. Best first; equal scores are ordered by
 * display order, then name, then id, whatever order the buckets came in. Fails only for
 * invalid options (VALIDATION).
 */
export function rankBucketsByKeywords(
  text: string,
  buckets: readonly Bucket[],
  options: KeywordOptions = {},
): Result<KeywordBucketScore[], VBucketsError> {
  return parseKeywordOptions(options)
    .map((settings) => scoreWithSettings(text, buckets, settings))
    .mapErr((error) =>
      withErrorSource(error, { adapter: 'keyword', operation: 'rankBucketsByKeywords' }),
    );
}

function quoteList(items: readonly string[]): string {
  const quoted = items.map((item) => `"${item}"`);
  return quoted.join(', ');
}

function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The matches worth naming: a phrase stands for its words, the largest contributions first. */
function namedMatches(matches: readonly KeywordTermMatch[]): KeywordTermMatch[] {
  const coveredWords = new Set(
    matches.filter((match) => match.bigram).flatMap((match) => match.term.split(' ')),
  );
  return matches.filter((match) => match.bigram || !coveredWords.has(match.term));
}

function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * The calibrated probability that the best bucket is the video's bucket: a fixed logistic
 * (see keyword-open-set.ts) over the distinctive evidence for the best bucket, how much of the
 * video's text is that bucket's distinctive vocabulary, and its margin over the runner-up.
 */
function fitOf(ranking: Ranking, settings: KeywordSettings): number {
  const [best, next] = ranking.scores;
  if (best === undefined || best.score <= 0) return 0;
  const distinctiveIdf = inverseDocumentFrequency(ranking.scores.length, 1);
  return fitProbability(
    openSetFeatures(
      best,
      next?.score ?? 0,
      ranking.wordCount,
      distinctiveIdf,
      settings.confidenceScale,
    ),
  );
}

function reasoningOf(ranking: readonly KeywordBucketScore[]): string {
  const [best, next] = ranking;
  if (best === undefined) return 'No buckets to choose from.';
  const named = namedMatches(best.matches);
  const shown = named.slice(0, MAX_TERMS_IN_REASONING);
  const more = named.length - shown.length;
  // A shown phrase speaks for its words too, so their fields count.
  const shownWords = new Set(shown.flatMap((match) => match.term.split(' ')));
  const explained = best.matches.filter(
    (match) => shown.includes(match) || (!match.bigram && shownWords.has(match.term)),
  );
  const fields = BUCKET_TEXT_FIELDS.filter((field) =>
    explained.some((match) => match.fields.includes(field)),
  ).map((field) => FIELD_LABELS[field]);
  const terms =
    quoteList(shown.map((match) => match.surface)) + (more > 0 ? ` and ${more} more` : '');
  const runnerUp =
    next !== undefined && next.score > 0
      ? `next best "${next.bucket.name}" at ${next.score.toFixed(2)}`
      : 'no other bucket matched';
  return `Matched ${terms} in the ${andList(fields)} of "${best.bucket.name}" (keyword score ${best.score.toFixed(2)}; ${runnerUp}).`;
}

/** The keyword categorizer's answer for `text`, with already-parsed settings. */
export function answerWithSettings(
  text: string,
  buckets: readonly Bucket[],
  settings: KeywordSettings,
): CategorizerAnswer {
  if (buckets.length === 0) {
    return { bucketName: null, confidence: 0, reasoning: 'No buckets to choose from.' };
  }
  const ranking = rankWithSettings(text, buckets, settings);
  if (ranking.wordCount === 0) {
    return {
      bucketName: null,
      confidence: 0,
      reasoning:
        'No known text matched any bucket: there is no transcript, caption, tag or meaningful file name to match.',
    };
  }
  const best = ranking.scores[0];
  if (best === undefined || best.score <= 0) {
    return {
      bucketName: null,
      confidence: 0,
      reasoning: 'No known text matched any bucket: no word of the video appears in any bucket.',
    };
  }
  const fit = fitOf(ranking, settings);
  if (fit < settings.noBucketBelow) {
    return {
      bucketName: null,
      confidence: 0,
      reasoning: `No bucket fits: too little of the video is about any one bucket (best "${best.bucket.name}", fit ${roundTo(fit, 3)} below ${settings.noBucketBelow}). ${reasoningOf(ranking.scores)}`,
    };
  }
  return {
    bucketName: best.bucket.name,
    confidence: roundTo(fit, 3),
    reasoning: reasoningOf(ranking.scores),
  };
}

/**
 * The keyword categorizer's answer for a video's known text: the best-ranked bucket (see
 * {@link rankBucketsByKeywords}) with a confidence in 0..1 and a reasoning that names the
 * matched words and fields, or bucket null with confidence 0 when nothing matched. Core's
 * decision rules (floor, unknown names) apply afterwards as for any categorizer. Fails only
 * for invalid options (VALIDATION).
 */
export function categorizeByKeywords(
  text: string,
  buckets: readonly Bucket[],
  options: KeywordOptions = {},
): Result<CategorizerAnswer, VBucketsError> {
  return parseKeywordOptions(options)
    .map((settings) => answerWithSettings(text, buckets, settings))
    .mapErr((error) =>
      withErrorSource(error, { adapter: 'keyword', operation: 'categorizeByKeywords' }),
    );
}
