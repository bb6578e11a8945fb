import type { Clock } from '../ports/clock';

/** A Clock that moves only when the test says so. */
export interface ManualClock extends Clock {
  /** Moves time forward by `milliseconds` (not backwards: use `set` for that) and returns the new time. */
  advance(milliseconds: number): number;
  /** Jumps to an instant, given as epoch milliseconds or an ISO-8601 string, and returns it. */
  set(instant: number | string): number;
  /** The current time as an ISO-8601 UTC string, as records store it. */
  isoNow(): string;
}

function toMilliseconds(instant: number | string): number {
  const milliseconds = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(milliseconds)) {
    throw new RangeError(`Not a valid instant for the manual clock: ${String(instant)}`);
  }
  return milliseconds;
}

/** A clock starting at `start` (epoch milliseconds or ISO-8601; default the epoch). */
export function createManualClock(start: number | string = 0): ManualClock {
  let current = toMilliseconds(start);
  return {
    specificationVersion: 'v1',
    now: () => current,
    advance(milliseconds) {
      if (!Number.isFinite(milliseconds) || milliseconds < 0) {
        throw new RangeError(
          `The manual clock advances by a finite, non-negative number of milliseconds, got ${milliseconds}`,
        );
      }
      current += milliseconds;
      return current;
    },
    set(instant) {
      current = toMilliseconds(instant);
      return current;
    },
    isoNow: () => new Date(current).toISOString(),
  };
}
