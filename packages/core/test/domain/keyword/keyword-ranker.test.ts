import { describe, expect, it } from 'vitest';
import { decideCategorization } from '../../../src/domain/categorization/categorization-decision';
import { fitProbability, openSetFeatures } from '../../../src/domain/keyword/keyword-open-set';
import type { KeywordOptions } from '../../../src/domain/keyword/keyword-options';
import {
  categorizeByKeywords,
  rankBucketsByKeywords,
} from '../../../src/domain/keyword/keyword-ranker';
import { tokenizeKeywords } from '../../../src/domain/keyword/keyword-tokenizer';
import type { Bucket } from '../../../src/schemas/bucket';
import {
  ENERGY_FOCUS,
  GUT_HEALTH,
  IMMUNITY,
  SLEEP,
  SUPPLEMENT_BUCKETS,
  supplementBucket,
  TRANSCRIPTS,
} from './__fixtures__/supplement-buckets';

/** Tie-order and field tests file one-word texts, which open-set rejection would refuse. */
const ALWAYS_FILE: KeywordOptions = { noBucketBelow: 0 };

const answer = (
  text: string,
  buckets: readonly Bucket[] = SUPPLEMENT_BUCKETS,
  options?: KeywordOptions,
) => categorizeByKeywords(text, buckets, options)._unsafeUnwrap();

const rank = (
  text: string,
  buckets: readonly Bucket[] = SUPPLEMENT_BUCKETS,
  options?: KeywordOptions,
) => rankBucketsByKeywords(text, buckets, options)._unsafeUnwrap();

const plainBucket = (
  id: string,
  name: string,
  fields: Partial<Omit<Bucket, 'id' | 'name'>> = {},
): Bucket =>
  supplementBucket(id, {
    name,
    bestFor: '',
    angle: '',
    avatar: '',
    painPoints: [],
    solutionMechanism: [],
    keyCopyHooks: [],
    displayOrder: 0,
    ...fields,
  });

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

describe('categorizeByKeywords on supplement ad transcripts', () => {
  it.each([
    ['gut', TRANSCRIPTS.gut, GUT_HEALTH.name, ['bloated', 'digestion']],
    ['energy', TRANSCRIPTS.energy, ENERGY_FOCUS.name, ['focus', 'crash', 'brain fog']],
    ['sleep', TRANSCRIPTS.sleep, SLEEP.name, ['falling asleep', 'wake up groggy']],
    ['immunity', TRANSCRIPTS.immunity, IMMUNITY.name, ['sick', 'flu season']],
  ])(
    'files the %s ad into its bucket, confidently, naming the words that matched',
    (_, text, bucketName, words) => {
      const result = answer(text);
      expect(result.bucketName).toBe(bucketName);
      expect(result.confidence).toBeGreaterThan(0.6);
      expect(result.confidence).toBeLessThanOrEqual(1);
      expect(result.reasoning).toMatch(
        new RegExp(`^Matched .* of "${bucketName}" \\(keyword score`),
      );
      for (const word of words) expect(result.reasoning).toContain(`"${word}"`);
    },
  );

  it('ranks the right bucket first by a wide margin', () => {
    const [best, next] = rank(TRANSCRIPTS.sleep);
    expect(best?.bucket.id).toBe(SLEEP.id);
    expect(best?.score).toBeGreaterThan(5 * (next?.score ?? 0));
  });

  it('passes core decision rules: a clear match is categorized', () => {
    const decision = decideCategorization(
      answer(TRANSCRIPTS.gut),
      SUPPLEMENT_BUCKETS,
    )._unsafeUnwrap();
    expect(decision).toMatchObject({ status: 'categorized', bucketId: GUT_HEALTH.id });
  });

  it('gives bucket null, confidence 0 and says so when no known text matches', () => {
    expect(answer(TRANSCRIPTS.offTopic)).toEqual({
      bucketName: null,
      confidence: 0,
      reasoning: 'No known text matched any bucket: no word of the video appears in any bucket.',
    });
    expect(rank(TRANSCRIPTS.offTopic).every((score) => score.score === 0)).toBe(true);
  });

  it('gives bucket null and confidence 0 when nothing is known about the video', () => {
    const result = answer('  the and um, 1234  ');
    expect(result).toMatchObject({ bucketName: null, confidence: 0 });
    expect(result.reasoning).toMatch(/^No known text matched any bucket: there is no transcript/);
  });

  it('gives bucket null when there are no buckets', () => {
    expect(answer(TRANSCRIPTS.gut, [])).toEqual({
      bucketName: null,
      confidence: 0,
      reasoning: 'No buckets to choose from.',
    });
  });
});

