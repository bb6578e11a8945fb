import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type {
  FrameMetrics,
  MediaCallOptions,
  MediaInfo,
  MediaProbe,
  ThumbnailCandidate,
  ThumbnailCandidateOptions,
} from '../ports/media-probe';
import { createAnswerQueue, type ScriptedAnswer } from './answer-queue';

/** One recorded call of a fake probe. */
export interface FakeMediaProbeCall {
  method: 'probe' | 'extractFrames' | 'extractThumbnailCandidates';
  path: string;
  /** The timestamps asked for, for `extractFrames`. */
  timestampsSec?: readonly number[];
  options?: MediaCallOptions | ThumbnailCandidateOptions;
}

export interface FakeMediaProbeSettings {
  /** Answer for `probe` once its queue is empty; without one, that is a `MEDIA` error. */
  fallbackProbe?: ScriptedAnswer<FakeMediaProbeCall, MediaInfo>;
  /** Answer for `extractFrames` once its queue is empty; without one, that is a `MEDIA` error. */
  fallbackFrames?: ScriptedAnswer<FakeMediaProbeCall, Uint8Array[]>;
  /** Answer for `extractThumbnailCandidates` once its queue is empty; without one, a `MEDIA` error. */
  fallbackCandidates?: ScriptedAnswer<FakeMediaProbeCall, ThumbnailCandidate[]>;
}

/** A MediaProbe that records its calls and answers from scripted queues. */
export interface FakeMediaProbe extends MediaProbe {
  /** Every call, in order (aborted ones included). */
  readonly calls: FakeMediaProbeCall[];
  /** Queues answers for `probe`. */
  queueProbe(...answers: ScriptedAnswer<FakeMediaProbeCall, MediaInfo>[]): void;
  /** Queues answers for `extractFrames`. */
  queueExtractFrames(...answers: ScriptedAnswer<FakeMediaProbeCall, Uint8Array[]>[]): void;
  /** Always there on the fake (optional on the port). */
  extractThumbnailCandidates(
    path: string,
    options: ThumbnailCandidateOptions,
  ): ResultAsync<ThumbnailCandidate[], VBucketsError>;
  /** Queues answers for `extractThumbnailCandidates`. */
  queueThumbnailCandidates(
    ...answers: ScriptedAnswer<FakeMediaProbeCall, ThumbnailCandidate[]>[]
  ): void;
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

/**
 * A complete ThumbnailCandidate with plain defaults (a 2-byte stand-in JPEG, 1280x720 at 0 s,
 * middling metrics), for scripting answers.
 */
export function makeThumbnailCandidate(
  fields: Partial<Omit<ThumbnailCandidate, 'metrics'>> & { metrics?: Partial<FrameMetrics> } = {},
): ThumbnailCandidate {
  const { metrics, ...rest } = fields;
  return {
    timestampSec: 0,
    jpeg: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
    width: 1280,
    height: 720,
    ...rest,
    metrics: { brightness: 0.5, contrast: 0.5, sharpness: 0.5, colourfulness: 0.5, ...metrics },
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
  const candidates = createAnswerQueue<FakeMediaProbeCall, ThumbnailCandidate[]>({
    label: 'fake-media-probe.extractThumbnailCandidates',
    errorCode: 'MEDIA',
    fallback:
      settings.fallbackCandidates === undefined
        ? undefined
        : { answer: settings.fallbackCandidates },
  });
  return {
    specificationVersion: 'v1',
    calls,
    queueProbe: (...answers) => probes.push(...answers),
    queueExtractFrames: (...answers) => frames.push(...answers),
    queueThumbnailCandidates: (...answers) => candidates.push(...answers),
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
    extractThumbnailCandidates(path, options) {
      const call: FakeMediaProbeCall = { method: 'extractThumbnailCandidates', path, options };
      calls.push(call);
      return candidates.answer(call, options?.signal);
    },
  };
}
