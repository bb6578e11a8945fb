import { describe, expect, it } from 'vitest';
import {
  createFakeMediaProbe,
  makeMediaInfo,
  makeThumbnailCandidate,
} from '../../src/testing/fake-media-probe';

describe('createFakeMediaProbe', () => {
  it('answers probe and extractFrames from separate queues and records both', async () => {
    const probe = createFakeMediaProbe();
    const frame = new Uint8Array([0xff, 0xd8]);
    probe.queueProbe(makeMediaInfo({ durationSec: 3 }));
    probe.queueExtractFrames((call) => (call.timestampsSec ?? []).map(() => frame));

    expect((await probe.probe('/videos/a.mp4'))._unsafeUnwrap().durationSec).toBe(3);
    expect((await probe.extractFrames('/videos/a.mp4', [0, 1.5]))._unsafeUnwrap()).toEqual([
      frame,
      frame,
    ]);
    expect(probe.calls).toEqual([
      { method: 'probe', path: '/videos/a.mp4', options: undefined },
      {
        method: 'extractFrames',
        path: '/videos/a.mp4',
        timestampsSec: [0, 1.5],
        options: undefined,
      },
    ]);
  });

  it('fails with MEDIA when a queue is empty and there is no fallback', async () => {
    const probe = createFakeMediaProbe({ fallbackProbe: makeMediaInfo() });
    expect((await probe.probe('a.mp4')).isOk()).toBe(true);
    expect((await probe.extractFrames('a.mp4', [0]))._unsafeUnwrapErr().code).toBe('MEDIA');
  });
});

describe('createFakeMediaProbe thumbnail candidates', () => {
  it('answers extractThumbnailCandidates from its own queue and records the options', async () => {
    const probe = createFakeMediaProbe();
    const candidate = makeThumbnailCandidate({ timestampSec: 2, metrics: { brightness: 0.1 } });
    probe.queueThumbnailCandidates([candidate]);
    const answer = await probe.extractThumbnailCandidates('/videos/a.mp4', { count: 3 });
    expect(answer._unsafeUnwrap()).toEqual([candidate]);
    expect(candidate.metrics).toEqual({
      brightness: 0.1,
      contrast: 0.5,
      sharpness: 0.5,
      colourfulness: 0.5,
    });
    expect(probe.calls).toEqual([
      { method: 'extractThumbnailCandidates', path: '/videos/a.mp4', options: { count: 3 } },
    ]);
    const empty = await probe.extractThumbnailCandidates('/videos/a.mp4', { count: 3 });
    expect(empty._unsafeUnwrapErr().code).toBe('MEDIA');
  });
});