describe('determinism', () => {
  it('answers the same input the same way every time', () => {
    expect(answer(TRANSCRIPTS.energy)).toEqual(answer(TRANSCRIPTS.energy));
  });

  it('ranks and answers independently of the order the buckets come in', () => {
    const text = `${TRANSCRIPTS.gut} Also my energy crashes in the afternoon.`;
    const expectedRanking = rank(text).map((score) => [score.bucket.id, score.score]);
    const expectedAnswer = answer(text);
    for (const order of permutations(SUPPLEMENT_BUCKETS)) {
      expect(rank(text, order).map((score) => [score.bucket.id, score.score])).toEqual(
        expectedRanking,
      );
      expect(answer(text, order)).toEqual(expectedAnswer);
    }
  });

  it('breaks a tie by display order, whatever the input order', () => {
    const first = plainBucket('b-1', 'Beta', { painPoints: ['bloating'], displayOrder: 1 });
    const second = plainBucket('b-2', 'Alpha', { painPoints: ['bloating'], displayOrder: 2 });
    for (const order of [
      [first, second],
      [second, first],
    ]) {
      expect(rank('so much bloating', order).map((score) => score.bucket.name)).toEqual([
        'Beta',
        'Alpha',
      ]);
      expect(answer('so much bloating', order, ALWAYS_FILE).bucketName).toBe('Beta');
    }
  });

  it('breaks a tie of equal display order by name', () => {
    const beta = plainBucket('b-1', 'Beta', { painPoints: ['bloating'] });
    const alpha = plainBucket('b-2', 'Alpha', { painPoints: ['bloating'] });
    expect(answer('bloating', [beta, alpha], ALWAYS_FILE).bucketName).toBe('Alpha');
    expect(answer('bloating', [alpha, beta], ALWAYS_FILE).bucketName).toBe('Alpha');
  });
});

