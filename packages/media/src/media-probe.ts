import { resolve as resolvePath } from 'node:path';
import { fromZodError, isVBucketsError, VBucketsError, validationError } from '@vbuckets/core';
import {
  type MediaCallOptions,
  type MediaProbe,
  type SplitVideoOptions,
  settingsError,
  type ThumbnailCandidateOptions,
  type VideoPiece,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { err, errAsync, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { parseFfprobeOutput, parseProbedFile } from './ffprobe-output';
import { type MediaTool, unreadableOutputError } from './media-error';
import { runMediaProcess } from './media-process';
import { checkSplitOptions, withSplitVideo } from './split-video';
import { checkCandidateOptions, extractCandidates } from './thumbnail-candidates';

export const DEFAULT_MEDIA_TIMEOUT_MS = 30_000;

const SettingsSchema = z.strictObject({
  /** The ffprobe binary; defaults to FFPROBE_PATH, then `ffprobe` on PATH. */
  ffprobePath: z.string().min(1, 'must not be empty').optional(),
  /** The ffmpeg binary; defaults to FFMPEG_PATH, then `ffmpeg` on PATH. */
  ffmpegPath: z.string().min(1, 'must not be empty').optional(),
  /**
   * Time limit of one `probe`, `extractFrames` or `extractThumbnailCandidates` call, or of
   * `splitVideo`'s cutting and probing (not of its `use`), in milliseconds.
   */
  timeoutMs: z.number().int().positive().optional(),
  /**
   * Where `extractThumbnailCandidates` keeps ffmpeg's statistics and `splitVideo` its pieces
   * during a call (default the OS's).
   */
  tempDirectory: z.string().min(1, 'must not be empty').optional(),
  /** The environment read for FFPROBE_PATH / FFMPEG_PATH and given to the children. */
  env: z.record(z.string(), z.string().optional()).optional(),
});

export type MediaProbeSettings = z.input<typeof SettingsSchema>;

const ENVIRONMENT_VARIABLES: Record<MediaTool, string> = {
  ffprobe: 'FFPROBE_PATH',
  ffmpeg: 'FFMPEG_PATH',
};

function isJpeg(bytes: Uint8Array): boolean {
  const length = bytes.length;
  return (
    length >= 4 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes[length - 2] === 0xff &&
    bytes[length - 1] === 0xd9
  );
}

/**
 * `file:` keeps ffmpeg on the local file protocol: a "path" such as `https://…`,
 * `concat:…` or `-x` is then a file name, never a URL, another protocol or an option.
 */
function fileInput(path: string): string {
  return `file:${path}`;
}

/** Up to microseconds, without the exponent notation `String(1e-7)` would give ffmpeg. */
function formatSeconds(seconds: number): string {
  return seconds.toFixed(6).replace(/\.?0+$/, '');
}

function validatePath(path: unknown): VBucketsError | undefined {
  if (typeof path === 'string' && path !== '' && !path.includes('\0')) return undefined;
  return validationError('Invalid path: must be a non-empty file path', { path: 'path' });
}

function validateTimestamps(timestamps: unknown): VBucketsError | undefined {
  if (!Array.isArray(timestamps)) {
    return validationError('Invalid timestampsSec: must be a list of seconds', {
      path: 'timestampsSec',
    });
  }
  for (const [index, value] of timestamps.entries()) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return validationError(
        `Invalid timestampsSec.${index}: must be a finite number of seconds of at least 0 (got ${String(value)})`,
        { path: `timestampsSec.${index}` },
      );
    }
  }
  return undefined;
}

function toMediaError(error: unknown): VBucketsError {
  if (isVBucketsError(error)) return error;
  return new VBucketsError('MEDIA', `The media probe failed unexpectedly: ${String(error)}`, {
    cause: error,
  });
}

/** Names this adapter and the call in the error's fields; the message stays a sentence. */
const at = (operation: string) => (error: VBucketsError) =>
  withErrorSource(error, { adapter: 'media', operation });

