import type { VBucketsError } from '@vbuckets/core';
import type { MediaInfo } from '@vbuckets/core/adapter-kit';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { notVideoError, unreadableOutputError } from './media-error';

/** Only the fields we read; ffprobe prints many more, which are let through unchecked. */
const StreamSchema = z.object({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  duration: z.string().optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
});

const FfprobeOutputSchema = z.object({
  streams: z.array(StreamSchema).optional(),
  format: z
    .object({
      duration: z.string().optional(),
      tags: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

type Stream = z.infer<typeof StreamSchema>;

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

function dimension(value: number | undefined): number | null {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : null;
}

/** Cover art in an mp3 or m4a is a one-picture "video" stream; it does not make a video. */
function isVideo(stream: Stream): boolean {
  return stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1;
}

/** What `splitVideo` reads of a piece: its MediaInfo and its video stream's own duration. */
export interface ProbedFile {
  info: MediaInfo;
  /**
   * The video stream's duration, when the container records one (mp4 and mov do, matroska and
   * webm do not). Unlike `info.durationSec` (the longest stream), it leaves out audio that runs
   * past the last picture.
   */
  videoDurationSec: number | undefined;
}

/** Turns `ffprobe -print_format json -show_format -show_streams` output into MediaInfo. */
export function parseFfprobeOutput(stdout: string): Result<MediaInfo, VBucketsError> {
  return parseProbedFile(stdout).map((probed) => probed.info);
}

/** As {@link parseFfprobeOutput}, with the video stream's own duration. */
export function parseProbedFile(stdout: string): Result<ProbedFile, VBucketsError> {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (error) {
    return err(unreadableOutputError('ffprobe', 'printed output that is not JSON', error));
  }
  const parsed = FfprobeOutputSchema.safeParse(json);
  if (!parsed.success) {
    return err(
      unreadableOutputError('ffprobe', 'printed JSON of an unexpected shape', parsed.error),
    );
  }
  const streams = parsed.data.streams ?? [];
  const video = streams.find(isVideo);
  if (video === undefined) {
    const kinds = [...new Set(streams.map((stream) => stream.codec_type ?? 'unknown'))];
    return err(notVideoError(kinds));
  }
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  const durationSec =
    seconds(parsed.data.format?.duration) ??
    seconds(video.duration) ??
    streams.map((stream) => seconds(stream.duration) ?? 0).reduce((a, b) => Math.max(a, b), 0);

  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.data.format?.tags ?? {})) {
    // ffprobe prints every tag as a string; anything else is not a tag it read.
    if (typeof value === 'string') tags[key.toLowerCase()] = value;
  }

  return ok({
    info: {
      durationSec,
      width: dimension(video.width),
      height: dimension(video.height),
      codecs: { video: video.codec_name ?? null, audio: audio?.codec_name ?? null },
      hasAudio: audio !== undefined,
      tags,
    },
    videoDurationSec: seconds(video.duration),
  });
}
