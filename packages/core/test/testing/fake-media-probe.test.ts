import { okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { VideoPiece } from '../../src/ports/media-probe';
import {
  createFakeMediaProbe,
  makeMediaInfo,
  makeThumbnailCandidate,
  makeVideoPieces,
} from '../../src/testing/fake-media-probe';

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

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

describe('createFakeMediaProbe splitVideo', () => {
  it('runs use with the scripted pieces, whose open() streams their bytes until use answers', async () => {
    const probe = createFakeMediaProbe();
    probe.queueSplitVideo(
      makeVideoPieces([2, 2, 1.5], (index) => new TextEncoder().encode(`piece ${index}`)),
    );
    let kept: readonly VideoPiece[] = [];
    const answer = await probe.splitVideo('/videos/a.mp4', { segmentSeconds: 2 }, (pieces) => {
      kept = pieces;
      return okAsync(pieces).map(async (list) =>
        Promise.all(list.map(async (piece) => text((await piece.open())._unsafeUnwrap()))),
      );
    });
    expect(answer._unsafeUnwrap()).toEqual(['piece 0', 'piece 1', 'piece 2']);
    expect(
      kept.map(({ index, startSec, durationSec, sizeBytes }) => ({
        index,
        startSec,
        durationSec,
        sizeBytes,
      })),
    ).toEqual([
      { index: 0, startSec: 0, durationSec: 2, sizeBytes: 7 },
      { index: 1, startSec: 2, durationSec: 2, sizeBytes: 7 },
      { index: 2, startSec: 4, durationSec: 1.5, sizeBytes: 7 },
    ]);
    expect(kept[0]?.path).toBe('fake://video-pieces/piece-0.mp4');
    // Like the real probe's, the pieces are gone once use has answered.
    expect((await (kept[0] as VideoPiece).open())._unsafeUnwrapErr().code).toBe('MEDIA');
    expect(probe.calls).toEqual([
      { method: 'splitVideo', path: '/videos/a.mp4', options: { segmentSeconds: 2 } },
    ]);
  });

  it('hands back use’s error, and fails with MEDIA without scripted pieces', async () => {
    const probe = createFakeMediaProbe({ fallbackPieces: makeVideoPieces([1]) });
    const thrown = await probe.splitVideo('a.mp4', { cutPointsSec: [1] }, () => {
      throw new Error('use broke');
    });
    expect(thrown._unsafeUnwrapErr().message).toContain('use broke');
    const empty = createFakeMediaProbe();
    const none = await empty.splitVideo('a.mp4', { segmentSeconds: 2 }, () => okAsync(1));
    expect(none._unsafeUnwrapErr().code).toBe('MEDIA');
  });
});
