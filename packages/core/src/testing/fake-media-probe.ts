import type { MediaCallOptions, MediaInfo, MediaProbe } from '../ports/media-probe';
import { createAnswerQueue, type ScriptedAnswer } from './answer-queue';

/** One recorded call of a fake probe. */
export interface FakeMediaProbeCall {
  method: 'probe' | 'extractFrames';
  path: string;
  /** The timestamps asked for, for `extractFrames`. */
  timestampsSec?: readonly number[];
  options?: MediaCallOptions;
}

export interface FakeMediaProbeSettings {
  /** Answer for `probe` once its queue is empty; without one, that is a `MEDIA` error. */
  fallbackProbe?: ScriptedAnswer<FakeMediaProbeCall, MediaInfo>;
  /** Answer for `extractFrames` once its queue is empty; without one, that is a `MEDIA` error. */
  fallbackFrames?: ScriptedAnswer<FakeMediaProbeCall, Uint8Array[]>;
}

/** A MediaProbe that records its calls and answers from scripted queues. */
export interface FakeMediaProbe extends MediaProbe {
  /** Every call, in order (aborted ones included). */
  readonly calls: FakeMediaProbeCall[];
  /** Queues answers for `probe`. */
  queueProbe(...answers: ScriptedAnswer<FakeMediaProbeCall, MediaInfo>[]): void;
  /** Queues answers for `extractFrames`. */
  queueExtractFrames(...answers: ScriptedAnswer<FakeMediaProbeCall, Uint8Array[]>[]): void;
}

/** A complete MediaInfo with plain defaults (a 10 s 1080x1920 h264/aac video), for scripting answers. */
export function makeMediaInfo(fields: Partial<MediaInfo> = {}): MediaInfo {
  return {
    durationSec: 10,
    width: 1080,
    height: 1920,
    codecs: { video: 'h264', audio: 'aac' },
    hasAudio: true,
    tags: {},
    ...fields,
  };
}

export function createFakeMediaProbe(settings: FakeMediaProbeSettings = {}): FakeMediaProbe {
  const calls: FakeMediaProbeCall[] = [];
  const probes = createAnswerQueue<FakeMediaProbeCall, MediaInfo>({
    label: 'fake-media-probe.probe',
    errorCode: 'MEDIA',
    fallback: settings.fallbackProbe === undefined ? undefined : { answer: settings.fallbackProbe },
  });
  const frames = createAnswerQueue<FakeMediaProbeCall, Uint8Array[]>({
    label: 'fake-media-probe.extractFrames',
    errorCode: 'MEDIA',
    fallback:
      settings.fallbackFrames === undefined ? undefined : { answer: settings.fallbackFrames },
  });
  return {
    specificationVersion: 'v1',
    calls,
    queueProbe: (...answers) => probes.push(...answers),
    queueExtractFrames: (...answers) => frames.push(...answers),
    probe(path, options) {
      const call: FakeMediaProbeCall = { method: 'probe', path, options };
      calls.push(call);
      return probes.answer(call, options?.signal);
    },
    extractFrames(path, timestampsSec, options) {
      const call: FakeMediaProbeCall = {
        method: 'extractFrames',
        path,
        timestampsSec: [...timestampsSec],
        options,
      };
      calls.push(call);
      return frames.answer(call, options?.signal);
    },
  };
}
