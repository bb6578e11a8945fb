import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromZodError, type VBucketsError } from '@vbuckets/core';
import type { ThumbnailCandidate, ThumbnailCandidateOptions } from '@vbuckets/core/adapter-kit';
import { DEFAULT_FRAME_END_MARGIN_SEC } from '@vbuckets/core/domain';
import { z } from 'zod';
import { unreadableOutputError } from './media-error';
import type { RunOutput } from './media-process';
import {
  analysedFrames,
  analysisFilterGraph,
  COLOUR_STATS_FILE,
  chooseCandidates,
  EDGE_STATS_FILE,
  planSampling,
} from './thumbnail-analysis';

/** YouTube's thumbnail width: candidates wider than this are scaled down unless told. */
export const DEFAULT_THUMBNAIL_MAX_WIDTH = 1280;
/** More candidates than this is a mistake, not a wish: each is a full decode of a segment. */
export const MAX_THUMBNAIL_CANDIDATES = 50;

const OptionsSchema = z.strictObject({
  count: z.number().int().min(1).max(MAX_THUMBNAIL_CANDIDATES),
  maxWidth: z.number().int().min(16).max(8000).optional(),
  signal: z
    .custom<AbortSignal>((value) => value instanceof AbortSignal, {
      error: 'must be an AbortSignal',
    })
    .optional(),
});

/** The options checked, or their VALIDATION error naming the field. */
export function checkCandidateOptions(
  options: unknown,
): { ok: true; value: z.output<typeof OptionsSchema> } | { ok: false; error: VBucketsError } {
  const parsed = OptionsSchema.safeParse(options);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: fromZodError(parsed.error, 'thumbnail candidate options') };
}

/** What the candidate cutter borrows from the probe: its processes and its frame cutter. */
export interface CandidateTools {
  durationOf(path: string, deadline: number, signal?: AbortSignal): Promise<number>;
  ffmpeg(
    args: string[],
    path: string,
    deadline: number,
    signal: AbortSignal | undefined,
    cwd: string,
  ): Promise<RunOutput>;
  jpegAt(
    path: string,
    timestampSec: number,
    deadline: number,
    signal: AbortSignal | undefined,
    maxWidth: number,
  ): Promise<Uint8Array>;
  input(path: string): string;
  tempDirectory: string | undefined;
}

/** Width and height from a JPEG's first start-of-frame segment. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    const length = ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        height: ((bytes[offset + 5] ?? 0) << 8) | (bytes[offset + 6] ?? 0),
        width: ((bytes[offset + 7] ?? 0) << 8) | (bytes[offset + 8] ?? 0),
      };
    }
    offset += 2 + length;
  }
  return undefined;
}

/**
 * Cuts thumbnail candidates: one ffmpeg pass over the video picks and measures a frame per
 * segment (see `analysisFilterGraph`), near-duplicates are dropped keeping the better frame,
 * the `count` best by `thumbnailQualityScore` stay, and each is cut again at full size (up to
 * `maxWidth`) as a JPEG. The pass writes its stats into a temporary folder, removed after.
 */
export async function extractCandidates(
  tools: CandidateTools,
  path: string,
  options: ThumbnailCandidateOptions,
  deadline: number,
): Promise<ThumbnailCandidate[]> {
  const { count, signal } = options;
  const maxWidth = options.maxWidth ?? DEFAULT_THUMBNAIL_MAX_WIDTH;
  const durationSec = await tools.durationOf(path, deadline, signal);
  const plan = planSampling(durationSec, count);
  const folder = await mkdtemp(join(tools.tempDirectory ?? tmpdir(), 'vbuckets-thumbnails-'));
  try {
    const args = [
      '-v',
      'error',
      '-nostdin',
      '-i',
      tools.input(path),
      '-an',
      '-sn',
      '-dn',
      '-filter_complex',
      analysisFilterGraph(plan),
      '-map',
      '[colourout]',
      '-f',
      'null',
      '-',
      '-map',
      '[edgesout]',
      '-f',
      'null',
      '-',
      '-map',
      '[signatureout]',
      // One signature per picked frame: without it, rawvideo output repeats frames to keep a
      // constant rate.
      '-vsync',
      'passthrough',
      '-f',
      'rawvideo',
      '-',
    ];
    const { stdout } = await tools.ffmpeg(args, path, deadline, signal, folder);
    const [colourText, edgeText] = await Promise.all([
      readFile(join(folder, COLOUR_STATS_FILE), 'utf8'),
      readFile(join(folder, EDGE_STATS_FILE), 'utf8'),
    ]).catch((error: unknown) => {
      throw unreadableOutputError('ffmpeg', 'wrote no frame statistics', error);
    });
    const frames = analysedFrames(colourText, edgeText, new Uint8Array(stdout));
    if (frames.length === 0) {
      throw unreadableOutputError('ffmpeg', 'found no frame to cut thumbnail candidates from');
    }
    const chosen = chooseCandidates(frames, count);
    // The sampling grid may end just past the last decodable frame; stay clear of the end.
    const lastMoment = Math.max(0, durationSec - DEFAULT_FRAME_END_MARGIN_SEC);
    const candidates: ThumbnailCandidate[] = [];
    for (const frame of chosen) {
      const timestampSec = Math.min(frame.timestampSec, lastMoment);
      const jpeg = await tools.jpegAt(path, timestampSec, deadline, signal, maxWidth);
      const size = jpegSize(jpeg);
      if (size === undefined) {
        throw unreadableOutputError('ffmpeg', `gave a frame at ${timestampSec} s without a size`);
      }
      candidates.push({ timestampSec, jpeg, ...size, metrics: frame.metrics });
    }
    return candidates;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
