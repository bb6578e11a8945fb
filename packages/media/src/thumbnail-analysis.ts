import type { FrameMetrics } from '@vbuckets/core/adapter-kit';
import { thumbnailQualityScore } from '@vbuckets/core/domain';
import { unreadableOutputError } from './media-error';

/** Frames the `thumbnail` filter weighs per segment; its pick is the most representative. */
export const FRAMES_PER_SEGMENT = 10;
/** The analysis never samples faster than this: more frames per segment add little. */
const MAX_SAMPLE_FPS = 10;
/** Frames are analysed at most this wide: the stats barely change, decoding gets cheaper. */
export const ANALYSIS_WIDTH = 320;
/** Side of the grey signature compared to find near-duplicates. */
export const SIGNATURE_SIDE = 16;
export const SIGNATURE_BYTES = SIGNATURE_SIDE * SIGNATURE_SIDE;
/**
 * Two frames whose signatures differ by less than this mean absolute difference (0..1) are
 * one picture: a static shot, a slow pan or the same scene twice.
 */
export const DUPLICATE_DISTANCE = 0.04;
/** Mean edge luma (0..255) at which sharpness reaches 1 − 1/e ≈ 0.63. */
const EDGE_SCALE = 8;
/** SATAVG at which colourfulness reaches 1: the largest deviation of one chroma channel. */
const SATURATION_SCALE = 128;

/** The sampling plan of one analysis: `fps` frames a second, `n` per `thumbnail` batch. */
export interface SamplingPlan {
  fps: number;
  framesPerSegment: number;
}

/**
 * Splits the video into `count × 2` segments: sampled at `fps`, each segment is a batch of
 * `framesPerSegment` frames, of which ffmpeg's `thumbnail` filter keeps the most
 * representative (the one closest to the batch's average histogram).
 */
export function planSampling(durationSec: number, count: number): SamplingPlan {
  const segments = count * 2;
  const duration = durationSec > 0 ? durationSec : 1;
  const fps = Math.min(MAX_SAMPLE_FPS, (FRAMES_PER_SEGMENT * segments) / duration);
  const framesPerSegment = Math.max(1, Math.round((fps * duration) / segments));
  return { fps: Number(fps.toPrecision(6)), framesPerSegment };
}

/** Files the analysis writes `metadata=print` to, in its working directory. */
export const COLOUR_STATS_FILE = 'colour-stats.txt';
export const EDGE_STATS_FILE = 'edge-stats.txt';

/**
 * The filter graph of the analysis: sample, shrink, pick one frame per segment, then measure
 * each pick three ways — `signalstats` of the frame (luma, saturation), `signalstats` of its
 * `edgedetect` map (detail), and a 16×16 grey signature written raw to stdout.
 */
export function analysisFilterGraph(plan: SamplingPlan): string {
  return [
    `[0:v]fps=${plan.fps},scale=w='min(iw,${ANALYSIS_WIDTH})':h=-2:flags=area,format=yuv420p,` +
      `thumbnail=n=${plan.framesPerSegment},split=3[colour][edges][signature]`,
    `[colour]signalstats,metadata=mode=print:file=${COLOUR_STATS_FILE}[colourout]`,
    `[edges]edgedetect,signalstats,metadata=mode=print:file=${EDGE_STATS_FILE}[edgesout]`,
    `[signature]scale=${SIGNATURE_SIDE}:${SIGNATURE_SIDE}:flags=area,format=gray[signatureout]`,
  ].join(';');
}

/** One frame's block of `metadata=print` output. */
export interface PrintedFrame {
  timestampSec: number;
  values: Record<string, number>;
}

/**
 * Reads `metadata=print` output: a `frame:N pts:P pts_time:T` line, then `key=value` lines
 * until the next frame line.
 */
