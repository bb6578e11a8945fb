import { cancelledError, VBucketsError } from '@vbuckets/core';

/** The two programs this package runs, with where a user can point to their binary. */
export type MediaTool = 'ffprobe' | 'ffmpeg';

const TOOL_SETTINGS: Record<MediaTool, { environment: string; option: string }> = {
  ffprobe: { environment: 'FFPROBE_PATH', option: 'ffprobePath' },
  ffmpeg: { environment: 'FFMPEG_PATH', option: 'ffmpegPath' },
};

export const REENCODE_ADVICE =
  'is it a video? re-encode it with `ffmpeg -i in -c:v libx264 -c:a aac out.mp4`';

/** The binary could not be started: absent (ENOENT) or not executable (EACCES, …). */
export function binaryError(tool: MediaTool, binary: string, cause: unknown): VBucketsError {
  const { environment, option } = TOOL_SETTINGS[tool];
  const errno = (cause as { code?: unknown } | null)?.code;
  const where = `install ffmpeg (apt-get install ffmpeg, brew install ffmpeg) or set ${environment} / the ${option} option`;
  const message =
    errno === 'ENOENT'
      ? `${tool} not found (looked for "${binary}"): ${where}`
      : `${tool} could not be started ("${binary}", ${typeof errno === 'string' ? errno : String(cause)}): check that it is an executable file, or ${where}`;
  return new VBucketsError('MEDIA', message, {
    cause,
    details: { tool, binary, ...(typeof errno === 'string' ? { errno } : {}) },
  });
}

/**
 * ffmpeg's stderr made fit for a message: the input path (which may name a user's folders)
 * replaced by `input`, the `@ 0x55…` context addresses dropped, lines joined, length bounded.
 */
export function cleanStderr(stderr: string, inputs: readonly string[]): string {
  let text = stderr;
  for (const input of inputs) {
    if (input !== '') text = text.split(input).join('input');
  }
  const cleaned = text
    .replace(/ @ 0x[0-9a-f]+\]/gi, ']')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('; ');
  return cleaned.length > 500 ? `${cleaned.slice(0, 497)}...` : cleaned;
}

/** The tool ran and exited non-zero (or was killed by someone else). */
export function exitError(
  tool: MediaTool,
  exit: { code: number | null; signal: string | null },
  stderr: string,
): VBucketsError {
  const status =
    exit.code === null ? `killed by ${exit.signal ?? 'a signal'}` : `exit ${exit.code}`;
  const reason = stderr === '' ? status : `${status}: ${stderr}`;
  const advice = /no such file or directory/i.test(stderr)
    ? 'check the path'
    : /permission denied/i.test(stderr)
      ? 'check that the file is readable'
      : REENCODE_ADVICE;
  return new VBucketsError('MEDIA', `${tool} could not read the file (${reason}); ${advice}`, {
    details: { tool, exitCode: exit.code, signal: exit.signal, stderr },
  });
}

export function timeoutError(tool: MediaTool, timeoutMs: number): VBucketsError {
  return new VBucketsError(
    'MEDIA',
    `${tool} timed out after ${timeoutMs} ms and was killed; raise the timeoutMs option for large files or slow disks`,
    { retryable: true, details: { tool, timeoutMs } },
  );
}

export function abortError(tool: MediaTool, reason: unknown): VBucketsError {
  return cancelledError(`${tool} was cancelled (the process was killed)`, {
    ...(reason === undefined ? {} : { cause: reason }),
    details: { tool },
  });
}

export function outputTooLargeError(tool: MediaTool, limitBytes: number): VBucketsError {
  return new VBucketsError(
    'MEDIA',
    `${tool} wrote more than ${limitBytes} bytes and was stopped; ${REENCODE_ADVICE}`,
    { details: { tool, limitBytes } },
  );
}

/** An answer we could not understand (ffprobe JSON that does not parse, a frame that is not a JPEG). */
export function unreadableOutputError(
  tool: MediaTool,
  what: string,
  cause?: unknown,
): VBucketsError {
  return new VBucketsError('MEDIA', `${tool} ${what}; ${REENCODE_ADVICE}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { tool },
  });
}

/** ffprobe read the file but found no moving picture in it (audio only, subtitles, data). */
export function notVideoError(streamKinds: readonly string[]): VBucketsError {
  const found = streamKinds.length === 0 ? 'no streams at all' : `only ${streamKinds.join(', ')}`;
  return new VBucketsError(
    'MEDIA',
    `Not a video: the file has no video stream (${found}); pass a video file such as mp4, mov or webm`,
    { details: { tool: 'ffprobe', streams: [...streamKinds] } },
  );
}
