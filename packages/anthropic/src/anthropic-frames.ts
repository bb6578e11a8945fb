import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cancelledError, VBucketsError } from '@vbuckets/core';
import { type AnalyzerVideo, untilAborted } from '@vbuckets/core/adapter-kit';
import { planFrameTimestamps } from '@vbuckets/core/domain';
import { fitJpeg, type SizedJpeg } from './anthropic-frame-resize';
import type { ResolvedClaudeSettings } from './anthropic-settings';

/** Where a frame sits in the ad's structure (seed 003): the opening, the middle, the close. */
export type FrameLabel = 'Hook' | 'Body' | 'CTA';

/** One frame as it is sent to Claude. */
export interface ClaudeFrame {
  label: FrameLabel;
  /** The time it was taken at, after clamping into the video. */
  timestampSec: number;
  jpeg: SizedJpeg;
}

/** The frames of one video and the duration they were planned from. */
export interface ClaudeFrames {
  durationSec: number;
  frames: ClaudeFrame[];
}

/** The first frame is the hook, the last the call to action, any between the body. */
export function frameLabels(count: number): FrameLabel[] {
  return Array.from({ length: count }, (_, index) =>
    index === 0 ? 'Hook' : index === count - 1 ? 'CTA' : 'Body',
  );
}

/** Seconds as a person reads them: `0`, `3`, `3.9`, `12.25`. */
export function formatSeconds(seconds: number): string {
  return String(Math.round(seconds * 100) / 100);
}

/** A safe extension for the temporary copy, so ffmpeg's probing sees the usual one. */
function extensionOf(filename: string): string {
  const match = /\.([A-Za-z0-9]{1,5})$/u.exec(filename);
  return match === null ? '' : `.${match[1]?.toLowerCase()}`;
}

/**
 * Copies the video's stream to `path` one chunk at a time (never the whole video in memory).
 * A stalled read does not hold up a cancellation.
 */
async function copyToFile(
  video: AnalyzerVideo,
  path: string,
  action: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const opened = await video.open();
  if (opened.isErr()) throw opened.error;
  const reader = opened.value.getReader();
  const file = await open(path, 'w');
  const cancelled = () => cancelledError(`${action} was cancelled`);
  try {
    for (;;) {
      const chunk = await untilAborted(reader.read(), signal, cancelled);
      if (chunk.done) break;
      await file.write(chunk.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    await file.close();
  }
}

/**
 * The video's frames at the configured times, clamped into its duration by
 * `planFrameTimestamps` (a 4 s video gives 0, 3 and 3.9 s), each fitted into the frame box.
 * The MediaProbe reads files, so the video is copied to a temporary folder that is removed
 * afterwards, whatever happened.
 */
export async function extractClaudeFrames(
  video: AnalyzerVideo,
  settings: ResolvedClaudeSettings,
  action: string,
  signal: AbortSignal | undefined,
): Promise<ClaudeFrames> {
  const folder = await mkdtemp(join(settings.tempDirectory ?? tmpdir(), 'vbuckets-claude-'));
  try {
    const path = join(folder, `video${extensionOf(video.filename)}`);
    await copyToFile(video, path, action, signal);
    if (signal?.aborted) throw cancelledError(`${action} was cancelled`);
    const probed = await settings.mediaProbe.probe(path, { signal });
    if (probed.isErr()) throw probed.error;
    const planned = planFrameTimestamps(probed.value.durationSec, {
      timestampsSec: settings.timestampsSec,
    });
    if (planned.isErr()) throw planned.error;
    const extracted = await settings.mediaProbe.extractFrames(path, planned.value, { signal });
    if (extracted.isErr()) throw extracted.error;
    const labels = frameLabels(planned.value.length);
    const frames = extracted.value.map((bytes, index): ClaudeFrame => {
      const timestampSec = planned.value[index] ?? 0;
      try {
        return {
          label: labels[index] ?? 'Body',
          timestampSec,
          jpeg: fitJpeg(bytes, {
            maxWidth: settings.maxFrameWidth,
            maxHeight: settings.maxFrameHeight,
            quality: settings.jpegQuality,
          }),
        };
      } catch (error) {
        throw new VBucketsError(
          'MEDIA',
          `The frame of "${video.filename}" at ${formatSeconds(timestampSec)} s is not a readable JPEG: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error, details: { timestampSec } },
        );
      }
    });
    return { durationSec: probed.value.durationSec, frames };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