export function parseMetadataPrint(text: string): PrintedFrame[] {
  const frames: PrintedFrame[] = [];
  let current: PrintedFrame | undefined;
  for (const line of text.split(/\r?\n/u)) {
    const header = /^frame:\s*\d+\s+pts:\s*\S+\s+pts_time:\s*(\S+)/u.exec(line);
    if (header) {
      current = { timestampSec: Number(header[1]), values: {} };
      frames.push(current);
      continue;
    }
    const pair = /^([\w.]+)=(.*)$/u.exec(line.trim());
    if (pair && current) current.values[pair[1] as string] = Number(pair[2]);
  }
  return frames;
}

function unit(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/**
 * The metrics of a frame from its two `signalstats` readings (8-bit):
 * brightness `YAVG / 255`; contrast `(YHIGH − YLOW) / 255` (the 90th minus the 10th luma
 * percentile, so a few stray pixels do not count); colourfulness `min(1, SATAVG / 128)`;
 * sharpness `1 − exp(−edgeYAVG / 8)` from the mean of the `edgedetect` map (0 for a flat or
 * blurred frame, about 0.5 for sharp test patterns, towards 1 for dense detail).
 */
export function metricsOf(colour: Record<string, number>, edges: Record<string, number>) {
  const stat = (values: Record<string, number>, key: string) =>
    values[`lavfi.signalstats.${key}`] ?? Number.NaN;
  const metrics: FrameMetrics = {
    brightness: unit(stat(colour, 'YAVG') / 255),
    contrast: unit((stat(colour, 'YHIGH') - stat(colour, 'YLOW')) / 255),
    sharpness: unit(1 - Math.exp(-stat(edges, 'YAVG') / EDGE_SCALE)),
    colourfulness: unit(stat(colour, 'SATAVG') / SATURATION_SCALE),
  };
  return metrics;
}

/** A frame the analysis picked, before its full-size JPEG is cut. */
export interface AnalysedFrame {
  timestampSec: number;
  metrics: FrameMetrics;
  quality: number;
  signature: Uint8Array;
}

/** Joins the three outputs of the analysis frame by frame; they come in the same order. */
export function analysedFrames(
  colourText: string,
  edgeText: string,
  signatures: Uint8Array,
): AnalysedFrame[] {
  const colour = parseMetadataPrint(colourText);
  const edges = parseMetadataPrint(edgeText);
  const count = Math.floor(signatures.length / SIGNATURE_BYTES);
  if (colour.length !== edges.length || colour.length !== count) {
    throw unreadableOutputError(
      'ffmpeg',
      `gave ${colour.length} colour readings, ${edges.length} edge readings and ${count} signatures for the thumbnail analysis`,
    );
  }
  return colour.map((frame, index) => {
    const metrics = metricsOf(frame.values, edges[index]?.values ?? {});
    return {
      timestampSec: Math.max(0, Number.isFinite(frame.timestampSec) ? frame.timestampSec : 0),
      metrics,
      quality: thumbnailQualityScore(metrics),
      signature: signatures.subarray(index * SIGNATURE_BYTES, (index + 1) * SIGNATURE_BYTES),
    };
  });
}

/** Mean absolute difference of two grey signatures, 0 (same) to 1. */
export function signatureDistance(left: Uint8Array, right: Uint8Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) {
    sum += Math.abs((left[index] ?? 0) - (right[index] ?? 0));
  }
  return left.length === 0 ? 0 : sum / (left.length * 255);
}

/**
 * Keeps up to `count` frames: best quality first, each skipped when it is a near-duplicate of
 * one already kept (so of two alike, the better stays), then in time order.
 */
export function chooseCandidates(frames: readonly AnalysedFrame[], count: number): AnalysedFrame[] {
  const byQuality = [...frames].sort(
    (left, right) => right.quality - left.quality || left.timestampSec - right.timestampSec,
  );
  const kept: AnalysedFrame[] = [];
  for (const frame of byQuality) {
    if (kept.length >= count) break;
    const duplicate = kept.some(
      (each) => signatureDistance(each.signature, frame.signature) < DUPLICATE_DISTANCE,
    );
    if (!duplicate) kept.push(frame);
  }
  return kept.sort((left, right) => left.timestampSec - right.timestampSec);
}
