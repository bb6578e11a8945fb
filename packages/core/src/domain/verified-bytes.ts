import { VBucketsError } from '../errors';
import type { Sha256 } from './sha256';

/** What the bytes of a stored video must be. */
export interface ExpectedBytes {
  videoId: string;
  sha256: string;
  sizeBytes: number;
}

export interface VerifiedBytesOptions {
  expected: ExpectedBytes;
  /** A fresh incremental SHA-256. */
  hash: Sha256;
  /** Bytes to hash but not pass on (an upload resuming at this offset); default 0. */
  skip?: number;
  /** Told the corruption error when the bytes turn out not to match. */
  onCorrupted?: (error: VBucketsError) => void;
}

/** The error of bytes that do not match their registered SHA-256 or size: repair, do not retry. */
export function corruptedCopyError(
  expected: ExpectedBytes,
  actual: { sha256: string; sizeBytes: number },
): VBucketsError {
  const what =
    actual.sizeBytes > expected.sizeBytes
      ? `has more than ${expected.sizeBytes} bytes`
      : actual.sizeBytes < expected.sizeBytes
        ? `has ${actual.sizeBytes} bytes instead of ${expected.sizeBytes}`
        : 'its bytes no longer match the registered SHA-256';
  return new VBucketsError(
    'STORAGE',
    `The stored copy of video ${expected.videoId} is corrupted (${what}), so it was not sent: register the original file again to repair it (vbuckets videos add <file>)`,
    {
      retryable: false,
      details: { reason: 'corrupted', videoId: expected.videoId, expected, actual },
    },
  );
}

/**
 * Passes a stored video's bytes on while hashing them, holding the last chunk back until the
 * whole stream is hashed: when the SHA-256 or size differs from the registry's, the stream
 * errors instead of delivering it, so a consumer never receives the complete bytes of a
 * damaged copy (an uploader cannot finalise, a ZIP entry cannot end). One chunk is held.
 */
export function verifiedBytes(
  body: ReadableStream<Uint8Array>,
  { expected, hash, skip = 0, onCorrupted }: VerifiedBytesOptions,
): ReadableStream<Uint8Array> {
  let held: Uint8Array | null = null;
  let seen = 0;
  let toSkip = skip;
  const pass = (chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>) => {
    if (toSkip >= chunk.byteLength) {
      toSkip -= chunk.byteLength;
      return;
    }
    controller.enqueue(toSkip === 0 ? chunk : chunk.subarray(toSkip));
    toSkip = 0;
  };
  const fail = (
    controller: TransformStreamDefaultController<Uint8Array>,
    actual: { sha256: string; sizeBytes: number },
  ) => {
    const error = corruptedCopyError(expected, actual);
    onCorrupted?.(error);
    controller.error(error);
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (chunk.byteLength === 0) return;
        hash.update(chunk);
        seen += chunk.byteLength;
        // A consumer that stops after sizeBytes must not get a longer copy's first bytes.
        if (seen > expected.sizeBytes) {
          fail(controller, { sha256: 'unknown (longer than registered)', sizeBytes: seen });
          return;
        }
        if (held !== null) pass(held, controller);
        held = chunk;
      },
      flush(controller) {
        const actual = { sha256: hash.digestHex(), sizeBytes: seen };
        if (actual.sha256 !== expected.sha256 || actual.sizeBytes !== expected.sizeBytes) {
          fail(controller, actual);
          return;
        }
        if (held !== null) pass(held, controller);
      },
    }),
  );
}