describe('confidence', () => {
  it('is the documented logistic of the open-set features, rounded to 3 digits', () => {
    const text = `${TRANSCRIPTS.gut} Also my energy crashes in the afternoon.`;
    const [best, next] = rank(text);
    if (best === undefined) throw new Error('no ranking');
    const distinctiveIdf = Math.log(1 + (SUPPLEMENT_BUCKETS.length - 0.5) / 1.5);
    const wordCount = tokenizeKeywords(text, { bigrams: false }).length;
    const features = openSetFeatures(best, next?.score ?? 0, wordCount, distinctiveIdf, 3);
    expect(features.margin).toBeLessThan(0.95);
    const expected = Math.round(fitProbability(features) * 1000) / 1000;
    expect(expected).toBeGreaterThan(0.5);
    expect(answer(text).confidence).toBe(expected);
  });

  it('is lower for an exact tie between two buckets than for one bucket alone', () => {
    const text = 'bloating and constipation';
    const alone = answer(text, [
      plainBucket('b-1', 'Beta', { painPoints: ['bloating', 'constipation'] }),
    ]);
    const buckets = [
      plainBucket('b-1', 'Beta', { painPoints: ['bloating', 'constipation'] }),
      plainBucket('b-2', 'Alpha', { painPoints: ['bloating', 'constipation'] }),
    ];
    const tied = answer(text, buckets, { noBucketBelow: 0 });
    expect(tied.bucketName).toBe('Alpha');
    expect(tied.reasoning).toContain('next best "Beta"');
    expect(tied.confidence).toBeLessThan(alone.confidence);
  });

  it('grows with each further distinctive word matched, staying within 0..1', () => {
    const texts = [
      'bloating and constipation',
      'bloating, constipation and gas',
      'bloating, constipation, gas, probiotics, digestion and my stomach',
    ];
    const confidences = texts.map((text) => answer(text).confidence);
    for (const [index, confidence] of confidences.entries()) {
      expect(confidence).toBeGreaterThan(index === 0 ? 0 : (confidences[index - 1] ?? 1));
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });

  // Bug (issue 10, point 1): one everyday word every bucket shares filed the video anyway.
  it('answers no bucket for one everyday word that every bucket shares', () => {
    const buckets = [
      plainBucket('b-1', 'Gut', { bestFor: 'daily routine' }),
      plainBucket('b-2', 'Sleep', { bestFor: 'night routine' }),
      plainBucket('b-3', 'Energy', { bestFor: 'morning routine' }),
    ];
    const result = answer('my routine', buckets);
    expect(result.bucketName).toBeNull();
    expect(result.confidence).toBe(0);
    expect(result.reasoning).toContain('No bucket fits');
    expect(decideCategorization(result, buckets)._unsafeUnwrap().status).toBe('analyzed');
  });

  it('is scaled by confidenceScale', () => {
    const options = { noBucketBelow: 0 };
    const strict = answer(TRANSCRIPTS.gut, SUPPLEMENT_BUCKETS, {
      ...options,
      confidenceScale: 100,
    });
    expect(strict.bucketName).toBe(GUT_HEALTH.name);
    expect(strict.confidence).toBeLessThan(
      answer(TRANSCRIPTS.gut, SUPPLEMENT_BUCKETS, options).confidence,
    );
  });
});

describe('BM25 scoring', () => {
  it('weights the name above other fields', () => {
    const inName = plainBucket('b-1', 'Bloating', { displayOrder: 1 });
    const inAngle = plainBucket('b-2', 'Other', { angle: 'bloating' });
    expect(rank('bloating', [inAngle, inName]).map((score) => score.bucket.id)).toEqual([
      'b-1',
      'b-2',
    ]);
  });

  it('weights pain points above the avatar', () => {
    const inPain = plainBucket('b-1', 'One', { painPoints: ['bloating'], displayOrder: 1 });
    const inAvatar = plainBucket('b-2', 'Two', { avatar: 'bloating' });
    expect(rank('bloating', [inAvatar, inPain])[0]?.bucket.id).toBe('b-1');
  });

  it('ignores a field whose weight is 0', () => {
    const buckets = [plainBucket('b-1', 'One', { painPoints: ['bloating'] })];
    expect(
      answer('bloating', buckets, { ...ALWAYS_FILE, fieldWeights: { painPoints: 0 } }).bucketName,
    ).toBeNull();
    expect(answer('bloating', buckets, ALWAYS_FILE).bucketName).toBe('One');
  });

  it('counts a word found in every bucket for less than a word found in one', () => {
    const buckets = [
      plainBucket('b-1', 'One', { painPoints: ['bloating', 'fatigue'] }),
      plainBucket('b-2', 'Two', { painPoints: ['fatigue', 'insomnia'] }),
    ];
    const [best] = rank('bloating fatigue', buckets, { bigrams: false });
    const contribution = (term: string) =>
      best?.matches.find((match) => match.term === term)?.contribution ?? 0;
    expect(best?.bucket.id).toBe('b-1');
    expect(contribution('bloat')).toBeGreaterThan(2 * contribution('fatigu'));
  });

  it('adds evidence for a repeated word, with diminishing returns', () => {
    const buckets = [
      plainBucket('b-1', 'One', { painPoints: ['bloating'] }),
      plainBucket('b-2', 'Two'),
    ];
    const once = rank('bloating', buckets)[0]?.score ?? 0;
    const thrice = rank('bloating bloating bloating', buckets)[0]?.score ?? 0;
    expect(thrice).toBeGreaterThan(once);
    expect(thrice).toBeLessThan(2 * once);
  });

  it('scores a phrase above the same words apart, unless bigrams are off', () => {
    const buckets = [
      plainBucket('b-1', 'One', { painPoints: ['brain fog'] }),
      plainBucket('b-2', 'Two'),
    ];
    const together = rank('brain fog', buckets)[0]?.score ?? 0;
    const apart = rank('fog. brain', buckets)[0]?.score ?? 0;
    expect(together).toBeGreaterThan(apart);
    expect(rank('brain fog', buckets, { bigrams: false })[0]?.score).toBeCloseTo(apart, 10);
  });

  it('normalises for length: the same match counts more in a shorter bucket', () => {
    const short = plainBucket('b-1', 'Short', { painPoints: ['bloating'], displayOrder: 1 });
    const long = plainBucket('b-2', 'Long', {
      painPoints: ['bloating', 'heartburn after dinner', 'acid reflux at night', 'cramps'],
    });
    expect(rank('bloating', [long, short])[0]?.bucket.id).toBe('b-1');
    const noNormalisation = rank('bloating', [long, short], { b: 0 });
    expect(noNormalisation[0]?.score).toBeCloseTo(noNormalisation[1]?.score ?? 0, 10);
  });

  it('reports each match with the words as the video said them and the fields that hold them', () => {
    const [best] = rank('I feel so bloated', SUPPLEMENT_BUCKETS, { bigrams: false });
    expect(best?.bucket.id).toBe(GUT_HEALTH.id);
    expect(best?.matches.find((match) => match.term === 'bloat')).toMatchObject({
      surface: 'bloated',
      bigram: false,
      fields: ['painPoints', 'bestFor', 'avatar'],
    });
  });
});

describe('reasoning', () => {
  it('names the matched words and fields, a phrase standing for its words', () => {
    const text = 'Every afternoon the brain fog hits';
    const [best, next] = rank(text);
    // Equal contributions are listed alphabetically; "brain" alone also matched Gut Health's hook.
    expect(answer(text).reasoning).toBe(
      `Matched "afternoon", "brain fog" in the pain points of "Energy & Focus" (keyword score ${best?.score.toFixed(2)}; next best "Gut Health" at ${next?.score.toFixed(2)}).`,
    );
  });

  it('says when no other bucket matched', () => {
    expect(answer('afternoon crash').reasoning).toMatch(/; no other bucket matched\)\.$/);
  });

  it('shows a phrase as the video wrote it, stop words included', () => {
    expect(answer('I wake up groggy').reasoning).toMatch(
      /^Matched "wake up groggy" in the pain points and avatar of "Sleep"/,
    );
  });

  it('lists at most six words and counts the rest', () => {
    expect(answer(TRANSCRIPTS.energy).reasoning).toMatch(
      /^Matched ("[^"]+", ){5}"[^"]+" and \d+ more in /,
    );
  });
});

describe('options', () => {
  it.each([
    [{ k1: -1 }, 'k1'],
    [{ b: 2 }, 'b'],
    [{ fieldWeights: { name: -1 } }, 'fieldWeights.name'],
    [{ confidenceScale: 0 }, 'confidenceScale'],
    [{ maxTopics: 1.5 }, 'maxTopics'],
    [{ colour: 'red' } as KeywordOptions, ''],
  ])('rejects %j as VALIDATION naming %s', (options, path) => {
    const error = categorizeByKeywords('bloating', SUPPLEMENT_BUCKETS, options)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toMatch(/^Invalid keyword options/);
    expect(error).toMatchObject({ adapter: 'keyword', operation: 'categorizeByKeywords' });
    expect(rankBucketsByKeywords('bloating', SUPPLEMENT_BUCKETS, options).isErr()).toBe(true);
  });
});
