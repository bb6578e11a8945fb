import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type Bucket, VBucketsError } from '@vbuckets/core';
import type { AnalyzerVideo } from '@vbuckets/core/adapter-kit';
import { makeBucket, makeTenant } from '@vbuckets/testkit';
import { decode } from 'jpeg-js';
import { errAsync, okAsync } from 'neverthrow';

/** How bright a timeline video's frame is per second of its time: luma = 20 × t. */
export const LUMA_PER_SECOND = 20;

export interface VideoFixtures {
  folder: string;
  /** 12 s, 960×540 (landscape), 10 fps, grey whose level says the time: luma 20 × t. */
  landscape: string;
  /** 4 s, 720×1280 (vertical, as UGC ads are), the same timeline. */
  vertical: string;
  /** 2 s, 320×240: small enough to be sent as extracted. */
  small: string;
  /** Random bytes named .mp4. */
  corrupt: string;
  remove(): void;
}

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A video whose frames differ by time: a flat grey of luma 20 × t, so the mean brightness of a
 * frame tells the second it was taken at (0 s → 0, 3 s → 60, 10 s → 200).
 */
function timeline(path: string, size: string, seconds: number): void {
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${size}:r=10:d=${seconds},format=gray,geq=lum='${LUMA_PER_SECOND}*T'`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '20',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
}

/** Small real videos made with the real ffmpeg (about a second in all). */
export function createVideoFixtures(): VideoFixtures {
  const folder = mkdtempSync(join(tmpdir(), 'vbuckets-anthropic-'));
  const at = (name: string) => join(folder, name);
  timeline(at('landscape.mp4'), '960x540', 12);
  timeline(at('vertical.mp4'), '720x1280', 4);
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=10:duration=2',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    at('small.mp4'),
  ]);
  writeFileSync(at('corrupt.mp4'), randomBytes(8192));
  return {
    folder,
    landscape: at('landscape.mp4'),
    vertical: at('vertical.mp4'),
    small: at('small.mp4'),
    corrupt: at('corrupt.mp4'),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** A video read from a local file, as the pipeline hands it over (a stream per open). */
export function fileVideo(
  path: string,
  options: { filename?: string; knownText?: string } = {},
): AnalyzerVideo {
  return {
    filename: options.filename ?? 'clip.mp4',
    mimeType: 'video/mp4',
    sizeBytes: statSync(path).size,
    ...(options.knownText === undefined ? {} : { knownText: options.knownText }),
    open: () =>
      okAsync(Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>),
  };
}

/** A video whose stream never delivers a byte, for cancelling a stalled copy. */
export function stalledVideo(): AnalyzerVideo {
  return {
    filename: 'stalled.mp4',
    mimeType: 'video/mp4',
    sizeBytes: 1000,
    open: () => okAsync(new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) })),
  };
}

/** A video whose bytes cannot be opened. */
export function unopenableVideo(): AnalyzerVideo {
  return {
    filename: 'gone.mp4',
    mimeType: 'video/mp4',
    sizeBytes: 10,
    open: () =>
      errAsync(new VBucketsError('NOT_FOUND', 'No blob under "gone.mp4"', { adapter: 'memory' })),
  };
}

/** The mean brightness of a JPEG, 0 to 255. */
export function meanLuma(jpeg: Uint8Array): number {
  const image = decode(jpeg, { useTArray: true, formatAsRGBA: true });
  let sum = 0;
  for (let index = 0; index < image.data.length; index += 4) {
    sum +=
      ((image.data[index] ?? 0) + (image.data[index + 1] ?? 0) + (image.data[index + 2] ?? 0)) / 3;
  }
  return sum / (image.data.length / 4);
}

export function makeBuckets(): Bucket[] {
  const tenant = makeTenant();
  const owned = { orgId: tenant.orgId, productId: tenant.productId };
  return [
    makeBucket({
      ...owned,
      name: 'Gut Health',
      bestFor: 'Digestion stories',
      angle: 'Educational',
      avatar: 'Women 30-50 with bloating',
      painPoints: ['bloating', 'irregularity'],
      solutionMechanism: ['probiotic blend'],
      keyCopyHooks: ['Your gut is talking'],
    }),
    makeBucket({
      ...owned,
      name: 'Energy & Focus',
      bestFor: 'Busy professionals',
      angle: 'Aspirational',
      avatar: 'Founders in their 30s',
      painPoints: ['afternoon crash'],
      solutionMechanism: ['adaptogens'],
      keyCopyHooks: ['Skip the 3 pm slump'],
    }),
  ];
}
