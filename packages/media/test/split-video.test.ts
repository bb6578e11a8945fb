import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { isVBucketsError, notFoundError, type VBucketsError } from '@vbuckets/core';
import type { MediaProbe, SplitVideoOptions, VideoPiece } from '@vbuckets/core/adapter-kit';
import { expectErrorCode, expectOk } from '@vbuckets/testkit';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaProbe, type MediaProbeSettings } from '../src/index';
import { createMediaFixtures, isAlive, type MediaFixtures, writeScript } from './media-fixtures';
import {
  createSplitFixtures,
  keyframeTimes,
  type SplitFixtures,
  streamDuration,
} from './split-fixtures';

const FRAME_SEC = 1 / 25;

let fixtures: MediaFixtures;
let clips: SplitFixtures;
// Encodes four small videos: room for a busy machine, not an expected duration.
beforeAll(() => {
  fixtures = createMediaFixtures();
  clips = createSplitFixtures(fixtures.folder);
}, 120_000);
afterAll(() => fixtures.remove());

let folders = 0;
/** A fresh, empty folder to give as `tempDirectory`, so a test can see what is left in it. */
function freshTempDirectory(): string {
  folders += 1;
  const folder = join(fixtures.folder, `split-temp-${folders}`);
  mkdirSync(folder);
  return folder;
}

function probeIn(tempDirectory: string, settings: MediaProbeSettings = {}): MediaProbe {
  return createMediaProbe({ tempDirectory, ...settings });
}

/** The method, which the port leaves optional and this adapter always has. */
function split<T>(
  probe: MediaProbe,
  path: string,
  options: SplitVideoOptions,
  use: (pieces: readonly VideoPiece[]) => ResultAsync<T, VBucketsError>,
): ResultAsync<T, VBucketsError> {
  if (probe.splitVideo === undefined) throw new Error('createMediaProbe has no splitVideo');
  return probe.splitVideo(path, options, use);
}

/** What a piece was while `use` ran: its fields, and whether its file was there. */
interface SeenPiece {
  index: number;
  startSec: number;
  durationSec: number;
  sizeBytes: number;
  path: string;
  existed: boolean;
  fileSize: number;
}

function look(pieces: readonly VideoPiece[]): SeenPiece[] {
  return pieces.map(({ index, startSec, durationSec, sizeBytes, path }) => ({
    index,
    startSec,
    durationSec,
    sizeBytes,
    path,
    existed: existsSync(path),
    fileSize: existsSync(path) ? statSync(path).size : -1,
  }));
}

/** Splits and hands back what `use` saw. */
function seen(probe: MediaProbe, path: string, options: SplitVideoOptions) {
  return expectOk(split(probe, path, options, (pieces) => okAsync(look(pieces))));
}

/**
 * Where ffmpeg's segment muxer starts each piece: at the first video keyframe at or after the
 * asked time, one cut per keyframe (a later cut that already passed waits for the next one).
 */
