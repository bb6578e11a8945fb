import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { cancelledError, settingsError, type VBucketsError, withErrorSource } from '../../errors';
import type {
  AnalyzerVideo,
  BucketCategorizer,
  CallOptions,
  CategorizerAnswer,
  VideoAnalysis,
  VideoAnalyzer,
} from '../../ports/video-analyzer';
import type { Bucket } from '../../schemas/bucket';
import { filenameText } from './filename-text';
import { type KeywordOptions, type KeywordSettings, parseKeywordOptions } from './keyword-options';
import { answerWithSettings } from './keyword-ranker';
import { tokenizeKeywords } from './keyword-tokenizer';

/** The provider name of the keyword analyzer and categorizer. */
export const KEYWORD_PROVIDER = 'keyword';

const SUMMARY_LIMIT = 200;
/** A file name is a deliberate label, so each of its words counts as this many mentions. */
const FILENAME_WORD_WEIGHT = 2;

/** The offline keyword analyzer and categorizer, sharing one set of options. */
export interface KeywordProvider {
  /** Builds an analysis from the video's known text and file name, never reading its bytes. */
  readonly analyzer: VideoAnalyzer & Required<Pick<VideoAnalyzer, 'analyzeAndCategorize'>>;
  /** Ranks buckets by lexical match against an analysis. */
  readonly categorizer: BucketCategorizer;
}

function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentence = /^.+?[.!?]+(?=\s|$)/u.exec(flat)?.[0] ?? flat;
  return truncate(sentence, SUMMARY_LIMIT);
}

interface TopicTerm {
  term: string;
  count: number;
  order: number;
}

/** Words by mentions (file name words counting double), ties by first appearance. */
function topTerms(knownText: string, filenameWords: string, limit: number): TopicTerm[] {
  const terms = new Map<string, TopicTerm>();
  const add = (text: string, weight: number) => {
    for (const token of tokenizeKeywords(text, { bigrams: false })) {
      const known = terms.get(token.term);
      if (known === undefined) {
        terms.set(token.term, { term: token.surface, count: weight, order: terms.size });
      } else {
        known.count += weight;
      }
    }
  };
  add(filenameWords, FILENAME_WORD_WEIGHT);
  add(knownText, 1);
  return [...terms.values()]
    .sort((left, right) => right.count - left.count || left.order - right.order)
    .slice(0, limit);
}

function analysisOf(video: AnalyzerVideo, settings: KeywordSettings): VideoAnalysis {
  const knownText = (video.knownText ?? '').trim();
  const filenameWords = filenameText(video.filename);
  const terms = topTerms(knownText, filenameWords, settings.maxTopics);
  const hook = knownText === '' ? '' : firstSentence(knownText);
  return {
    summary: knownText === '' ? filenameWords : hook,
    transcript: knownText,
    hook,
    topics: terms.map((each) => each.term),
    onScreenText: '',
    raw: {
      source: KEYWORD_PROVIDER,
      filenameWords,
      terms: terms.map(({ term, count }) => ({ term, count })),
    },
  };
}

/** What the categorizer matches in an analysis; clauses are kept apart so no phrase spans two. */
function analysisText(analysis: VideoAnalysis): string {
  return [analysis.transcript, analysis.summary, analysis.topics.join(', '), analysis.onScreenText]
    .filter((part) => part.trim() !== '')
    .join('\n.\n');
}

/** What each call does, for the cancellation message. */
const DOING: Record<KeywordOperation, string> = {
  'analyzer.analyze': 'The keyword analysis',
  'analyzer.analyzeAndCategorize': 'The keyword analysis and categorization',
  'categorizer.categorize': 'The keyword categorization',
};

type KeywordOperation =
  | 'analyzer.analyze'
  | 'analyzer.analyzeAndCategorize'
  | 'categorizer.categorize';

function cancelled(
  operation: KeywordOperation,
  options: CallOptions | undefined,
): ResultAsync<never, VBucketsError> | undefined {
  const signal = options?.signal;
  if (!signal?.aborted) return undefined;
  return errAsync(
    cancelledError(`${DOING[operation]} was cancelled before it started`, {
      cause: signal.reason,
      adapter: KEYWORD_PROVIDER,
      operation,
    }),
  );
}

/** The provider of invalid options: every call answers the VALIDATION error, nothing runs. */
function refusingProvider(refusal: VBucketsError): KeywordProvider {
  const refuse = (operation: KeywordOperation) =>
    errAsync(withErrorSource(refusal, { adapter: KEYWORD_PROVIDER, operation }));
  return {
    analyzer: {
      specificationVersion: 'v1',
      provider: KEYWORD_PROVIDER,
      analyze: () => refuse('analyzer.analyze'),
      analyzeAndCategorize: () => refuse('analyzer.analyzeAndCategorize'),
    },
    categorizer: {
      specificationVersion: 'v1',
      provider: KEYWORD_PROVIDER,
      categorize: () => refuse('categorizer.categorize'),
    },
  };
}

/**
 * The embedded offline provider: a deterministic lexical (BM25) categorizer for use without an
 * AI key. Its analyzer reads what is known of a video (`knownText`: sidecar transcripts and
 * captions, container tags) and its file name, never the bytes: the transcript is the known
 * text, summary and hook its first sentence (or the file name's words), topics its most
 * mentioned words. Its categorizer ranks buckets against the analysis (transcript, summary,
 * topics, on-screen text) as `rankBucketsByKeywords` does; `analyzeAndCategorize` gives the
 * same answer in one step. All calls are synchronous underneath and honour an aborted signal
 * with CANCELLED. It throws nothing: with invalid options every call answers their VALIDATION
 * error (`isSettingsError`).
 */
export function createKeywordProvider(options: KeywordOptions = {}): KeywordProvider {
  const parsed = parseKeywordOptions(options);
  if (parsed.isErr()) return refusingProvider(settingsError(parsed.error));
  const settings = parsed.value;

  const categorize = (analysis: VideoAnalysis, buckets: readonly Bucket[]): CategorizerAnswer =>
    answerWithSettings(analysisText(analysis), buckets, settings);

  const categorizer: BucketCategorizer = {
    specificationVersion: 'v1',
    provider: KEYWORD_PROVIDER,
    categorize(analysis, buckets, callOptions) {
      return (
        cancelled('categorizer.categorize', callOptions) ?? okAsync(categorize(analysis, buckets))
      );
    },
  };

  const analyzer: KeywordProvider['analyzer'] = {
    specificationVersion: 'v1',
    provider: KEYWORD_PROVIDER,
    analyze(video, callOptions) {
      return cancelled('analyzer.analyze', callOptions) ?? okAsync(analysisOf(video, settings));
    },
    analyzeAndCategorize(video, buckets, callOptions) {
      const stopped = cancelled('analyzer.analyzeAndCategorize', callOptions);
      if (stopped !== undefined) return stopped;
      const analysis = analysisOf(video, settings);
      return okAsync({ analysis, answer: categorize(analysis, buckets) });
    },
  };

  return { analyzer, categorizer };
}
