import { describe, expect, it } from 'vitest';
import { createFakeMediaProbe, makeMediaInfo } from '../../src/testing/fake-media-probe';

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