function expectedStarts(keyframes: readonly number[], cuts: readonly number[]): number[] {
  const starts = [0];
  let next = 0;
  for (const keyframe of keyframes) {
    const cut = cuts[next];
    if (cut !== undefined && keyframe > 0 && keyframe >= cut) {
      starts.push(keyframe);
      next += 1;
    }
  }
  return starts;
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('splitVideo', () => {
  it('cuts a 6 s video with 1 s keyframes into three 2 s pieces, each a valid video', async () => {
    const tempDirectory = freshTempDirectory();
    const media = probeIn(tempDirectory);
    const source = await expectOk(media.probe(clips.keyed));
    const pieces = await seen(media, clips.keyed, { segmentSeconds: 2 });

    expect(pieces.map((piece) => piece.index)).toEqual([0, 1, 2]);
    const keyframes = keyframeTimes(clips.keyed);
    expect(pieces.map((piece) => piece.startSec)).toEqual(expectedStarts(keyframes, [2, 4]));
    const total = pieces.reduce((sum, piece) => sum + piece.durationSec, 0);
    expect(Math.abs(total - source.durationSec)).toBeLessThanOrEqual(FRAME_SEC);
    for (const [index, piece] of pieces.entries()) {
      expect(piece.existed).toBe(true);
      expect(piece.sizeBytes).toBe(piece.fileSize);
      expect(piece.sizeBytes).toBeGreaterThan(0);
      expect(extname(piece.path)).toBe('.mp4');
      // startSec is the sum of the earlier pieces' durations.
      const before = pieces.slice(0, index).reduce((sum, each) => sum + each.durationSec, 0);
      expect(piece.startSec).toBeCloseTo(before, 6);
    }
    // Every piece lived in one folder under tempDirectory, which is gone with them.
    expect(new Set(pieces.map((piece) => dirname(piece.path))).size).toBe(1);
    expect(dirname(dirname(pieces[0]?.path ?? ''))).toBe(tempDirectory);
    expect(pieces.some((piece) => existsSync(piece.path))).toBe(false);
    expect(readdirSync(tempDirectory)).toEqual([]);
  });

  it('gives pieces that probe as video and open() streams their bytes', async () => {
    const media = probeIn(freshTempDirectory());
    const checks = await expectOk(
      split(media, clips.keyed, { segmentSeconds: 2 }, (pieces) => {
        const each = async (piece: VideoPiece) => {
          const info = await expectOk(media.probe(piece.path));
          const stream = await expectOk(piece.open());
          const bytes = await readStream(stream);
          return { info, same: bytes.equals(readFileSync(piece.path)), length: bytes.length };
        };
        // One after another, as a caller uploading them might.
        const all = async () => {
          const results = [];
          for (const piece of pieces) results.push(await each(piece));
          return results;
        };
        return ResultAsync.fromSafePromise(all());
      }),
    );
    expect(checks).toHaveLength(3);
    for (const { info, same, length } of checks) {
      expect(info).toMatchObject({ width: 160, height: 120, codecs: { video: 'h264' } });
      expect(info.durationSec).toBeCloseTo(2, 1);
      expect(same).toBe(true);
      expect(length).toBeGreaterThan(0);
    }
  });

  it('cuts at the keyframe at or after each cut point: 2.5 s starts a piece at 3 s', async () => {
    const keyframes = keyframeTimes(clips.keyed);
    expect(keyframes.slice(0, 4)).toEqual([0, 1, 2, 3]);
    const pieces = await seen(probeIn(freshTempDirectory()), clips.keyed, {
      cutPointsSec: [2.5, 4.2],
    });
    const starts = pieces.map((piece) => piece.startSec);
    expect(starts).toEqual(expectedStarts(keyframes, [2.5, 4.2]));
    // Stream copy cannot start a piece between keyframes: not at 2.5, and not back at 2.
    const [, second, third] = starts;
    expect(second).toBe(keyframes.find((time) => time >= 2.5));
    expect(third).toBe(keyframes.find((time) => time >= 4.2));
    expect(second).toBeGreaterThan(2.5);
    // Each piece runs to the next one's start (the last to the end of the video).
    const durations = pieces.map((piece) => piece.durationSec);
    const expected = [second ?? 0, (third ?? 0) - (second ?? 0), 6 - (third ?? 0)];
    for (const [index, duration] of durations.entries()) {
      expect(duration).toBeCloseTo(expected[index] ?? 0, 6);
    }
  });

  it('cut points past the end give fewer pieces', async () => {
    const media = probeIn(freshTempDirectory());
    const two = await seen(media, clips.keyed, { cutPointsSec: [2, 10, 20] });
    expect(two.map((piece) => piece.startSec)).toEqual([0, 2]);
    const one = await seen(media, clips.keyed, { cutPointsSec: [7] });
    expect(one).toHaveLength(1);
    expect(one[0]?.durationSec).toBeCloseTo(6, 6);
  });

  it('starts pieces exactly on the keyframes when audio runs past the pictures', async () => {
    const pieces = await seen(probeIn(freshTempDirectory()), clips.keyedAudio, {
      segmentSeconds: 2,
    });
    const keyframes = keyframeTimes(clips.keyedAudio);
    expect(pieces.map((piece) => piece.startSec)).toEqual(expectedStarts(keyframes, [2, 4]));
    // The container durations count the audio, which overhangs the cut a little: summing them
    // would have drifted by tens of ms. Each still covers its 2 s of video.
    for (const piece of pieces) {
      expect(piece.durationSec).toBeGreaterThanOrEqual(2 - FRAME_SEC);
      expect(piece.durationSec).toBeLessThan(2 + 3 * FRAME_SEC);
    }
  });

  it('keeps the source container: webm pieces for a webm', async () => {
    const media = probeIn(freshTempDirectory());
    const formats = await expectOk(
      split(media, clips.keyedWebm, { segmentSeconds: 3 }, (pieces) =>
        okAsync(
          pieces.map((piece) => ({
            extension: extname(piece.path),
            video: streamDuration(piece.path, 'v:0'),
            durationSec: piece.durationSec,
          })),
        ),
      ),
    );
    expect(formats.length).toBeGreaterThanOrEqual(2);
    for (const format of formats) expect(format.extension).toBe('.webm');
    const total = formats.reduce((sum, format) => sum + format.durationSec, 0);
    expect(Math.abs(total - 6)).toBeLessThanOrEqual(FRAME_SEC);
  });

  it('reads a relative path from the caller’s folder, though ffmpeg runs elsewhere', async () => {
    const path = relative(process.cwd(), clips.keyed);
    expect(path.startsWith('/')).toBe(false);
    expect(await seen(probeIn(freshTempDirectory()), path, { segmentSeconds: 3 })).toHaveLength(2);
  });

  it('removes the pieces when use fails, and hands its error back untouched', async () => {
    const tempDirectory = freshTempDirectory();
    let paths: string[] = [];
    const refusal = notFoundError('no such bucket');
    const error = await expectErrorCode(
      split(probeIn(tempDirectory), clips.keyed, { segmentSeconds: 2 }, (pieces) => {
        paths = pieces.map((piece) => piece.path);
        expect(paths.every((path) => existsSync(path))).toBe(true);
        return errAsync(refusal);
      }),
      'NOT_FOUND',
    );
    expect(error).toBe(refusal);
    expect(paths).toHaveLength(3);
    expect(paths.some((path) => existsSync(path))).toBe(false);
    expect(readdirSync(tempDirectory)).toEqual([]);
  });

  it('removes the pieces when use throws, answering an error', async () => {
    const tempDirectory = freshTempDirectory();
    const error = await expectErrorCode(
      split(probeIn(tempDirectory), clips.keyed, { segmentSeconds: 2 }, () => {
        throw new Error('use broke');
      }),
      'MEDIA',
    );
    expect(error.message).toContain('use broke');
    expect(readdirSync(tempDirectory)).toEqual([]);
  });

  it('opening a piece after use answered is a MEDIA error: the file is gone', async () => {
    const kept = await expectOk(
      split(probeIn(freshTempDirectory()), clips.keyed, { segmentSeconds: 3 }, (pieces) =>
        okAsync([...pieces]),
      ),
    );
    const error = await expectErrorCode(
      kept[0]?.open() as ResultAsync<unknown, VBucketsError>,
      'MEDIA',
    );
    expect(error.message).toContain('pieces exist only while');
  });

  it('kills ffmpeg when aborted mid-split: CANCELLED, child gone, nothing left, use not run', async () => {
    const tempDirectory = freshTempDirectory();
    const pidFile = join(fixtures.folder, 'split-ffmpeg.pid');
    const slow = writeScript(
      fixtures.folder,
      'slow-split-ffmpeg.sh',
      `echo $$ > '${pidFile}.tmp'\nmv '${pidFile}.tmp' '${pidFile}'\nexec sleep 600`,
    );
    const probe = probeIn(tempDirectory, { ffmpegPath: slow });
    const controller = new AbortController();
    let used = false;
    const pending = split(
      probe,
      clips.keyed,
      { segmentSeconds: 2, signal: controller.signal },
      () => {
        used = true;
        return okAsync(undefined);
      },
    );
    // Waits for the child to say it started, however long a busy machine takes (the test's
    // time limit bounds it); the child would outlive the test unless the abort kills it.
    while (!existsSync(pidFile)) await new Promise((resolve) => setTimeout(resolve, 10));
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(isAlive(pid)).toBe(true);
    // The temporary folder exists while ffmpeg runs.
    expect(readdirSync(tempDirectory)).toHaveLength(1);
    controller.abort();
    const error = await expectErrorCode(pending, 'CANCELLED');
    expect(error).toMatchObject({ adapter: 'media', operation: 'media.splitVideo' });
    expect(isAlive(pid)).toBe(false);
    expect(used).toBe(false);
    expect(readdirSync(tempDirectory)).toEqual([]);
  });

  it('starts nothing for an already aborted signal', async () => {
    const tempDirectory = freshTempDirectory();
    const error = await expectErrorCode(
      split(
        probeIn(tempDirectory),
        clips.keyed,
        { segmentSeconds: 2, signal: AbortSignal.abort() },
        () => okAsync(undefined),
      ),
      'CANCELLED',
    );
    expect(error.operation).toBe('media.splitVideo');
    expect(readdirSync(tempDirectory)).toEqual([]);
  });

  it.each([
    ['corrupt', () => fixtures.corrupt, /could not read the file/],
    ['truncated', () => clips.truncated, /could not read the file/],
    ['text', () => fixtures.text, /is it a video\?/],
    ['audio-only', () => fixtures.audioOnly, /^Not a video/],
  ])('refuses a %s file with MEDIA, leaving nothing behind', async (_name, file, message) => {
    const tempDirectory = freshTempDirectory();
    let used = false;
    const error = await expectErrorCode(
      split(probeIn(tempDirectory), file(), { segmentSeconds: 2 }, () => {
        used = true;
        return okAsync(undefined);
      }),
      'MEDIA',
    );
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(fixtures.folder);
    expect(error).toMatchObject({ adapter: 'media', operation: 'media.splitVideo' });
    expect(used).toBe(false);
    expect(readdirSync(tempDirectory)).toEqual([]);
  });

  it.each([
    [{}, 'segmentSeconds'],
    [{ segmentSeconds: 2, cutPointsSec: [1] }, 'cutPointsSec'],
    [{ segmentSeconds: 0 }, 'segmentSeconds'],
    [{ segmentSeconds: -1 }, 'segmentSeconds'],
    [{ segmentSeconds: Number.NaN }, 'segmentSeconds'],
    [{ segmentSeconds: Number.POSITIVE_INFINITY }, 'segmentSeconds'],
    [{ cutPointsSec: [] }, 'cutPointsSec'],
    [{ cutPointsSec: [2, 1] }, 'cutPointsSec.1'],
    [{ cutPointsSec: [1, 2, 2] }, 'cutPointsSec.2'],
    [{ cutPointsSec: [0, 1] }, 'cutPointsSec.0'],
    [{ cutPointsSec: [1, -3] }, 'cutPointsSec.1'],
    [{ cutPointsSec: [1, Number.POSITIVE_INFINITY] }, 'cutPointsSec.1'],
    [{ cutPointsSec: [Number.NaN] }, 'cutPointsSec.0'],
    [{ segmentSeconds: 2, pieces: 3 }, ''],
  ])('refuses options %j with VALIDATION at "%s"', async (options, path) => {
    const tempDirectory = freshTempDirectory();
    let used = false;
    const error = await expectErrorCode(
      split(probeIn(tempDirectory), clips.keyed, options as SplitVideoOptions, () => {
        used = true;
        return okAsync(undefined);
      }),
      'VALIDATION',
    );
    expect(error.path).toBe(path);
    expect(error.operation).toBe('media.splitVideo');
    expect(used).toBe(false);
    expect(readdirSync(tempDirectory)).toEqual([]);
  });

  it('refuses a missing use and an empty path with VALIDATION', async () => {
    const media = probeIn(freshTempDirectory());
    const noUse = await expectErrorCode(
      split(media, clips.keyed, { segmentSeconds: 2 }, undefined as never),
      'VALIDATION',
    );
    expect(noUse.path).toBe('use');
    const noPath = await expectErrorCode(
      split(media, '', { segmentSeconds: 2 }, () => okAsync(undefined)),
      'VALIDATION',
    );
    expect(noPath.path).toBe('path');
  });

  it('answers with the settings error when the settings are invalid', async () => {
    const refusing = createMediaProbe({ timeoutMs: -1 });
    const error = await expectErrorCode(
      split(refusing, clips.keyed, { segmentSeconds: 2 }, () => okAsync(undefined)),
      'VALIDATION',
    );
    expect(error.operation).toBe('media.splitVideo');
    expect(isVBucketsError(error)).toBe(true);
  });
});
