/**
 * Bodies and byte helpers for the BlobStore conformance suite. Web APIs only (streams, Web
 * Crypto), so the suite runs unchanged in Node, Bun and Deno.
 */

/** A deterministic byte for position `index` of pattern `seed`: different seeds give different bodies. */
function patternByte(index: number, seed: number): number {
  return (index * 31 + (index >>> 8) * 7 + (index >>> 16) + seed * 101) & 0xff;
}

/** `size` deterministic bytes, different for each seed. */
export function patternBytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index += 1) bytes[index] = patternByte(index, seed);
  return bytes;
}

/** Lower-case hex SHA-256 computed with Web Crypto. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Reads a stream to its end and joins the chunks. */
export async function readAll(
  stream: ReadableStream<Uint8Array>,
): Promise<Uint8Array<ArrayBuffer>> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
  }
  return concatBytes(chunks, total);
}

export function concatBytes(
  chunks: readonly Uint8Array[],
  total?: number,
): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(total ?? chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Cuts `bytes` into chunks of the given sizes (cycled), copying each so no two share memory. */
export function splitBytes(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  let turn = 0;
  while (offset < bytes.byteLength) {
    const size = Math.max(1, sizes[turn % sizes.length] ?? 1);
    chunks.push(bytes.slice(offset, offset + size));
    offset += size;
    turn += 1;
  }
  return chunks;
}

/** A web stream that hands out `chunks` one pull at a time. */
export function webStreamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next];
      next += 1;
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/**
 * An async generator over `chunks` that waits between them, as real sources do: a macrotask
 * by default, or `delayMs(index)` milliseconds (uneven delays shuffle concurrent writers).
 */
export async function* asyncIterableOf(
  chunks: readonly Uint8Array[],
  delayMs: (index: number) => number = () => 0,
): AsyncGenerator<Uint8Array> {
  for (const [index, chunk] of chunks.entries()) {
    await new Promise<void>((resolve) => setTimeout(resolve, delayMs(index)));
    yield chunk;
  }
}

/**
 * A stream of `totalBytes` pattern bytes made chunk by chunk on demand, so a large body is
 * never whole in memory on the writing side. Equal to `patternBytes(totalBytes, seed)`.
 */
export function generatedStream(
  totalBytes: number,
  chunkBytes: number,
  seed: number,
): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= totalBytes) {
        controller.close();
        return;
      }
      const size = Math.min(chunkBytes, totalBytes - offset);
      const chunk = new Uint8Array(size);
      for (let index = 0; index < size; index += 1)
        chunk[index] = patternByte(offset + index, seed);
      offset += size;
      controller.enqueue(chunk);
    },
  });
}

/** A stream that delivers `chunks`, then fails with `error`: a source dying mid-way. */
export function failingStream(
  chunks: readonly Uint8Array[],
  error: Error,
): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next];
      next += 1;
      if (chunk === undefined) controller.error(error);
      else controller.enqueue(chunk);
    },
  });
}

/**
 * A stream that delivers `first`, then never another byte until cancelled: a stalled source.
 * `waiting` resolves once the store has taken it and waits for more.
 */
export function stalledStream(first: Uint8Array): {
  stream: ReadableStream<Uint8Array>;
  waiting: Promise<void>;
} {
  let markPulled: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => {
    markPulled = resolve;
  });
  let delivered = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!delivered) {
          delivered = true;
          controller.enqueue(first);
          return;
        }
        markPulled();
        // Never settles: only an abort can end this put.
        return new Promise<void>(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, waiting };
}

/** True when both hold the same bytes (fast path for large bodies, no per-byte expect). */
export function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.byteLength !== right.byteLength) return false;
  for (let index = 0; index < left.byteLength; index += 1) {
    if (left[index] !== right[index]) return false;
  }
  return true;
}
