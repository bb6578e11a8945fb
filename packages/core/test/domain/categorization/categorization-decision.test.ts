import { describe, expect, it } from 'vitest';
import {
  clampConfidence,
  decideCategorization,
} from '../../../src/domain/categorization/categorization-decision';
import type { Bucket } from '../../../src/schemas/bucket';

const bucket = (id: string, name: string): Bucket => ({
  id,
  orgId: 'org-1',
  productId: 'product-1',
  name,
  bestFor: '',
  angle: '',
  avatar: '',
  painPoints: [],
  solutionMechanism: [],
  keyCopyHooks: [],
  displayOrder: 0,
  createdAt: '2026-02-18T10:00:00.000Z',
  updatedAt: '2026-02-18T10:00:00.000Z',
});

const BUCKETS = [bucket('bucket-gut', 'Gut Health'), bucket('bucket-energy', 'Energy & Focus')];

describe('decideCategorization', () => {
  it('files a confident answer into the named bucket', () => {
    const decision = decideCategorization(
      { bucketName: 'Gut Health', confidence: 0.82, reasoning: 'talks about digestion' },
      BUCKETS,
    );
    expect(decision._unsafeUnwrap()).toEqual({
      status: 'categorized',
      bucketId: 'bucket-gut',
      bucketName: 'Gut Health',
      confidence: 0.82,
      reasoning: 'talks about digestion',
    });
  });

  it('matches names ignoring case and white space, keeping the bucket spelling', () => {
    const decision = decideCategorization(
      { bucketName: '  gut   HEALTH ', confidence: 0.6, reasoning: '' },
      BUCKETS,
    )._unsafeUnwrap();
    expect(decision).toMatchObject({
      status: 'categorized',
      bucketId: 'bucket-gut',
      bucketName: 'Gut Health',
    });
  });

  it('never makes up a bucket for an unknown name, and says so in the reasoning', () => {
    const decision = decideCategorization(
      { bucketName: 'Weight Loss', confidence: 0.95, reasoning: 'mentions calories' },
      BUCKETS,
    )._unsafeUnwrap();
    expect(decision).toEqual({
      status: 'analyzed',
      bucketId: null,
      bucketName: null,
      confidence: 0.95,
      reasoning:
        'mentions calories (Not categorized: the model chose "Weight Loss", which is not one of this product\'s buckets.)',
    });
  });

  it('uses the note alone when the model gave no reasoning', () => {
    const decision = decideCategorization(
      { bucketName: 'Sleep', confidence: 0.9, reasoning: '  ' },
      BUCKETS,
    );
    expect(decision._unsafeUnwrap().reasoning).toBe(
      '(Not categorized: the model chose "Sleep", which is not one of this product\'s buckets.)',
    );
  });

  it('leaves a no-fit answer uncategorized with its reasoning unchanged', () => {
    const decision = decideCategorization(
      { bucketName: null, confidence: 0.7, reasoning: 'a cooking video' },
      BUCKETS,
    )._unsafeUnwrap();
    expect(decision).toEqual({
      status: 'analyzed',
      bucketId: null,
      bucketName: null,
      confidence: 0.7,
      reasoning: 'a cooking video',
    });
  });

  it('treats a blank bucket name as no fit', () => {
    const decision = decideCategorization(
      { bucketName: '   ', confidence: 0.7, reasoning: '' },
      BUCKETS,
    );
    expect(decision._unsafeUnwrap()).toMatchObject({ status: 'analyzed', reasoning: '' });
  });

  it('is categorized exactly at the floor', () => {
    const decision = decideCategorization(
      { bucketName: 'Energy & Focus', confidence: 0.3, reasoning: 'ok' },
      BUCKETS,
    );
    expect(decision._unsafeUnwrap()).toMatchObject({
      status: 'categorized',
      bucketId: 'bucket-energy',
      confidence: 0.3,
    });
  });

  it('stays uncategorized just below the floor, noting the bucket it nearly got', () => {
    const decision = decideCategorization(
      { bucketName: 'Energy & Focus', confidence: 0.29, reasoning: 'weak signal' },
      BUCKETS,
    )._unsafeUnwrap();
    expect(decision).toEqual({
      status: 'analyzed',
      bucketId: null,
      bucketName: null,
      confidence: 0.29,
      reasoning:
        'weak signal (Not categorized: confidence 0.29 for "Energy & Focus" is below the floor of 0.3.)',
    });
  });

  it('honours a custom floor', () => {
    const answer = { bucketName: 'Gut Health', confidence: 0.5, reasoning: '' };
    expect(
      decideCategorization(answer, BUCKETS, { confidenceFloor: 0.6 })._unsafeUnwrap().status,
    ).toBe('analyzed');
    expect(
      decideCategorization(answer, BUCKETS, { confidenceFloor: 0 })._unsafeUnwrap().status,
    ).toBe('categorized');
  });

  it('clamps confidence above 1 down to 1', () => {
    const decision = decideCategorization(
      { bucketName: 'Gut Health', confidence: 3, reasoning: '' },
      BUCKETS,
    );
    expect(decision._unsafeUnwrap()).toMatchObject({ status: 'categorized', confidence: 1 });
  });

  it('clamps a negative confidence to 0, which is below the floor', () => {
    const decision = decideCategorization(
      { bucketName: 'Gut Health', confidence: -0.5, reasoning: '' },
      BUCKETS,
    );
    expect(decision._unsafeUnwrap()).toMatchObject({ status: 'analyzed', confidence: 0 });
  });

  it('reads a NaN confidence as 0', () => {
    const decision = decideCategorization(
      { bucketName: 'Gut Health', confidence: Number.NaN, reasoning: '' },
      BUCKETS,
    );
    expect(decision._unsafeUnwrap()).toMatchObject({ status: 'analyzed', confidence: 0 });
  });

  it('is uncategorized when the product has no buckets', () => {
    const decision = decideCategorization(
      { bucketName: 'Gut Health', confidence: 0.9, reasoning: '' },
      [],
    );
    expect(decision._unsafeUnwrap().status).toBe('analyzed');
  });

  it.each([-0.1, 1.5, Number.NaN])(
    'rejects the floor %d as VALIDATION naming the field',
    (confidenceFloor) => {
      const error = decideCategorization(
        { bucketName: null, confidence: 0, reasoning: '' },
        BUCKETS,
        {
          confidenceFloor,
        },
      )._unsafeUnwrapErr();
      expect(error.code).toBe('VALIDATION');
      expect(error.path).toBe('confidenceFloor');
      expect(error.message).toMatch(/^Invalid categorization options\.confidenceFloor: /);
    },
  );
});

describe('clampConfidence', () => {
  it.each([
    [0.5, 0.5],
    [-1, 0],
    [2, 1],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 1],
    [Number.NEGATIVE_INFINITY, 0],
  ])('clamps %d to %d', (value, expected) => {
    expect(clampConfidence(value)).toBe(expected);
  });
});
