import { describe, expect, it } from 'vitest';
import { createSha256 } from '../../src/domain/sha256';
import { verifiedBytes } from '../../src/domain/verified-bytes';
import { isVBucketsError } from '../../src/errors';

const BYTES = Uint8Array.from({ length: 10_000 }, (_, index) => (index * 7) & 0xff);

function sha256Hex(bytes: Uint8Array): string {
  const hash = createSha256();
  hash.update(bytes);
  return hash.digestHex();
}

function streamOf(bytes: Uint8Array, chunk = 1000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) controller.close();
      else {
        controller.enqueue(bytes.slice(offset, offset + chunk));
        offset += chunk;
      }
    },
  });
}

/** Reads until the stream ends or errors; returns what was delivered and the error. */
async function drain(stream: ReadableStream<Uint8Array>) {
  const delivered: number[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return { delivered, error: undefined };
      delivered.push(...next.value);
    }
  } catch (error) {
    return { delivered, error };
  }
}

const expected = { videoId: 'video-1', sha256: sha256Hex(BYTES), sizeBytes: BYTES.byteLength };

describe('verifiedBytes', () => {
  it('passes intact bytes on unchanged, and from an offset', async () => {
    const whole = await drain(verifiedBytes(streamOf(BYTES), { expected, hash: createSha256() }));
    expect(whole.error).toBeUndefined();
    expect(Uint8Array.from(whole.delivered)).toEqual(BYTES);
    const resumed = await drain(
      verifiedBytes(streamOf(BYTES), { expected, hash: createSha256(), skip: 2500 }),
    );
    expect(resumed.error).toBeUndefined();
    expect(Uint8Array.from(resumed.delivered)).toEqual(BYTES.subarray(2500));
  });

  // Issue 10: a damaged stored copy was posted and zipped.
  it('errors before the last chunk when one byte differs, and says to repair', async () => {
    const damaged = BYTES.slice();
    damaged[4321] = (damaged[4321] ?? 0) ^ 0xff;
    let told: unknown;
    const result = await drain(
      verifiedBytes(streamOf(damaged), {
        expected,
        hash: createSha256(),
        onCorrupted: (error) => {
          told = error;
        },
      }),
    );
    expect(result.delivered.length).toBeLessThan(BYTES.byteLength);
    expect(isVBucketsError(result.error)).toBe(true);
    expect(result.error).toMatchObject({
      code: 'STORAGE',
      retryable: false,
      details: { reason: 'corrupted', videoId: 'video-1' },
    });
    expect((result.error as Error).message).toMatch(/corrupted.*register the original file again/);
    expect(told).toBe(result.error);
  });

  it('errors on a truncated copy and on a longer one before delivering its registered size', async () => {
    const truncated = await drain(
      verifiedBytes(streamOf(BYTES.subarray(0, 9000)), { expected, hash: createSha256() }),
    );
    expect(truncated.error).toMatchObject({ details: { reason: 'corrupted' } });
    expect(truncated.delivered.length).toBeLessThan(9000);

    const longer = new Uint8Array(BYTES.byteLength + 500);
    longer.set(BYTES);
    const extended = await drain(
      verifiedBytes(streamOf(longer), { expected, hash: createSha256() }),
    );
    expect(extended.error).toMatchObject({ details: { reason: 'corrupted' } });
    expect(extended.delivered.length).toBeLessThan(BYTES.byteLength);
  });
});
