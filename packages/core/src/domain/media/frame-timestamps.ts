import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, validationError } from '../../errors';

/** Hook, body and call to action (seed 003): three frames instead of an even spread. */
export const DEFAULT_FRAME_TIMESTAMPS_SEC: readonly number[] = Object.freeze([0, 3, 10]);

/**
 * How far before the end the last frame is taken. Seeking to the exact duration yields no frame
 * in ffmpeg (the container's duration often ends past the last decodable frame); 0.1 s is at
 * least one frame interval for any video of 10 fps or more, so a frame is still there.
 */
export const DEFAULT_FRAME_END_MARGIN_SEC = 0.1;

/**
 * Timestamps closer than this after clamping are one frame: at 1 ms apart, even a 1000 fps
 * video shows the same picture, and extracting it twice only costs tokens.
 */
export const FRAME_TIMESTAMP_EPSILON_SEC = 0.001;

export interface FrameTimestampOptions {
  /** Wanted timestamps in seconds (default 0, 3, 10); any order. */
  timestampsSec?: readonly number[];
  /** Distance kept from the end of the video (default 0.1 s). */
  endMarginSec?: number;
}

function invalid(path: string, requirement: string, value: unknown): VBucketsError {
  return validationError(`Invalid ${path}: must be ${requirement} (got ${String(value)})`, {
    path,
  });
}

function isNonNegativeFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * The timestamps to extract frames at from a video of `durationSec`: each wanted timestamp
 * clamped to the last decodable moment, max(0, duration − margin), then sorted ascending and
 * de-duplicated (within 1 ms, keeping the earlier). A 5 s video gives 0, 3, 4.9; a 2 s video
 * 0, 1.9; anything shorter than the margin just 0. VALIDATION for a duration that is negative,
 * NaN or infinite, a negative or non-finite timestamp, an empty list, or a bad margin.
 */
export function planFrameTimestamps(
  durationSec: number,
  options: FrameTimestampOptions = {},
): Result<number[], VBucketsError> {
  const timestamps = options.timestampsSec ?? DEFAULT_FRAME_TIMESTAMPS_SEC;
  const endMarginSec = options.endMarginSec ?? DEFAULT_FRAME_END_MARGIN_SEC;
  if (!isNonNegativeFinite(durationSec)) {
    return err(invalid('durationSec', 'a finite number of seconds of at least 0', durationSec));
  }
  if (!isNonNegativeFinite(endMarginSec)) {
    return err(invalid('endMarginSec', 'a finite number of seconds of at least 0', endMarginSec));
  }
  if (timestamps.length === 0) {
    return err(invalid('timestampsSec', 'a list of at least one timestamp', '[]'));
  }
  for (const [index, timestamp] of timestamps.entries()) {
    if (!isNonNegativeFinite(timestamp)) {
      return err(
        invalid(`timestampsSec.${index}`, 'a finite number of seconds of at least 0', timestamp),
      );
    }
  }

  const lastDecodable = Math.max(0, durationSec - endMarginSec);
  const clamped = timestamps
    .map((timestamp) => Math.min(timestamp, lastDecodable))
    .sort((first, second) => first - second);
  const planned: number[] = [];
  for (const timestamp of clamped) {
    const previous = planned.at(-1);
    if (previous === undefined || timestamp - previous >= FRAME_TIMESTAMP_EPSILON_SEC) {
      planned.push(timestamp);
    }
  }
  return ok(planned);
}
