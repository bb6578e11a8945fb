import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type {
  MediaProbe,
  ThumbnailCandidate,
  ThumbnailCandidateOptions,
} from '@vbuckets/core/adapter-kit';
import { thumbnailQualityScore } from '@vbuckets/core/domain';
import { expectErrorCode, expectOk } from '@vbuckets/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaProbe } from '../src/index';
import {
  createMediaFixtures,
  isAlive,
  jpegSize,
  type MediaFixtures,
  writeScript,
} from './media-fixtures';
import {
  createThumbnailFixtures,
  inScene,
  SCENES,
  type ThumbnailFixtures,
} from './thumbnail-fixtures';

let fixtures: MediaFixtures;
let clips: ThumbnailFixtures;
beforeAll(() => {
  fixtures = createMediaFixtures();
  clips = createThumbnailFixtures(fixtures.folder);
});
afterAll(() => fixtures.remove());

const media = createMediaProbe();

/** The method, which the port leaves optional and this adapter always has. */
function extract(probe: MediaProbe, path: string, options: ThumbnailCandidateOptions) {
  if (probe.extractThumbnailCandidates === undefined) {
    throw new Error('createMediaProbe has no extractThumbnailCandidates');
  }
  return probe.extractThumbnailCandidates(path, options);
}

function candidates(path: string, count: number, maxWidth?: number) {
  return extract(media, path, { count, ...(maxWidth === undefined ? {} : { maxWidth }) });
}

function only(list: ThumbnailCandidate[], scene: readonly [number, number]): ThumbnailCandidate {
  const found = list.filter((each) => inScene(each.timestampSec, scene));
  expect(found.length, `one candidate in ${scene.join('–')} s`).toBeGreaterThanOrEqual(1);
  return found[0] as ThumbnailCandidate;
}

