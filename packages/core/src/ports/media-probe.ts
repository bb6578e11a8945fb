import type { ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';

/** Facts about a media file. */
export interface MediaInfo {
  durationSec: number;
  width: number | null;
  height: number | null;
  /** Codec names by stream kind, e.g. `{ video: 'h264', audio: 'aac' }`. */
  codecs: { video: string | null; audio: string | null };
  hasAudio: boolean;
  /** Container tags such as title and comment. */
  tags: Record<string, string>;
}

export interface MediaCallOptions {
  /** Cancels the call (the child process is killed). */
  signal?: AbortSignal;
}

/**
 * Image measurements of a frame, computed by ffmpeg (`signalstats`, `edgedetect`), each
 * normalised to 0..1. How each is normalised is the adapter's to document; `@vbuckets/media`
 * gives its formulas in its README.
 */
export interface FrameMetrics {
  /** Mean luma: 0 black, 1 white. */
  brightness: number;
  /** Spread of luma between its dark and bright tails: 0 flat, 1 full range. */
  contrast: number;
  /** Amount of edge detail: 0 none (flat or blurred), towards 1 crisp detail. */
  sharpness: number;
  /** Mean saturation: 0 grey, 1 vivid. */
  colourfulness: number;
}

/** A still cut from a video as a thumbnail candidate. */
export interface ThumbnailCandidate {
  /** Where in the video the frame is, in seconds. */
  timestampSec: number;
  /** The frame as a JPEG. */
  jpeg: Uint8Array;
  /** Width of the JPEG in pixels. */
  width: number;
  /** Height of the JPEG in pixels. */
  height: number;
  /** The frame's image measurements, each 0..1. */
  metrics: FrameMetrics;
}

export interface ThumbnailCandidateOptions extends MediaCallOptions {
  /** How many candidates at most (a static video may give fewer). */
  count: number;
  /** JPEGs wider than this are scaled down, keeping the aspect ratio. */
  maxWidth?: number;
}

/** Where `splitVideo` cuts: every `segmentSeconds`, or at these times (exactly one of them). */
export interface SplitVideoOptions extends MediaCallOptions {
  /** Cut every this many seconds (> 0). */
  segmentSeconds?: number;
  /** Cut at these times in seconds, ascending, each > 0. */
  cutPointsSec?: readonly number[];
}

/** One piece of a split video: a local file that exists while `use` runs. */
export interface VideoPiece {
  /** 0 for the first piece. */
  index: number;
  /**
   * Where the piece starts in the source, in seconds: with stream copy, a keyframe (in
   * `@vbuckets/media`, the first one at or after the cut asked).
   */
  startSec: number;
  /** The piece's probed duration. */
  durationSec: number;
  sizeBytes: number;
  /** The piece's local path (same container as the source). */
  path: string;
  /** Opens the piece's bytes as a stream. */
  open(): ResultAsync<ReadableStream<Uint8Array>, VBucketsError>;
}

/** Reads media files (ffprobe/ffmpeg in `@vbuckets/media`). */
export interface MediaProbe {
  readonly specificationVersion: 'v1';
  /** Probes a local file; `MEDIA` error when it is not a readable video. */
  probe(path: string, options?: MediaCallOptions): ResultAsync<MediaInfo, VBucketsError>;
  /** One JPEG per timestamp, in the order given. */
  extractFrames(
    path: string,
    timestampsSec: readonly number[],
    options?: MediaCallOptions,
  ): ResultAsync<Uint8Array[], VBucketsError>;
  /**
   * Up to `count` distinct stills spread over the video, with their metrics, in time order.
   * Optional, so existing probes and wrappers stay valid; `@vbuckets/media` has it.
   */
  extractThumbnailCandidates?(
    path: string,
    options: ThumbnailCandidateOptions,
  ): ResultAsync<ThumbnailCandidate[], VBucketsError>;
  /**
   * Cuts a video into pieces without re-encoding (stream copy), so each cut lands on a
   * keyframe, not exactly at the time asked (`@vbuckets/media`: the first keyframe at or after
   * it); runs `use` with the pieces, then removes them,
   * whatever `use` answered. `MEDIA` for an undecodable file, `VALIDATION` for bad options.
   * Optional, as `extractThumbnailCandidates` is; `@vbuckets/media` has it.
   */
  splitVideo?<T>(
    path: string,
    options: SplitVideoOptions,
    use: (pieces: readonly VideoPiece[]) => ResultAsync<T, VBucketsError>,
  ): ResultAsync<T, VBucketsError>;
}
