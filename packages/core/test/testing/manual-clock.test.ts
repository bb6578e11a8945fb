import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/testing/manual-clock';

describe('createManualClock', () => {
  it('starts where it is told and stays there until moved', () => {
    const clock = createManualClock(Date.UTC(2026, 1, 18, 10, 0, 0));
    expect(clock.now()).toBe(Date.UTC(2026, 1, 18, 10, 0, 0));
    expect(clock.now()).toBe(Date.UTC(2026, 1, 18, 10, 0, 0));
    expect(clock.isoNow()).toBe('2026-02-18T10:00:00.000Z');
  });

  it('starts at the epoch by default and accepts an ISO start', () => {
    expect(createManualClock().now()).toBe(0);
    expect(createManualClock('2026-02-18T10:00:00.000Z').now()).toBe(
      Date.UTC(2026, 1, 18, 10, 0, 0),
    );
  });

  it('advances by the given milliseconds and returns the new time', () => {
    const clock = createManualClock(1_000);
    expect(clock.advance(500)).toBe(1_500);
    expect(clock.advance(0)).toBe(1_500);
    expect(clock.now()).toBe(1_500);
  });

  it('refuses to advance backwards or by a non-number', () => {
    const clock = createManualClock(1_000);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000);
  });

  it('sets any instant, earlier ones included', () => {
    const clock = createManualClock(5_000);
    expect(clock.set(10)).toBe(10);
    expect(clock.set('1970-01-01T00:00:01.000Z')).toBe(1_000);
    expect(clock.now()).toBe(1_000);
    expect(() => clock.set('not a date')).toThrow(RangeError);
  });
});
