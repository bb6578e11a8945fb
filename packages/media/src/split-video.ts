import { mkdtemp, open as openFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fromZodError, isVBucketsError, VBucketsError } from '@vbuckets/core';
import type { VideoPiece } from '@vbuckets/core/adapter-kit';
import { err, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { ProbedFile } from './ffprobe-output';
import { abortError } from './media-error';
import type { RunOutput } from './media-process';

const seconds = z.number({ error: 'must be a finite number of seconds' }).positive({
  error: 'must be more than 0 seconds',
});

const OptionsSchema = z
  .strictObject({
    segmentSeconds: seconds.optional(),
    cutPointsSec: z
      .array(seconds, { error: 'must be a list of seconds' })
      .min(1, { error: 'must name at least one cut point' })
      .optional(),
    signal: z
      .custom<AbortSignal>((value) => value instanceof AbortSignal, {
        error: 'must be an AbortSignal',
      })
      .optional(),
  })
  .superRefine((options, context) => {
    const { segmentSeconds, cutPointsSec } = options;
    if (segmentSeconds === undefined && cutPointsSec === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['segmentSeconds'],
        message: 'give segmentSeconds (a fixed length) or cutPointsSec (where to cut)',
      });
    } else if (segmentSeconds !== undefined && cutPointsSec !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['cutPointsSec'],
        message: 'give segmentSeconds or cutPointsSec, not both',
      });
    }
    for (const [index, point] of (cutPointsSec ?? []).entries()) {
      const before = cutPointsSec?.[index - 1];
      if (index > 0 && before !== undefined && point <= before) {
        context.addIssue({
          code: 'custom',
          path: ['cutPointsSec', index],
          message: `must be after the cut point before it (${before} s): cut points ascend`,
        });
        return;
      }
    }
  });

export type CheckedSplitOptions = z.output<typeof OptionsSchema>;

/** The options checked, or their VALIDATION error naming the field. */
export function checkSplitOptions(
  options: unknown,
): { ok: true; value: CheckedSplitOptions } | { ok: false; error: VBucketsError } {
  const parsed = OptionsSchema.safeParse(options);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: fromZodError(parsed.error, 'split options') };
}

/** What the splitter borrows from the probe: its processes. */
export interface SplitTools {
  probeFile(path: string, deadline: number, signal: AbortSignal | undefined): Promise<ProbedFile>;
  ffmpeg(
    args: string[],
    path: string,
    deadline: number,
    signal: AbortSignal | undefined,
    cwd: string,
  ): Promise<RunOutput>;
  input(path: string): string;
  formatSeconds(seconds: number): string;
  tempDirectory: string | undefined;
}

/**
 * The pieces keep the source's extension, so the segment muxer writes the source's container.
 * Without a plain one (none, or one with `%`, which the muxer would read as a pattern) they
 * are matroska, which holds any codec.
 */
function pieceExtension(path: string): string {
  const extension = extname(path);
  return /^\.[A-Za-z0-9]{1,10}$/.test(extension) ? extension : '.mkv';
}

function segmentArgs(
  tools: SplitTools,
  path: string,
  options: CheckedSplitOptions,
  pattern: string,
): string[] {
  // At least a microsecond, and two cut points that round to the same time are one cut.
  const format = (value: number) => tools.formatSeconds(Math.max(value, 0.000001));
  const where =
    options.cutPointsSec === undefined
      ? ['-segment_time', format(options.segmentSeconds ?? 0)]
      : ['-segment_times', [...new Set(options.cutPointsSec.map(format))].join(',')];
  return [
    '-v',
    'error',
    '-nostdin',
    '-i',
    tools.input(path),
    '-map',
    '0',
    '-ignore_unknown',
    '-c',
    'copy',
    '-f',
    'segment',
    ...where,
    '-reset_timestamps',
    '1',
    pattern,
  ];
}

/** Names the piece by its file name: the temporary folder may sit in a user's folders. */
function pieceReadError(path: string, cause: unknown): VBucketsError {
  const errno = (cause as { code?: unknown } | null)?.code;
  const piece = basename(path);
  const message =
    errno === 'ENOENT'
      ? `The video piece ${piece} is gone: pieces exist only while splitVideo's use runs`
      : `The video piece ${piece} could not be read (${typeof errno === 'string' ? errno : String(cause)})`;
  return new VBucketsError('MEDIA', message, {
    cause,
    details: { piece, ...(typeof errno === 'string' ? { errno } : {}) },
  });
}

