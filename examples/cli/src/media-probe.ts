import { spawn } from 'node:child_process';
import type { VBucketsError } from '@vbuckets/core';
import type { MediaInfo, MediaProbe } from '@vbuckets/core/adapter-kit';
import { createMediaProbe } from '@vbuckets/media';
import { type Result, ResultAsync } from 'neverthrow';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The media probe the CLI hands to the SDK, when ffprobe runs here (`FFPROBE_PATH`, else
 * `ffprobe` on the PATH). With it, intake refuses corrupt or truncated files and records
 * durations; without ffprobe, files are taken on their type check alone, as before.
 */
export async function availableMediaProbe(env: Env): Promise<MediaProbe | undefined> {
  const binary =
    env.FFPROBE_PATH === undefined || env.FFPROBE_PATH === '' ? 'ffprobe' : env.FFPROBE_PATH;
  const runs = await new Promise<boolean>((resolve) => {
    try {
      const child = spawn(binary, ['-version'], { stdio: 'ignore', windowsHide: true });
      child.on('error', () => resolve(false));
      child.on('close', (code) => resolve(code === 0));
    } catch {
      resolve(false);
    }
  });
  return runs ? createMediaProbe({ env: { ...env } }) : undefined;
}

/** `{ mediaProbe }` for `withVBuckets`'s extra options when ffprobe runs here, else `{}`. */
export async function probeOption(env: Env): Promise<{ mediaProbe?: MediaProbe }> {
  const mediaProbe = await availableMediaProbe(env);
  return mediaProbe === undefined ? {} : { mediaProbe };
}

/**
 * A probe that runs ffprobe once per path and gives every later call for that path the same
 * answer: `categorize` reads a file's container tags before the batch, and intake's check of
 * the same file then takes that run instead of starting ffprobe again. For one command's files.
 */
export function probeOncePerPath(probe: MediaProbe): MediaProbe {
  const answers = new Map<string, PromiseLike<Result<MediaInfo, VBucketsError>>>();
  return {
    specificationVersion: 'v1',
    probe: (path, options) => {
      let answer = answers.get(path);
      if (answer === undefined) {
        answer = probe.probe(path, options);
        answers.set(path, answer);
      }
      return new ResultAsync(Promise.resolve(answer));
    },
    extractFrames: (path, timestampsSec, options) =>
      probe.extractFrames(path, timestampsSec, options),
    // Passed through when the wrapped probe has it: without it, thumbnail candidates are refused.
    ...(probe.extractThumbnailCandidates === undefined
      ? {}
      : {
          extractThumbnailCandidates: probe.extractThumbnailCandidates.bind(probe),
        }),
    ...(probe.splitVideo === undefined ? {} : { splitVideo: probe.splitVideo.bind(probe) }),
  };
}