/**
 * A MediaProbe that spawns ffprobe and ffmpeg directly (no shell). It throws nothing: with
 * invalid settings every call answers their VALIDATION error and no process is started.
 */
export function createMediaProbe(settings: MediaProbeSettings = {}): MediaProbe {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const refusal = settingsError(fromZodError(parsed.error, 'media probe settings'));
    return {
      specificationVersion: 'v1',
      probe: () => errAsync(at('media.probe')(refusal)),
      extractFrames: () => errAsync(at('media.extractFrames')(refusal)),
      extractThumbnailCandidates: () => errAsync(at('media.extractThumbnailCandidates')(refusal)),
      splitVideo: () => errAsync(at('media.splitVideo')(refusal)),
    };
  }
  const env: NodeJS.ProcessEnv = parsed.data.env ?? process.env;
  const timeoutMs = parsed.data.timeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS;
  const options: Record<MediaTool, string | undefined> = {
    ffprobe: parsed.data.ffprobePath,
    ffmpeg: parsed.data.ffmpegPath,
  };

  // Resolved per call, so a process that sets FFMPEG_PATH after start-up is still heard.
  const binary = (tool: MediaTool): string => {
    const fromEnvironment = env[ENVIRONMENT_VARIABLES[tool]];
    return (
      options[tool] ??
      (fromEnvironment === undefined || fromEnvironment === '' ? tool : fromEnvironment)
    );
  };

  const run = (
    tool: MediaTool,
    args: string[],
    path: string,
    deadline: number,
    signal?: AbortSignal,
    cwd?: string,
  ) =>
    runMediaProcess({
      tool,
      binary: binary(tool),
      args,
      env,
      remainingMs: deadline - Date.now(),
      timeoutMs,
      signal,
      redact: [fileInput(resolvePath(path)), fileInput(path), resolvePath(path), path],
      ...(cwd === undefined ? {} : { cwd }),
    });

  const probeArgs = (path: string) => [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    fileInput(path),
  ];

  const probe = (path: string, callOptions: MediaCallOptions = {}) => {
    const invalid = validatePath(path);
    if (invalid) return errAsync(at('media.probe')(invalid));
    const deadline = Date.now() + timeoutMs;
    return ResultAsync.fromPromise(
      run('ffprobe', probeArgs(path), path, deadline, callOptions.signal),
      toMediaError,
    )
      .andThen((output) => parseFfprobeOutput(output.stdout.toString('utf8')))
      .mapErr(at('media.probe'));
  };

  const extractOne = async (
    path: string,
    timestamp: number,
    deadline: number,
    signal?: AbortSignal,
    maxWidth?: number,
  ) => {
    const args = [
      '-v',
      'error',
      '-nostdin',
      // Before -i: ffmpeg seeks in the container to the keyframe before the timestamp and
      // decodes from there, instead of decoding the whole video up to it.
      '-ss',
      formatSeconds(timestamp),
      '-i',
      fileInput(path),
      '-an',
      '-sn',
      '-dn',
      ...(maxWidth === undefined ? [] : ['-vf', `scale=w='min(iw,${maxWidth})':h=-2`]),
      '-frames:v',
      '1',
      '-f',
      'image2pipe',
      '-vcodec',
      'mjpeg',
      '-q:v',
      '3',
      '-',
    ];
    const { stdout } = await run('ffmpeg', args, path, deadline, signal);
    if (stdout.length === 0) {
      throw new VBucketsError(
        'MEDIA',
        `No frame at ${formatSeconds(timestamp)} s: the timestamp is past the end of the video; clamp timestamps to the duration with planFrameTimestamps(durationSec, { timestampsSec }) from @vbuckets/core`,
        { details: { tool: 'ffmpeg', timestampSec: timestamp } },
      );
    }
    if (!isJpeg(stdout)) {
      throw unreadableOutputError(
        'ffmpeg',
        `gave a frame at ${formatSeconds(timestamp)} s that is not a JPEG`,
      );
    }
    return new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.length);
  };

  const extractFrames = (
    path: string,
    timestampsSec: readonly number[],
    callOptions: MediaCallOptions = {},
  ) => {
    const invalid = validatePath(path) ?? validateTimestamps(timestampsSec);
    if (invalid) return errAsync(at('media.extractFrames')(invalid));
    const timestamps = [...timestampsSec];
    const deadline = Date.now() + timeoutMs;
    const extractAll = async () => {
      const frames: Uint8Array[] = [];
      // One at a time: the frames of one video share the disk, and the order is the caller's.
      for (const timestamp of timestamps) {
        frames.push(await extractOne(path, timestamp, deadline, callOptions.signal));
      }
      return frames;
    };
    return ResultAsync.fromPromise(extractAll(), toMediaError).mapErr(at('media.extractFrames'));
  };

  const extractThumbnailCandidates = (
    path: string,
    candidateOptions: ThumbnailCandidateOptions,
  ) => {
    const operation = at('media.extractThumbnailCandidates');
    const invalid = validatePath(path);
    if (invalid) return errAsync(operation(invalid));
    const checked = checkCandidateOptions(candidateOptions);
    if (!checked.ok) return errAsync(operation(checked.error));
    // ffmpeg runs in a temporary folder; a relative path must still name the caller's file.
    const absolute = resolvePath(path);
    const deadline = Date.now() + timeoutMs;
    const work = extractCandidates(
      {
        durationOf: async (file, until, signal) => {
          const output = await run('ffprobe', probeArgs(file), file, until, signal);
          const info = parseFfprobeOutput(output.stdout.toString('utf8'));
          if (info.isErr()) throw info.error;
          return info.value.durationSec;
        },
        ffmpeg: (args, file, until, signal, cwd) => run('ffmpeg', args, file, until, signal, cwd),
        jpegAt: (file, timestamp, until, signal, maxWidth) =>
          extractOne(file, timestamp, until, signal, maxWidth),
        input: fileInput,
        tempDirectory: parsed.data.tempDirectory,
      },
      absolute,
      checked.value,
      deadline,
    );
    return ResultAsync.fromPromise(work, toMediaError).mapErr(operation);
  };

  const splitVideo = <T>(
    path: string,
    splitOptions: SplitVideoOptions,
    use: (pieces: readonly VideoPiece[]) => ResultAsync<T, VBucketsError>,
  ): ResultAsync<T, VBucketsError> => {
    const operation = at('media.splitVideo');
    const invalid = validatePath(path);
    if (invalid) return errAsync(operation(invalid));
    const checked = checkSplitOptions(splitOptions);
    if (!checked.ok) return errAsync(operation(checked.error));
    if (typeof use !== 'function') {
      return errAsync(
        operation(
          validationError('Invalid use: must be a function of the pieces', { path: 'use' }),
        ),
      );
    }
    // ffmpeg runs in the temporary folder; a relative path must still name the caller's file.
    const absolute = resolvePath(path);
    const deadline = Date.now() + timeoutMs;
    const work = withSplitVideo(
      {
        probeFile: async (file, until, signal) => {
          const output = await run('ffprobe', probeArgs(file), file, until, signal);
          const probed = parseProbedFile(output.stdout.toString('utf8'));
          if (probed.isErr()) throw probed.error;
          return probed.value;
        },
        ffmpeg: (args, file, until, signal, cwd) => run('ffmpeg', args, file, until, signal, cwd),
        input: fileInput,
        formatSeconds,
        tempDirectory: parsed.data.tempDirectory,
      },
      absolute,
      checked.value,
      deadline,
      use,
      (error) => operation(toMediaError(error)),
    );
    // Only the clean-up can still reject (a folder that would not go).
    return new ResultAsync(work.catch((error: unknown) => err(operation(toMediaError(error)))));
  };

  return {
    specificationVersion: 'v1',
    probe,
    extractFrames,
    extractThumbnailCandidates,
    splitVideo,
  };
}