function openPiece(path: string): ResultAsync<ReadableStream<Uint8Array>, VBucketsError> {
  const opening = async () => {
    const handle = await openFile(path, 'r');
    // 1 MiB reads, as `videoFile` does: pieces are often tens of MB. The stream closes the
    // handle when it ends or is cancelled.
    const stream = handle.createReadStream({ highWaterMark: 1024 * 1024 });
    return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
  };
  return ResultAsync.fromPromise(opening(), (error) => pieceReadError(path, error));
}

/**
 * Cuts the video with one stream-copy run of ffmpeg's segment muxer into `folder`, then probes
 * each piece in order. `startSec` is the sum of the earlier pieces' video durations: the muxer
 * cuts on video keyframes and copies video packets whole, so those durations are exactly the
 * distances between the cuts. (The container duration also counts audio running past the last
 * picture, and ffmpeg's `-segment_list` times are shifted by the source's start offset, such
 * as AAC priming: either would put later pieces a few tens of ms off.)
 */
async function cutPieces(
  tools: SplitTools,
  path: string,
  options: CheckedSplitOptions,
  deadline: number,
  folder: string,
): Promise<VideoPiece[]> {
  const { signal } = options;
  const extension = pieceExtension(path);
  const pattern = `piece-%05d${extension}`;
  // Relative to the folder ffmpeg runs in, so a `%` in the temporary folder's path is no pattern.
  await tools.ffmpeg(segmentArgs(tools, path, options, pattern), path, deadline, signal, folder);
  // In number order: past piece 99999 the names grow a digit and would sort out of order.
  const names = (await readdir(folder))
    .map((name) => ({ name, number: /^piece-(\d+)\./.exec(name)?.[1] }))
    .filter((entry) => entry.number !== undefined && entry.name.endsWith(extension))
    .sort((left, right) => Number(left.number) - Number(right.number))
    .map((entry) => entry.name);
  const pieces: VideoPiece[] = [];
  let startSec = 0;
  for (const name of names) {
    const piecePath = join(folder, name);
    const probed = await tools.probeFile(piecePath, deadline, signal);
    const { size } = await stat(piecePath);
    const durationSec = probed.info.durationSec;
    if (durationSec <= 0) continue;
    pieces.push({
      index: pieces.length,
      startSec,
      durationSec,
      sizeBytes: size,
      path: piecePath,
      open: () => openPiece(piecePath),
    });
    startSec += probed.videoDurationSec ?? durationSec;
  }
  return pieces;
}

/**
 * Splits the video into a fresh temporary folder, runs `use` with the pieces and removes the
 * folder after, whatever happened. Errors of the split itself go through `tagSplitError`
 * (MEDIA, VALIDATION, CANCELLED); `use`'s answer is handed back untouched.
 */
export async function withSplitVideo<T>(
  tools: SplitTools,
  path: string,
  options: CheckedSplitOptions,
  deadline: number,
  use: (pieces: readonly VideoPiece[]) => ResultAsync<T, VBucketsError>,
  tagSplitError: (error: unknown) => VBucketsError,
): Promise<Result<T, VBucketsError>> {
  const { signal } = options;
  let folder: string | undefined;
  try {
    let pieces: VideoPiece[];
    try {
      // Probed first: an unreadable or audio-only file is refused with probe's own words, and
      // before anything is written.
      await tools.probeFile(path, deadline, signal);
      folder = await mkdtemp(join(tools.tempDirectory ?? tmpdir(), 'vbuckets-pieces-'));
      pieces = await cutPieces(tools, path, options, deadline, folder);
      if (signal?.aborted) throw abortError('ffmpeg', signal.reason);
    } catch (error) {
      return err(tagSplitError(error));
    }
    try {
      return await use(pieces);
    } catch (error) {
      // `use` broke its contract (threw, or its ResultAsync rejected): still an error value.
      return err(
        isVBucketsError(error)
          ? error
          : new VBucketsError(
              'MEDIA',
              `splitVideo's use threw instead of answering an error: ${error instanceof Error ? error.message : String(error)}`,
              { cause: error },
            ),
      );
    }
  } finally {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  }
}
