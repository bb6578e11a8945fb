import { describe, expect, it } from 'vitest';
import {
  type AnalysedFrame,
  chooseCandidates,
  metricsOf,
  parseMetadataPrint,
  planSampling,
  SIGNATURE_BYTES,
  signatureDistance,
} from '../src/thumbnail-analysis';

function frame(timestampSec: number, quality: number, shade: number): AnalysedFrame {
  return {
    timestampSec,
    quality,
    metrics: { brightness: 0.5, contrast: 0.5, sharpness: 0.5, colourfulness: 0.5 },
    signature: new Uint8Array(SIGNATURE_BYTES).fill(shade),
  };
}

describe('thumbnail analysis', () => {
  it('plans count × 2 segments of up to 10 sampled frames', () => {
    expect(planSampling(120, 6)).toEqual({ fps: 1, framesPerSegment: 10 });
    // A short clip is sampled at most 10 times a second, so its segments hold fewer frames.
    expect(planSampling(6, 6)).toEqual({ fps: 10, framesPerSegment: 5 });
    expect(planSampling(0, 3).framesPerSegment).toBeGreaterThanOrEqual(1);
  });

  it('reads metadata=print blocks', () => {
    const text = [
      'frame:0    pts:2       pts_time:0.2',
      'lavfi.signalstats.YAVG=122.5',
      'lavfi.signalstats.YLOW=41',
      'frame:1    pts:7       pts_time:0.7',
      'lavfi.signalstats.YAVG=0',
      '',
    ].join('\n');
    expect(parseMetadataPrint(text)).toEqual([
      {
        timestampSec: 0.2,
        values: { 'lavfi.signalstats.YAVG': 122.5, 'lavfi.signalstats.YLOW': 41 },
      },
      { timestampSec: 0.7, values: { 'lavfi.signalstats.YAVG': 0 } },
    ]);
  });

  it('normalises the readings into 0..1 and counts a missing one as 0', () => {
    const colour = {
      'lavfi.signalstats.YAVG': 127.5,
      'lavfi.signalstats.YLOW': 16,
      'lavfi.signalstats.YHIGH': 235,
      'lavfi.signalstats.SATAVG': 200,
    };
    const metrics = metricsOf(colour, { 'lavfi.signalstats.YAVG': 8 });
    expect(metrics.brightness).toBeCloseTo(0.5, 5);
    expect(metrics.contrast).toBeCloseTo(219 / 255, 5);
    expect(metrics.colourfulness).toBe(1);
    expect(metrics.sharpness).toBeCloseTo(1 - Math.exp(-1), 5);
    expect(metricsOf({}, {})).toEqual({
      brightness: 0,
      contrast: 0,
      sharpness: 0,
      colourfulness: 0,
    });
  });

  it('keeps the better of two near-duplicates and the best count, in time order', () => {
    const frames = [frame(0, 0.4, 10), frame(1, 0.9, 12), frame(2, 0.2, 200), frame(3, 0.6, 100)];
    const [first, second] = frames as [AnalysedFrame, AnalysedFrame];
    expect(signatureDistance(first.signature, second.signature)).toBeCloseTo(2 / 255, 5);
    expect(chooseCandidates(frames, 6).map((each) => each.timestampSec)).toEqual([1, 2, 3]);
    expect(chooseCandidates(frames, 2).map((each) => each.timestampSec)).toEqual([1, 3]);
  });
});
