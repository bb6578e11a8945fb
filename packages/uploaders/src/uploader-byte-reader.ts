import { VBucketsError } from '@vbuckets/core';
import type { UploadableVideo } from '@vbuckets/core/adapter-kit';

/**
 * Reads a video's bytes in ranges, in order, holding at most one range in memory. A range that
 * does not start where the last one ended reopens the video at that offset (the server asked
 * for it, e.g. after an unanswered chunk).
 */
export interface ByteRangeReader {
  read(start: number, end: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function createByteRangeReader(video: UploadableVideo, platform: string): ByteRangeReader {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let position = 0;
  let leftover: Uint8Array | undefined;

  async function open(offset: number) {
    await reader?.cancel().catch(() => undefined);
    const opened = await video.open(offset);
    if (opened.isErr()) throw opened.error;
    reader = opened.value.getReader();
    position = offset;
    leftover = undefined;
  }

  return {
    async read(start, end) {
      if (reader === undefined || start !== position) await open(start);
      const wanted = end - start;
      const out = new Uint8Array(wanted);
      let filled = 0;
      while (filled < wanted) {
        let piece = leftover;
        leftover = undefined;
        if (piece === undefined) {
          const next = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
          if (next.done) {
            throw new VBucketsError(
              'STORAGE',
              `The video ended at byte ${start + filled}, before byte ${end}`,
              { details: { platform, videoId: video.videoId } },
            );
          }
          piece = next.value;
        }
        const take = Math.min(piece.byteLength, wanted - filled);
        out.set(piece.subarray(0, take), filled);
        filled += take;
        if (take < piece.byteLength) leftover = piece.subarray(take);
      }
      position = end;
      return out;
    },
    async close() {
      await reader?.cancel().catch(() => undefined);
      reader = undefined;
    },
  };
}
