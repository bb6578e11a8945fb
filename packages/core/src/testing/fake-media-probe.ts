import { err, errAsync, okAsync, ResultAsync } from 'neverthrow';
import { toVBucketsError, type VBucketsError, vbucketsError } from '../errors';
import type {
  FrameMetrics,
  MediaCallOptions,
  MediaInfo,
  MediaProbe,
  SplitVideoOptions,
  ThumbnailCandidate,
  ThumbnailCandidateOptions,
  VideoPiece,
} from '../ports/media-probe';
import { createAnswerQueue, type ScriptedAnswer } from './answer-queue';

/** One recorded call of a fake probe. */
export interface FakeMediaProbeCall {
  method: 'probe' | 'extractFrames' | 'extractThumbnailCandidates' | 'splitVideo';
  path: string;
  /** The timestamps asked for, for `extractFrames`. */
  timestampsSec?: readonly number[];
  options?: MediaCallOptions | ThumbnailCandidateOptions | SplitVideoOptions;
}

export interface FakeMediaProbeSettings {
  /** Answer for `probe` once its queue is empty; without one, that is a `MEDIA` error. */
  fallbackProbe?: ScriptedAnswer<FakeMediaProbeCall, MediaInfo>;
  /** Answer for `extractFrames` once its queue is empty; without one, that is a `MEDIA` error. */
  fallbackFrames?: ScriptedAnswer<FakeMediaProbeCall, Uint8Array[]>;
  /** Answer for `extractThumbnailCandidates` once its queue is empty; without one, a `MEDIA` error. */
  fallbackCandidates?: ScriptedAnswer<FakeMediaProbeCall, ThumbnailCandidate[]>;
  /** Pieces for `splitVideo` once its queue is empty; without them, a `MEDIA` error. */
  fallbackPieces?: ScriptedAnswer<FakeMediaProbeCall, VideoPiece[]>;
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
  /**
   * Always there on the fake (optional on the port). Runs `use` with the scripted pieces (no
   * file is cut or written); as with the real probe, a piece's `open()` fails with `MEDIA` once
   * `use` has answered.
   */
  splitVideo<T>(
    path: string,
    options: SplitVideoOptions,
    use: (pieces: readonly VideoPiece[]) => ResultAsync<T, VBucketsError>,
  ): ResultAsync<T, VBucketsError>;
  /** Queues the pieces `splitVideo` hands to `use` (see `makeVideoPieces`). */
  queueSplitVideo(...answers: ScriptedAnswer<FakeMediaProbeCall, VideoPiece[]>[]): void;
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

/**
 * A fake VideoPiece, for scripting the fake's `splitVideo`: no file behind it, `path` is a
 * made-up `fake://` name and `open()` streams `bytes` (default 4 bytes), afresh on each call.
 */
export function makeVideoPiece(
  fields: Partial<Omit<VideoPiece, 'open' | 'sizeBytes'>> & { bytes?: Uint8Array } = {},
): VideoPiece {
  const { bytes = new Uint8Array([0, 0, 0, 0]), ...rest } = fields;
  const index = rest.index ?? 0;
  return {
    index,
    startSec: 0,
    durationSec: 2,
    path: `fake://video-pieces/piece-${index}.mp4`,
    ...rest,
    sizeBytes: bytes.length,
    open: () =>
      okAsync(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes.slice());
            controller.close();
          },
        }),
      ),
  };
}

/**
 * Fake pieces of these durations, each starting where the one before ended, each opening to
 * `bytesOf(index)` (default 4 bytes): `queueSplitVideo(makeVideoPieces([2, 2, 1.5]))`.
 */
export function makeVideoPieces(
  durationsSec: readonly number[],
  bytesOf?: (index: number) => Uint8Array,
): VideoPiece[] {
  let startSec = 0;
  return durationsSec.map((durationSec, index) => {
    const piece = makeVideoPiece({
      index,
      startSec,
      durationSec,
      ...(bytesOf === undefined ? {} : { bytes: bytesOf(index) }),
    });
    startSec += durationSec;
    return piece;
  });
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
  const pieces = createAnswerQueue<FakeMediaProbeCall, VideoPiece[]>({
    label: 'fake-media-probe.splitVideo',
    errorCode: 'MEDIA',
    fallback:
      settings.fallbackPieces === undefined ? undefined : { answer: settings.fallbackPieces },
  });
  return {
    specificationVersion: 'v1',
    calls,
    queueProbe: (...answers) => probes.push(...answers),
    queueExtractFrames: (...answers) => frames.push(...answers),
    queueThumbnailCandidates: (...answers) => candidates.push(...answers),
    queueSplitVideo: (...answers) => pieces.push(...answers),
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
    splitVideo(path, options, use) {
      const call: FakeMediaProbeCall = { method: 'splitVideo', path, options };
      calls.push(call);
      return pieces.answer(call, options.signal).andThen((list) => {
        let lent = true;
        const handed = list.map((piece) => ({
          ...piece,
          open: () =>
            lent
              ? piece.open()
              : errAsync(
                  vbucketsError(
                    'MEDIA',
                    `The video piece ${piece.index} of fake-media-probe.splitVideo is gone: pieces exist only while use runs`,
                  ),
                ),
        }));
        const run = async () => {
          try {
            return await use(handed);
          } catch (error) {
            return err(toVBucketsError(error, 'MEDIA', "splitVideo's use threw"));
          } finally {
            lent = false;
          }
        };
        return new ResultAsync(run());
      });
    },
  };
}
