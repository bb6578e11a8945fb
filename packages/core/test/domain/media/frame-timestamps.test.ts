import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FRAME_END_MARGIN_SEC,
  DEFAULT_FRAME_TIMESTAMPS_SEC,
  planFrameTimestamps,
} from '../../../src/domain/media/frame-timestamps';

function plan(durationSec: number, options?: Parameters<typeof planFrameTimestamps>[1]) {
  return planFrameTimestamps(durationSec, options)._unsafeUnwrap();
}

function expectTimestamps(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, index) => {
    expect(actual[index]).toBeCloseTo(value, 9);
  });
}

describe('planFrameTimestamps', () => {
  it('takes hook, body and call to action at 0, 3 and 10 s by default', () => {
    expect(DEFAULT_FRAME_TIMESTAMPS_SEC).toEqual([0, 3, 10]);
    expect(DEFAULT_FRAME_END_MARGIN_SEC).toBe(0.1);
    expect(plan(60)).toEqual([0, 3, 10]);
  });

  it('keeps 10 s when the video is just long enough', () => {
    expect(plan(10.1)).toEqual([0, 3, 10]);
    expectTimestamps(plan(10.05), [0, 3, 9.95]);
  });

  it('moves a timestamp past the end to the last decodable moment of a 5 s video', () => {
    expectTimestamps(plan(5), [0, 3, 4.9]);
  });

  it('merges timestamps that clamp to the same moment in a 2 s video', () => {
    expectTimestamps(plan(2), [0, 1.9]);
  });

  it('gives only 0 for a video shorter than the margin, or empty', () => {
    expect(plan(0.05)).toEqual([0]);
    expect(plan(0)).toEqual([0]);
  });

  it('sorts and de-duplicates a custom list, within a millisecond', () => {
    expectTimestamps(plan(30, { timestampsSec: [12, 1, 1, 5, 1.0004, 12.5] }), [1, 5, 12, 12.5]);
  });

  it('takes a custom list and margin', () => {
    expectTimestamps(plan(8, { timestampsSec: [2, 6, 9], endMarginSec: 0.5 }), [2, 6, 7.5]);
    expectTimestamps(plan(8, { timestampsSec: [2, 9], endMarginSec: 0 }), [2, 8]);
  });

  it('does not change the list it was given', () => {
    const timestampsSec = [10, 0, 3];
    plan(5, { timestampsSec });
    expect(timestampsSec).toEqual([10, 0, 3]);
  });

  it.each([
    ['durationSec', -1, {}],
    ['durationSec', Number.NaN, {}],
    ['durationSec', Number.POSITIVE_INFINITY, {}],
    ['timestampsSec.1', 10, { timestampsSec: [0, -1] }],
    ['timestampsSec.0', 10, { timestampsSec: [Number.NaN] }],
    ['timestampsSec.2', 10, { timestampsSec: [0, 3, Number.POSITIVE_INFINITY] }],
    ['timestampsSec', 10, { timestampsSec: [] }],
    ['endMarginSec', 10, { endMarginSec: -0.1 }],
  ])('rejects a bad %s', (path, durationSec, options) => {
    const error = planFrameTimestamps(durationSec, options)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });
});
