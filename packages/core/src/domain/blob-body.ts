import { cancelledError, toVBucketsError, type VBucketsError, validationError } from '../errors';
import type { BlobBody } from '../ports/blob-store';
import { untilAborted } from './until-aborted';

const PUT = 'blobs.put';

/** Where a body is being written: the adapter's name (for the error's fields) and the key. */
export interface BlobBodyContext {
  /** Adapter name, kept in the error's `adapter` field, e.g. `fs`. */
  adapter: string;
  key: string;
  signal?: AbortSignal | undefined;
  /** Kept in the error's `operation` field; default `blobs.put`, the one method that reads a body. */
  operation?: string;
}

/** The CANCELLED error of a write whose signal aborted. */
export function abortedBlobWrite(
  adapter: string,
  key: string,
  signal: AbortSignal,
  operation = PUT,
): VBucketsError {
  return cancelledError(`Writing ${JSON.stringify(key)} was aborted`, {
    cause: signal.reason,
    adapter,
    operation,
  });
}

/**
 * The chunks of any BlobBody (bytes, web stream, async iterable such as a Node Readable),
 * shared by every BlobStore adapter. An abort ends it at once, even while the source is
 * stalled; a failing source becomes a STORAGE error naming the key; a chunk that is not
 * bytes is a VALIDATION error; stopping early cancels the source.
 */
export async function* blobBodyChunks(
  body: BlobBody,
  { adapter, key, signal, operation }: BlobBodyContext,
): AsyncGenerator<Uint8Array> {
  const source = { adapter, operation: operation ?? PUT };
  if (signal?.aborted) throw abortedBlobWrite(adapter, key, signal, source.operation);
  if (isBytes(body)) {
    yield body;
    return;
  }
  const iterator = iteratorOf(body);
  let finished = false;
  try {
    while (true) {
      let next: IteratorResult<unknown>;
      try {
        next = await untilAborted(iterator.next(), signal, (aborted) =>
          abortedBlobWrite(source.adapter, key, aborted, source.operation),
        );
      } catch (error) {
        throw toVBucketsError(
          error,
          'STORAGE',
          `Reading the body of ${JSON.stringify(key)} failed`,
          source,
        );
      }
      if (next.done) {
        finished = true;
        return;
      }
      if (!isBytes(next.value)) {
        throw validationError(
          `Body chunks of ${JSON.stringify(key)} must be Uint8Array, got ${typeName(next.value)}`,
          { path: 'body', ...source },
        );
      }
      yield next.value;
    }
  } finally {
    // Stopping early (error, abort): tell the producer, without waiting on one that may hang.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

function iteratorOf(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncIterator<unknown> {
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<unknown>>,
      return: async () => {
        await reader.cancel();
        return { done: true, value: undefined };
      },
    };
  }
  return (body as AsyncIterable<unknown>)[Symbol.asyncIterator]();
}

function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    // A Uint8Array from another realm (vm context) fails instanceof but is still bytes.
    (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]')
  );
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/** The chunks joined into one new array (always a copy, so later changes to them do not show). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
