import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  categorizerAnswerFromObject,
  parseCategorizerAnswer,
  parseConfidence,
  parseModelJsonObject,
} from '../../../src/domain/categorization/model-answer';
import type { CategorizerAnswer } from '../../../src/ports/video-analyzer';

const ANSWER =
  '{"bucket_name": "Gut Health", "confidence": 0.82, "reasoning": "talks about digestion"}';
const EXPECTED = {
  bucket_name: 'Gut Health',
  confidence: 0.82,
  reasoning: 'talks about digestion',
};

describe('parseModelJsonObject', () => {
  it('reads plain JSON', () => {
    expect(parseModelJsonObject(ANSWER)._unsafeUnwrap()).toEqual(EXPECTED);
  });

  it('reads plain JSON surrounded by white space', () => {
    expect(parseModelJsonObject(`\n\n  ${ANSWER}\n  `)._unsafeUnwrap()).toEqual(EXPECTED);
  });

  it('reads a ```json fenced block', () => {
    expect(parseModelJsonObject('```json\n' + ANSWER + '\n```')._unsafeUnwrap()).toEqual(EXPECTED);
  });

  it('reads a fenced block without a language', () => {
    expect(parseModelJsonObject('```\n' + ANSWER + '\n```')._unsafeUnwrap()).toEqual(EXPECTED);
  });

  it('prefers the fenced block over braces in the prose around it', () => {
    const answer =
      'I weighed {"bucket_name": "Energy"} first.\n```json\n' + ANSWER + '\n```\nDone.';
    expect(parseModelJsonObject(answer)._unsafeUnwrap()).toEqual(EXPECTED);
  });

  it('reads JSON wrapped in prose before and after', () => {
    const answer = `Sure! Here is my answer:\n${ANSWER}\nLet me know if you need anything else.`;
    expect(parseModelJsonObject(answer)._unsafeUnwrap()).toEqual(EXPECTED);
  });

  it('skips brace-delimited prose that is not JSON', () => {
    const answer = `Using the {bucket} template, my pick is ${ANSWER}`;
    expect(parseModelJsonObject(answer)._unsafeUnwrap()).toEqual(EXPECTED);
  });

  it('keeps nested objects whole', () => {
    const answer =
      'Result: {"bucket_name": "Gut Health", "scores": {"Gut Health": 0.8, "Energy": {"raw": 0.1}}} end';
    expect(parseModelJsonObject(answer)._unsafeUnwrap()).toEqual({
      bucket_name: 'Gut Health',
      scores: { 'Gut Health': 0.8, Energy: { raw: 0.1 } },
    });
  });

  it('is not fooled by braces and escaped quotes inside strings', () => {
    const answer =
      'Answer: {"reasoning": "uses a {hook} and says \\"wow}\\" twice", "bucket_name": "Energy"} ok?';
    expect(parseModelJsonObject(answer)._unsafeUnwrap()).toEqual({
      reasoning: 'uses a {hook} and says "wow}" twice',
      bucket_name: 'Energy',
    });
  });

  it.each(['', '   \n\t '])('fails on an empty answer %j', (answer) => {
    const error = parseModelJsonObject(answer)._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('Model answer is empty: ""');
  });

  it('fails when there is no JSON object, quoting the answer', () => {
    const error = parseModelJsonObject('  I could not decide   which bucket.  ')._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Model answer contains no JSON object: "I could not decide which bucket."',
    );
  });

  it('does not take a JSON array for an object', () => {
    expect(parseModelJsonObject('["Gut Health", 0.8]')._unsafeUnwrapErr().message).toMatch(
      /^Model answer contains no JSON object/,
    );
  });

  it('fails on invalid JSON, keeping the syntax error as cause', () => {
    const error = parseModelJsonObject(
      '{"bucket_name": "Gut Health", confidence: high}',
    )._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect(error.message).toMatch(/^Model answer contains invalid JSON \(.+\): "\{"bucket_name"/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('fails on a truncated object', () => {
    const error = parseModelJsonObject(
      '{"bucket_name": "Gut Health", "reasoning": "the video',
    )._unsafeUnwrapErr();
    expect(error.message).toMatch(/^Model answer contains an unterminated JSON object: /);
  });

  it('keeps the excerpt short', () => {
    const error = parseModelJsonObject(`no json ${'x'.repeat(1_000)}`)._unsafeUnwrapErr();
    expect(error.details).toEqual({ excerpt: `no json ${'x'.repeat(192)}…` });
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('parseConfidence', () => {
  it.each<[unknown, number]>([
    [0.85, 0.85],
    [0, 0],
    [1, 1],
    [85, 0.85],
    [100, 1],
    [250, 250],
    [-0.2, -0.2],
    ['0.7', 0.7],
    [' 0.7 ', 0.7],
    ['70', 0.7],
    ['85%', 0.85],
    ['85 %', 0.85],
    ['0.5%', 0.005],
    ['high', 0],
    ['', 0],
    ['%', 0],
    [Number.NaN, 0],
    [undefined, 0],
    [null, 0],
    [true, 0],
  ])('reads %j as %d', (value, expected) => {
    expect(parseConfidence(value)).toBeCloseTo(expected, 10);
  });
});

describe('categorizerAnswerFromObject', () => {
  it('reads snake_case fields', () => {
    expect(categorizerAnswerFromObject(EXPECTED)._unsafeUnwrap()).toEqual({
      bucketName: 'Gut Health',
      confidence: 0.82,
      reasoning: 'talks about digestion',
    });
  });

  it('reads camelCase fields and a percent confidence', () => {
    expect(
      categorizerAnswerFromObject({
        bucketName: ' Energy ',
        confidence: '85%',
        reasoning: ' fast cuts ',
      })._unsafeUnwrap(),
    ).toEqual({ bucketName: 'Energy', confidence: 0.85, reasoning: 'fast cuts' });
  });

  it.each([null, '', '  ', 'none', 'None', 'uncategorized', 'Uncategorized', 'null', 'N/A'])(
    'reads bucket %j as no fit',
    (bucketName) => {
      const answer = categorizerAnswerFromObject({
        bucket_name: bucketName,
        confidence: 0.9,
      })._unsafeUnwrap();
      expect(answer.bucketName).toBeNull();
    },
  );

  it('defaults missing fields: no bucket, confidence 0, empty reasoning', () => {
    expect(categorizerAnswerFromObject({})._unsafeUnwrap()).toEqual({
      bucketName: null,
      confidence: 0,
      reasoning: '',
    });
  });

  it('reads the confidence_score and reason aliases', () => {
    expect(
      categorizerAnswerFromObject({
        bucket_name: 'Energy',
        confidence_score: 0.4,
        reason: 'upbeat',
      })._unsafeUnwrap(),
    ).toEqual({ bucketName: 'Energy', confidence: 0.4, reasoning: 'upbeat' });
  });

  it('fails with PROVIDER naming the field when the bucket is not text', () => {
    const error = categorizerAnswerFromObject({
      bucket_name: 3,
      confidence: 0.9,
    })._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect(error.path).toBe('bucket_name');
    expect(error.message).toMatch(
      /^Model answer has a number for bucket_name, expected a bucket name or null/,
    );
  });

  it('returns the port type', () => {
    expectTypeOf(
      categorizerAnswerFromObject({})._unsafeUnwrap(),
    ).toEqualTypeOf<CategorizerAnswer>();
  });
});

describe('parseCategorizerAnswer', () => {
  it('goes from a fenced, prose-wrapped model answer to a CategorizerAnswer', () => {
    const text =
      'Here you go:\n```json\n{"bucket_name": "gut health", "confidence": "90%", "reasoning": "probiotics"}\n```';
    expect(parseCategorizerAnswer(text)._unsafeUnwrap()).toEqual({
      bucketName: 'gut health',
      confidence: 0.9,
      reasoning: 'probiotics',
    });
  });

  it('passes the parse error through', () => {
    expect(parseCategorizerAnswer('no idea')._unsafeUnwrapErr().code).toBe('PROVIDER');
  });
});

describe('bad input from untyped callers', () => {
  const notText: unknown[] = [undefined, null, 42, true, {}, [], Symbol('s'), () => 'x'];

  // Issue 10 point 4: parseCategorizerAnswer(undefined) threw a TypeError instead of returning an error.
  it.each(notText.map((value) => [String(typeof value), value]))(
    'returns a PROVIDER error for a %s answer instead of throwing',
    (_label, value) => {
      for (const parse of [parseCategorizerAnswer, parseModelJsonObject]) {
        const result = parse(value as string);
        expect(result.isErr()).toBe(true);
        expect(result._unsafeUnwrapErr().code).toBe('PROVIDER');
        expect(result._unsafeUnwrapErr().message).toMatch(/^Model answer is not text \(got /);
      }
    },
  );

  it('returns a PROVIDER error for an answer object that is not an object', () => {
    for (const value of [undefined, null, 'text', 3, ['a']]) {
      const result = categorizerAnswerFromObject(value as unknown as Record<string, unknown>);
      expect(result._unsafeUnwrapErr().code).toBe('PROVIDER');
    }
  });

  it('reads a confidence of any type without throwing', () => {
    for (const value of [undefined, null, {}, [], Symbol('s'), 'abc', Number.NaN]) {
      expect(() => parseConfidence(value)).not.toThrow();
    }
  });
});
