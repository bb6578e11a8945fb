import { describe, expect, it } from 'vitest';
import { decideCategorization } from '../../../src/domain/categorization/categorization-decision';
import { parseKeywordOptions } from '../../../src/domain/keyword/keyword-options';
import { categorizeByKeywords } from '../../../src/domain/keyword/keyword-ranker';
import { DEVELOPMENT_PRODUCTS, loadDevelopmentSet, measureQuality } from './__fixtures__/dev-set';
import { SERUM_BUCKETS } from './__fixtures__/serum-buckets';
import { SUPPLEMENT_BUCKETS } from './__fixtures__/supplement-buckets';

const clips = loadDevelopmentSet();
const answerFor = (text: string, buckets = SUPPLEMENT_BUCKETS, noBucketBelow?: number) =>
  categorizeByKeywords(
    text,
    buckets,
    noBucketBelow === undefined ? {} : { noBucketBelow },
  )._unsafeUnwrap();

describe('the development set', () => {
  it('is the size and mix the issue asks for', () => {
    expect(clips.length).toBeGreaterThanOrEqual(80);
    expect(clips.filter((clip) => clip.bucket === null).length).toBeGreaterThanOrEqual(20);
    expect(clips.filter((clip) => clip.kind === 'hard').length).toBeGreaterThan(0);
    expect(new Set(clips.map((clip) => clip.product)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(clips.map((clip) => clip.file.split('.').at(-1)))).toEqual(
      new Set(['txt', 'srt', 'vtt']),
    );
    for (const clip of clips) {
      expect(clip.text.trim(), clip.file).not.toBe('');
      if (clip.bucket !== null) {
        const names = DEVELOPMENT_PRODUCTS[clip.product].map((bucket) => bucket.name);
        expect(names, clip.file).toContain(clip.bucket);
      }
    }
  });
});

// Bug (issue 10, point 1): off-topic clips sharing everyday words were filed into buckets.
describe('keyword categorizer quality on the development set', () => {
  const quality = measureQuality(
    clips,
    clips.map((clip) => answerFor(clip.text, DEVELOPMENT_PRODUCTS[clip.product])),
  );

  it('files at least 95% of on-topic clips into their labelled bucket', () => {
    expect(quality.onTopicAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('answers no bucket for at least 85% of off-topic clips', () => {
    expect(quality.offTopicRejection).toBeGreaterThanOrEqual(0.85);
  });

  it('has a calibrated confidence: expected calibration error at most 0.10', () => {
    expect(quality.expectedCalibrationError).toBeLessThanOrEqual(0.1);
    expect(quality.filedExpectedCalibrationError).toBeLessThanOrEqual(0.1);
  });

  it('filed every off-topic clip before open-set rejection (noBucketBelow 0), so the set tests it', () => {
    const filedAnyway = measureQuality(
      clips,
      clips.map((clip) => answerFor(clip.text, DEVELOPMENT_PRODUCTS[clip.product], 0)),
    );
    expect(filedAnyway.offTopicRejection).toBeLessThan(0.1);
  });
});

describe('open-set rejection', () => {
  it('answers bucket null, status analyzed, for an off-topic video full of tempting words', () => {
    const text = `Morning routine with my rescue dog. Coffee first, then a long walk before work,
      and he naps all afternoon on the couch. Tonight I am making his favorite snack, pumpkin
      and oat cookies. He falls asleep before the kids do, every single night.`;
    const answer = answerFor(text);
    expect(answer.bucketName).toBeNull();
    expect(answer.confidence).toBe(0);
    expect(answer.reasoning).toContain('No bucket fits');
    const decision = decideCategorization(answer, SUPPLEMENT_BUCKETS)._unsafeUnwrap();
    expect(decision.status).toBe('analyzed');
    expect(decision.bucketId ?? null).toBeNull();
  });

  it('files an on-topic ad into its bucket with a high confidence', () => {
    const text = `My skin stings with every product, red and flaky around my nose. This serum is
      fragrance free with ceramides and squalane, and my barrier finally feels repaired.`;
    const answer = answerFor(text, SERUM_BUCKETS);
    expect(answer.bucketName).toBe('Dry & Sensitive Skin');
    expect(answer.confidence).toBeGreaterThan(0.9);
  });

  it('files the best bucket whatever the fit when noBucketBelow is 0', () => {
    expect(answerFor('my morning coffee routine', SUPPLEMENT_BUCKETS, 0).bucketName).not.toBeNull();
  });

  it('refuses a noBucketBelow outside 0..1', () => {
    const result = parseKeywordOptions({ noBucketBelow: 1.5 });
    expect(result.isErr()).toBe(true);
    expect(result._unsafeUnwrapErr().message).toContain('noBucketBelow');
  });
});
