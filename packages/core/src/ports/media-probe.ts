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
}
