import { type Bucket, VBucketsError } from '@vbuckets/core';
import type { AnalyzerVideo } from '@vbuckets/core/adapter-kit';
import { createManualClock, type ManualClock } from '@vbuckets/core/testing';
import { makeBucket, makeTenant } from '@vbuckets/testkit';
import { errAsync, okAsync } from 'neverthrow';
import type { GeminiSettings } from '../src/index';

/** Deterministic bytes, different per seed. */
export function patternBytes(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index += 1) bytes[index] = (index * 31 + seed * 101) & 0xff;
  return bytes;
}

/** A video whose stream hands out `streamChunkBytes` at a time and counts what was pulled. */
export interface CountingVideo extends AnalyzerVideo {
  /** Bytes handed to the reader so far. */
  readonly bytesPulled: number;
  /** Calls to `pull` (each hands out one chunk, or closes). */
  readonly pulls: number;
  /** Runs before each pull, with the bytes pulled so far. */
  onPull?: (bytesPulled: number) => void;
}

export function makeVideo(
  bytes: Uint8Array,
  options: {
    filename?: string;
    mimeType?: string;
    sizeBytes?: number;
    streamChunkBytes?: number;
    knownText?: string;
  } = {},
): CountingVideo {
  const streamChunkBytes = options.streamChunkBytes ?? 64 * 1024;
  let bytesPulled = 0;
  let pulls = 0;
  const video: CountingVideo = {
    filename: options.filename ?? 'clip.mp4',
    mimeType: options.mimeType ?? 'video/mp4',
    sizeBytes: options.sizeBytes ?? bytes.byteLength,
    ...(options.knownText === undefined ? {} : { knownText: options.knownText }),
    get bytesPulled() {
      return bytesPulled;
    },
    get pulls() {
      return pulls;
    },
    open() {
      let offset = 0;
      return okAsync(
        new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              video.onPull?.(bytesPulled);
              pulls += 1;
              if (offset >= bytes.byteLength) {
                controller.close();
                return;
              }
              const chunk = bytes.slice(offset, offset + streamChunkBytes);
              offset += chunk.byteLength;
              bytesPulled += chunk.byteLength;
              controller.enqueue(chunk);
            },
          },
          // No read-ahead: a chunk is produced only when the uploader asks for it.
          { highWaterMark: 0 },
        ),
      );
    },
  };
  return video;
}

/** A video whose bytes cannot be opened. */
export function unopenableVideo(): AnalyzerVideo {
  return {
    filename: 'gone.mp4',
    mimeType: 'video/mp4',
    sizeBytes: 10,
    open: () =>
      errAsync(new VBucketsError('NOT_FOUND', 'No blob under "clip.mp4"', { adapter: 'memory' })),
  };
}

export function makeBuckets(): Bucket[] {
  const tenant = makeTenant();
  const owned = { orgId: tenant.orgId, productId: tenant.productId };
  return [
    makeBucket({
      ...owned,
      name: 'Gut Health',
      bestFor: 'Digestion stories',
      angle: 'Educational',
      avatar: 'Women 30-50 with bloating',
      painPoints: ['bloating', 'irregularity'],
      solutionMechanism: ['probiotic blend'],
      keyCopyHooks: ['Your gut is talking'],
    }),
    makeBucket({
      ...owned,
      name: 'Energy & Focus',
      bestFor: 'Busy professionals',
      angle: 'Aspirational',
      avatar: 'Founders in their 30s',
      painPoints: ['afternoon crash'],
      solutionMechanism: ['adaptogens'],
      keyCopyHooks: ['Skip the 3 pm slump'],
    }),
  ];
}

/** A sleep that takes no time: it records each wait and moves a manual clock forward. */
export interface RecordingSleep {
  clock: ManualClock;
  waits: number[];
  sleep: NonNullable<GeminiSettings['sleep']>;
}

export function recordingSleep(): RecordingSleep {
  const clock = createManualClock(Date.UTC(2026, 0, 15));
  const waits: number[] = [];
  return {
    clock,
    waits,
    sleep: async (milliseconds, signal) => {
      signal?.throwIfAborted();
      waits.push(milliseconds);
      clock.advance(milliseconds);
    },
  };
}