describe('extractThumbnailCandidates', () => {
  it('spreads distinct candidates over the video, in time order, as whole JPEGs', async () => {
    const list = await expectOk(candidates(clips.scenes, 6));
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.length).toBeLessThanOrEqual(6);
    const times = list.map((each) => each.timestampSec);
    expect(times).toEqual([...times].sort((left, right) => left - right));
    expect(new Set(times).size).toBe(times.length);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(4);
    for (const candidate of list) {
      expect(candidate.jpeg[0]).toBe(0xff);
      expect(candidate.jpeg[1]).toBe(0xd8);
      expect(jpegSize(candidate.jpeg)).toEqual({ width: 320, height: 240 });
      expect(candidate).toMatchObject({ width: 320, height: 240 });
      for (const value of Object.values(candidate.metrics)) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
    // Different scenes, so different pictures.
    const distinct = new Set(list.map((each) => Buffer.from(each.jpeg).toString('base64')));
    expect(distinct.size).toBe(list.length);
  });

  it('measures the dark scene darker and the blurred scene less sharp than the clean one', async () => {
    const list = await expectOk(candidates(clips.scenes, 12));
    const clean = only(list, SCENES.clean);
    const dark = only(list, SCENES.dark);
    const blurred = only(list, SCENES.blurred);
    expect(dark.metrics.brightness).toBeLessThan(clean.metrics.brightness / 2);
    expect(blurred.metrics.sharpness).toBeLessThan(clean.metrics.sharpness / 2);
    // The test pattern is saturated and full range; a sharp edge map shows it.
    expect(clean.metrics.colourfulness).toBeGreaterThan(0.5);
    expect(clean.metrics.contrast).toBeGreaterThan(0.4);
    expect(clean.metrics.sharpness).toBeGreaterThan(0.2);
    // The heuristic ranks the clean frame above the dark and the blurred ones.
    expect(thumbnailQualityScore(clean.metrics)).toBeGreaterThan(
      thumbnailQualityScore(dark.metrics),
    );
    expect(thumbnailQualityScore(clean.metrics)).toBeGreaterThan(
      thumbnailQualityScore(blurred.metrics),
    );
  });

  it('keeps the best when asked for fewer: the dark scene goes first', async () => {
    const list = await expectOk(candidates(clips.scenes, 2));
    expect(list).toHaveLength(2);
    expect(list.some((each) => inScene(each.timestampSec, SCENES.dark))).toBe(false);
  });

  it('drops near-duplicates: a static clip gives one candidate', async () => {
    const list = await expectOk(candidates(clips.still, 6));
    expect(list).toHaveLength(1);
    expect(list[0]?.metrics.sharpness).toBeLessThan(0.05);
  });

  it('scales JPEGs down to maxWidth, keeping the aspect ratio', async () => {
    const list = await expectOk(candidates(clips.scenes, 2, 160));
    for (const candidate of list) {
      expect(jpegSize(candidate.jpeg)).toEqual({ width: 160, height: 120 });
      expect(candidate).toMatchObject({ width: 160, height: 120 });
    }
  });

  it('reads a relative path from the caller’s folder, though ffmpeg runs elsewhere', async () => {
    const path = relative(process.cwd(), clips.still);
    expect(path.startsWith('/')).toBe(false);
    expect(await expectOk(candidates(path, 1))).toHaveLength(1);
  });

  it('refuses a text file with MEDIA naming the operation', async () => {
    const error = await expectErrorCode(candidates(fixtures.text, 3), 'MEDIA');
    expect(error).toMatchObject({
      adapter: 'media',
      operation: 'media.extractThumbnailCandidates',
    });
    expect(error.message).not.toContain(fixtures.folder);
  });

  it('refuses an audio-only file: not a video', async () => {
    const error = await expectErrorCode(candidates(fixtures.audioOnly, 3), 'MEDIA');
    expect(error.message).toMatch(/^Not a video/);
  });

  it.each([
    [{ count: 0 }, 'count'],
    [{ count: 2.5 }, 'count'],
    [{ count: 3, maxWidth: -1 }, 'maxWidth'],
    [{ count: 3, colour: true }, ''],
  ])('refuses options %j with VALIDATION at "%s"', async (options, path) => {
    const error = await expectErrorCode(
      extract(media, clips.still, options as ThumbnailCandidateOptions),
      'VALIDATION',
    );
    expect(error.path).toBe(path);
  });

  it('answers every call with the settings error when the settings are invalid', async () => {
    const refusing = createMediaProbe({ timeoutMs: -1 });
    const error = await expectErrorCode(extract(refusing, clips.still, { count: 1 }), 'VALIDATION');
    expect(error.operation).toBe('media.extractThumbnailCandidates');
  });

  it('kills ffmpeg when aborted mid-call: CANCELLED, child gone, temporary folder removed', async () => {
    const tempDirectory = join(fixtures.folder, 'thumbnail-temp');
    mkdirSync(tempDirectory);
    const pidFile = join(fixtures.folder, 'thumbnail-ffmpeg.pid');
    const slow = writeScript(
      fixtures.folder,
      'slow-thumbnail-ffmpeg.sh',
      `echo $$ > '${pidFile}.tmp'\nmv '${pidFile}.tmp' '${pidFile}'\nexec sleep 600`,
    );
    const probe = createMediaProbe({ ffmpegPath: slow, tempDirectory });
    const controller = new AbortController();
    const pending = extract(probe, clips.scenes, { count: 3, signal: controller.signal });
    // Waits for the child to say it started, however long a busy machine takes (the test's
    // time limit bounds it); the child would outlive the test unless the abort kills it.
    while (!existsSync(pidFile)) await new Promise((resolve) => setTimeout(resolve, 10));
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(isAlive(pid)).toBe(true);
    controller.abort();
    await expectErrorCode(pending, 'CANCELLED');
    expect(isAlive(pid)).toBe(false);
    expect(readdirSync(tempDirectory)).toEqual([]);
  });

  it('starts nothing for an already aborted signal', async () => {
    const error = await expectErrorCode(
      extract(media, clips.scenes, { count: 3, signal: AbortSignal.abort() }),
      'CANCELLED',
    );
    expect(error.operation).toBe('media.extractThumbnailCandidates');
  });
});
