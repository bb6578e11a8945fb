import { planFrameTimestamps } from '@vbuckets/core/domain';
import { expectErrorCode, expectOk } from '@vbuckets/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaProbe } from '../src/index';
import { createMediaFixtures, jpegSize, type MediaFixtures } from './media-fixtures';

let fixtures: MediaFixtures;
beforeAll(() => {
  fixtures = createMediaFixtures();
});
afterAll(() => fixtures.remove());

const media = createMediaProbe();

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes.at(-2) === 0xff && bytes.at(-1) === 0xd9;
}

describe('probe', () => {
  it('reads duration, size, codecs, audio and lower-cased container tags', async () => {
    const info = await expectOk(media.probe(fixtures.clip));
    expect(info.durationSec).toBeGreaterThan(11.9);
    expect(info.durationSec).toBeLessThan(12.1);
    expect(info).toMatchObject({
      width: 160,
      height: 120,
      codecs: { video: 'h264', audio: 'aac' },
      hasAudio: true,
    });
    expect(info.tags).toMatchObject({ title: 'Hook test', comment: 'made for vbuckets' });
    expect(Object.keys(info.tags).every((key) => key === key.toLowerCase())).toBe(true);
  });

  it('reports a video without audio', async () => {
    const info = await expectOk(media.probe(fixtures.silent));
    expect(info.durationSec).toBeCloseTo(2, 1);
    expect(info.hasAudio).toBe(false);
    expect(info.codecs).toEqual({ video: 'h264', audio: null });
  });

  it('reads webm (vp8)', async () => {
    const info = await expectOk(media.probe(fixtures.webm));
    expect(info).toMatchObject({ width: 160, height: 120, codecs: { video: 'vp8' } });
    expect(info.durationSec).toBeCloseTo(2, 1);
  });

  it('refuses a corrupt file with MEDIA, advice and no folder path', async () => {
    const error = await expectErrorCode(media.probe(fixtures.corrupt), 'MEDIA');
    expect(error.message).toMatch(/^ffprobe could not read the file \(exit 1: /);
    expect(error).toMatchObject({ adapter: 'media', operation: 'media.probe' });
    expect(error.message).toContain('Invalid data found when processing input');
    expect(error.message).toContain('ffmpeg -i in -c:v libx264');
    expect(error.message).not.toContain(fixtures.folder);
  });

  it('refuses a text file with MEDIA and advice', async () => {
    const error = await expectErrorCode(media.probe(fixtures.text), 'MEDIA');
    expect(error.message).toContain('is it a video?');
  });

  it('refuses an audio-only file: not a video', async () => {
    const error = await expectErrorCode(media.probe(fixtures.audioOnly), 'MEDIA');
    expect(error.message).toMatch(/^Not a video: the file has no video stream \(only audio\)/);
  });

  it('names a missing file without the re-encode advice', async () => {
    const error = await expectErrorCode(media.probe(`${fixtures.folder}/absent.mp4`), 'MEDIA');
    expect(error.message).toContain('No such file or directory');
    expect(error.message).toContain('check the path');
    expect(error.message).not.toContain(fixtures.folder);
  });

  // A path is a local file name, never a URL or an option: `file:` pins ffmpeg's protocol.
  it('does not treat a URL-looking path as a URL', async () => {
    const error = await expectErrorCode(media.probe('http://127.0.0.1:9/clip.mp4'), 'MEDIA');
    expect(error.message).toContain('No such file or directory');
  });

  it('refuses an empty path with VALIDATION', async () => {
    const error = await expectErrorCode(media.probe(''), 'VALIDATION');
    expect(error.path).toBe('path');
  });
});

describe('extractFrames', () => {
  it('returns one JPEG per timestamp at 0, 3 and 10 s, each a different picture', async () => {
    const frames = await expectOk(media.extractFrames(fixtures.clip, [0, 3, 10]));
    expect(frames).toHaveLength(3);
    for (const frame of frames) {
      expect(frame).toBeInstanceOf(Uint8Array);
      expect(isJpeg(frame)).toBe(true);
      expect(jpegSize(frame)).toEqual({ width: 160, height: 120 });
      expect(frame.length).toBeGreaterThan(1000);
    }
    const distinct = new Set(frames.map((frame) => Buffer.from(frame).toString('base64')));
    expect(distinct.size).toBe(3);
  });

  it('keeps the order given', async () => {
    const forward = await expectOk(media.extractFrames(fixtures.clip, [0, 10]));
    const backward = await expectOk(media.extractFrames(fixtures.clip, [10, 0]));
    expect(Buffer.from(backward[0] ?? [])).toEqual(Buffer.from(forward[1] ?? []));
    expect(Buffer.from(backward[1] ?? [])).toEqual(Buffer.from(forward[0] ?? []));
    expect(Buffer.from(forward[0] ?? [])).not.toEqual(Buffer.from(forward[1] ?? []));
  });

  it('extracts from webm', async () => {
    const frames = await expectOk(media.extractFrames(fixtures.webm, [1]));
    expect(isJpeg(frames[0] ?? new Uint8Array())).toBe(true);
  });

  it('answers an empty list with no frames', async () => {
    expect(await expectOk(media.extractFrames(fixtures.clip, []))).toEqual([]);
  });

  it('fails past the end with MEDIA naming the timestamp and planFrameTimestamps', async () => {
    const error = await expectErrorCode(media.extractFrames(fixtures.silent, [0, 10]), 'MEDIA');
    expect(error.message).toMatch(/^No frame at 10 s/);
    expect(error).toMatchObject({ adapter: 'media', operation: 'media.extractFrames' });
    expect(error.message).toContain('planFrameTimestamps');
    expect(error.details).toMatchObject({ timestampSec: 10 });
  });

  it('works with timestamps planned by planFrameTimestamps on a short video', async () => {
    const info = await expectOk(media.probe(fixtures.silent));
    const planned = planFrameTimestamps(info.durationSec)._unsafeUnwrap();
    const frames = await expectOk(media.extractFrames(fixtures.silent, planned));
    expect(frames).toHaveLength(planned.length);
    expect(frames.every(isJpeg)).toBe(true);
  });

  it.each([
    [[-1], 'timestampsSec.0'],
    [[0, Number.NaN], 'timestampsSec.1'],
    [[0, 3, Number.POSITIVE_INFINITY], 'timestampsSec.2'],
  ])('refuses %j with VALIDATION at %s', async (timestamps, path) => {
    const error = await expectErrorCode(
      media.extractFrames(fixtures.clip, timestamps),
      'VALIDATION',
    );
    expect(error.path).toBe(path);
  });

  it.each([
    ['corrupt', () => fixtures.corrupt],
    ['text', () => fixtures.text],
  ])('refuses a %s file with MEDIA and advice', async (_name, path) => {
    const error = await expectErrorCode(media.extractFrames(path(), [0]), 'MEDIA');
    expect(error.message).toMatch(/^ffmpeg could not read the file \(exit \d+: /);
    expect(error.message).toContain('ffmpeg -i in -c:v libx264');
    expect(error.message).not.toContain(fixtures.folder);
  });

  it('refuses an audio-only file with MEDIA (no frame)', async () => {
    const error = await expectErrorCode(media.extractFrames(fixtures.audioOnly, [0]), 'MEDIA');
    expect(error.message).toMatch(/ffmpeg|No frame/);
  });
});
