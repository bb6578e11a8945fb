import { errAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import {
  createKeywordProvider,
  KEYWORD_PROVIDER,
} from '../../../src/domain/keyword/keyword-provider';
import { categorizeByKeywords } from '../../../src/domain/keyword/keyword-ranker';
import { cancelledError, isSettingsError } from '../../../src/errors';
import type { AnalyzerVideo, VideoAnalysis } from '../../../src/ports/video-analyzer';
import {
  ENERGY_FOCUS,
  GUT_HEALTH,
  SLEEP,
  SUPPLEMENT_BUCKETS,
  TRANSCRIPTS,
} from './__fixtures__/supplement-buckets';

function video(filename: string, knownText?: string): AnalyzerVideo & { opened: number } {
  const result = {
    filename,
    mimeType: 'video/mp4',
    sizeBytes: 1_000,
    knownText,
    opened: 0,
    open() {
      result.opened += 1;
      return errAsync(cancelledError('the keyword provider must not read bytes'));
    },
  };
  return result;
}

const abortedSignal = () => {
  const controller = new AbortController();
  controller.abort(new Error('user stopped the batch'));
  return controller.signal;
};

describe('createKeywordProvider', () => {
  it('names itself keyword, port version v1', () => {
    const { analyzer, categorizer } = createKeywordProvider();
    expect(KEYWORD_PROVIDER).toBe('keyword');
    expect([analyzer.provider, categorizer.provider]).toEqual(['keyword', 'keyword']);
    expect([analyzer.specificationVersion, categorizer.specificationVersion]).toEqual(['v1', 'v1']);
  });

  it('throws nothing for invalid options: every call answers VALIDATION naming the field', async () => {
    const { analyzer, categorizer } = createKeywordProvider({ b: 5 });
    const analysed = (await analyzer.analyze(video('x.mp4', 'gut')))._unsafeUnwrapErr();
    expect(analysed).toMatchObject({
      code: 'VALIDATION',
      path: 'b',
      adapter: 'keyword',
      operation: 'analyzer.analyze',
    });
    expect(analysed.message).toMatch(/^Invalid keyword options\.b: /);
    expect(isSettingsError(analysed)).toBe(true);
    const both = await analyzer.analyzeAndCategorize(video('x.mp4', 'gut'), SUPPLEMENT_BUCKETS);
    expect(both._unsafeUnwrapErr()).toMatchObject({
      path: 'b',
      operation: 'analyzer.analyzeAndCategorize',
    });
    const analysis: VideoAnalysis = {
      summary: 'gut',
      transcript: 'gut',
      hook: '',
      topics: [],
      onScreenText: '',
      raw: {},
    };
    const categorized = await categorizer.categorize(analysis, SUPPLEMENT_BUCKETS);
    expect(categorized._unsafeUnwrapErr()).toMatchObject({
      path: 'b',
      operation: 'categorizer.categorize',
    });
  });
});

describe('keyword analyzer', () => {
  it('builds the analysis from the known text and file name without reading the bytes', async () => {
    const { analyzer } = createKeywordProvider();
    const input = video(
      'clips/bloating-story_IMG_1234.mp4',
      'I was bloated after every meal! Bloating, bloating, bloating. Then my digestion got better.',
    );
    const analysis = (await analyzer.analyze(input))._unsafeUnwrap();
    expect(input.opened).toBe(0);
    expect(analysis).toEqual({
      summary: 'I was bloated after every meal!',
      transcript: input.knownText,
      hook: 'I was bloated after every meal!',
      topics: ['bloating', 'story', 'meal', 'digestion', 'better'],
      onScreenText: '',
      raw: {
        source: 'keyword',
        filenameWords: 'bloating story',
        terms: [
          { term: 'bloating', count: 6 },
          { term: 'story', count: 2 },
          { term: 'meal', count: 1 },
          { term: 'digestion', count: 1 },
          { term: 'better', count: 1 },
        ],
      },
    });
  });

  it('cuts a long first sentence at a word near 200 characters', async () => {
    const { analyzer } = createKeywordProvider();
    const words = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');
    const analysis = (await analyzer.analyze(video('a.mp4', words)))._unsafeUnwrap();
    expect(analysis.summary.length).toBeLessThanOrEqual(201);
    expect(analysis.summary.endsWith('…')).toBe(true);
    expect(words.startsWith(analysis.summary.slice(0, -1))).toBe(true);
    expect(analysis.hook).toBe(analysis.summary);
    expect(analysis.transcript).toBe(words);
  });

  it('uses the file name words as summary when no text is known', async () => {
    const { analyzer } = createKeywordProvider();
    const analysis = (await analyzer.analyze(video('deep_sleep-routine.mov')))._unsafeUnwrap();
    expect(analysis).toMatchObject({
      summary: 'deep sleep routine',
      transcript: '',
      hook: '',
      topics: ['deep', 'sleep', 'routine'],
    });
  });

  it('lists at most maxTopics topics', async () => {
    const { analyzer } = createKeywordProvider({ maxTopics: 2 });
    const analysis = (await analyzer.analyze(video('x.mp4', TRANSCRIPTS.energy)))._unsafeUnwrap();
    expect(analysis.topics).toHaveLength(2);
  });

  it('answers CANCELLED for an aborted signal', async () => {
    const { analyzer } = createKeywordProvider();
    const error = (
      await analyzer.analyze(video('x.mp4', TRANSCRIPTS.gut), { signal: abortedSignal() })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe('The keyword analysis was cancelled before it started');
    expect(error).toMatchObject({ adapter: 'keyword', operation: 'analyzer.analyze' });
    expect(error.cause).toEqual(new Error('user stopped the batch'));
  });
});

describe('keyword categorizer', () => {
  it('files each analysed ad into its bucket', async () => {
    const { analyzer, categorizer } = createKeywordProvider();
    const cases = [
      [TRANSCRIPTS.gut, GUT_HEALTH.name],
      [TRANSCRIPTS.energy, ENERGY_FOCUS.name],
      [TRANSCRIPTS.sleep, SLEEP.name],
    ] as const;
    for (const [text, bucketName] of cases) {
      const analysis = (await analyzer.analyze(video('ad.mp4', text)))._unsafeUnwrap();
      const answer = (await categorizer.categorize(analysis, SUPPLEMENT_BUCKETS))._unsafeUnwrap();
      expect(answer.bucketName).toBe(bucketName);
      expect(answer.confidence).toBeGreaterThan(0.6);
    }
  });

  it('files by the file name alone when that is all that is known', async () => {
    const { analyzer, categorizer } = createKeywordProvider();
    const analysis = (await analyzer.analyze(video('brainFog_afternoonCrash.mp4')))._unsafeUnwrap();
    const answer = (await categorizer.categorize(analysis, SUPPLEMENT_BUCKETS))._unsafeUnwrap();
    expect(answer.bucketName).toBe(ENERGY_FOCUS.name);
    expect(answer.confidence).toBeGreaterThan(0.3);
  });

  it("reads any analyzer's analysis: transcript, summary, topics and on-screen text", async () => {
    const { categorizer } = createKeywordProvider();
    const fromElsewhere: VideoAnalysis = {
      summary: '',
      transcript: '',
      hook: '',
      topics: [],
      onScreenText: 'NO MORE RACING THOUGHTS AT BEDTIME, MAGNESIUM GLYCINATE',
      raw: {},
    };
    const answer = (
      await categorizer.categorize(fromElsewhere, SUPPLEMENT_BUCKETS)
    )._unsafeUnwrap();
    expect(answer.bucketName).toBe(SLEEP.name);
    const topicsOnly = { ...fromElsewhere, onScreenText: '', topics: ['digestion', 'bloating'] };
    expect(
      (await categorizer.categorize(topicsOnly, SUPPLEMENT_BUCKETS))._unsafeUnwrap().bucketName,
    ).toBe(GUT_HEALTH.name);
  });

  it('gives bucket null and confidence 0 for an analysis with nothing to match', async () => {
    const { analyzer, categorizer } = createKeywordProvider();
    const analysis = (await analyzer.analyze(video('IMG_1234.mp4')))._unsafeUnwrap();
    const answer = (await categorizer.categorize(analysis, SUPPLEMENT_BUCKETS))._unsafeUnwrap();
    expect(answer).toMatchObject({ bucketName: null, confidence: 0 });
    expect(answer.reasoning).toMatch(/^No known text matched any bucket/);
  });

  it('honours its options', async () => {
    const analysis: VideoAnalysis = {
      summary: '',
      transcript: 'bloating',
      hook: '',
      topics: [],
      onScreenText: '',
      raw: {},
    };
    const withoutPainPoints = createKeywordProvider({
      fieldWeights: { painPoints: 0, bestFor: 0, avatar: 0 },
    });
    const answer = (
      await withoutPainPoints.categorizer.categorize(analysis, SUPPLEMENT_BUCKETS)
    )._unsafeUnwrap();
    expect(answer.bucketName).toBeNull();
  });

  it('answers CANCELLED for an aborted signal', async () => {
    const { categorizer } = createKeywordProvider();
    const analysis: VideoAnalysis = {
      summary: '',
      transcript: TRANSCRIPTS.gut,
      hook: '',
      topics: [],
      onScreenText: '',
      raw: {},
    };
    const error = (
      await categorizer.categorize(analysis, SUPPLEMENT_BUCKETS, { signal: abortedSignal() })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe('The keyword categorization was cancelled before it started');
    expect(error).toMatchObject({ adapter: 'keyword', operation: 'categorizer.categorize' });
  });
});

describe('keyword analyzeAndCategorize', () => {
  it('gives in one step what analyze then categorize give', async () => {
    const { analyzer, categorizer } = createKeywordProvider();
    const input = video('morning-routine.mp4', TRANSCRIPTS.immunity);
    const both = (await analyzer.analyzeAndCategorize(input, SUPPLEMENT_BUCKETS))._unsafeUnwrap();
    const analysis = (await analyzer.analyze(input))._unsafeUnwrap();
    expect(both.analysis).toEqual(analysis);
    expect(both.answer).toEqual(
      (await categorizer.categorize(analysis, SUPPLEMENT_BUCKETS))._unsafeUnwrap(),
    );
    expect(both.answer.bucketName).toBe('Immunity');
    expect(input.opened).toBe(0);
  });

  it('matches the same text as the pure categorizer does', async () => {
    const { analyzer } = createKeywordProvider();
    const { answer } = (
      await analyzer.analyzeAndCategorize(video('clip.mp4', TRANSCRIPTS.sleep), SUPPLEMENT_BUCKETS)
    )._unsafeUnwrap();
    const pure = categorizeByKeywords(TRANSCRIPTS.sleep, SUPPLEMENT_BUCKETS)._unsafeUnwrap();
    expect(answer.bucketName).toBe(pure.bucketName);
  });

  it('answers CANCELLED for an aborted signal', async () => {
    const { analyzer } = createKeywordProvider();
    const error = (
      await analyzer.analyzeAndCategorize(video('x.mp4', TRANSCRIPTS.gut), SUPPLEMENT_BUCKETS, {
        signal: abortedSignal(),
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
  });
});
