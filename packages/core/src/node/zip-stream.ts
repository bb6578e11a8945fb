import { Readable, Transform, type TransformCallback } from 'node:stream';
import JSZip from 'jszip';
import type { ResultAsync } from 'neverthrow';
import { safeZipEntryNames } from '../domain/zip-entry-names';
import {
  cancelledError,
  toVBucketsError,
  type VBucketsError,
  validationError,
  withErrorSource,
} from '../errors';
import { useNativeCrc32 } from './jszip-native-crc32';

/** The bytes of one entry: a web stream (as `BlobStore.get` gives) or any async iterable of bytes. */
export type ZipEntrySource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface ZipStreamEntry {
  /** The entry's name; passed through `safeZipEntryNames` (names it produced stay unchanged). */
  name: string;
  /** Opens the bytes; called only when the archive reaches this entry, one entry at a time. */
  open: () => Promise<ZipEntrySource> | ResultAsync<ZipEntrySource, VBucketsError>;
}

export interface ZipStreamOptions {
  /** Aborting ends the stream with a CANCELLED error and cancels the entry being read. */
  signal?: AbortSignal;
  /** Modification time written for every entry. Default: now. */
  date?: Date;
}

/** Without ZIP64 (jszip has none) offsets and sizes are 32-bit and there are at most 65,535 entries. */
export const MAX_ZIP_BYTES = 0xffff_ffff;
export const MAX_ZIP_ENTRIES = 0xffff;

/**
 * Streams a ZIP (stored, not compressed: video does not compress) of `entries`, in order.
 * Memory stays bounded whatever the sizes: each entry is opened only when the archive gets
 * to it, read chunk by chunk as the consumer takes bytes, and closed before the next one
 * opens. Entry names are made safe and unique with `safeZipEntryNames`.
 *
 * Failures end the stream with a VBucketsError `error` event: an entry that cannot be opened
 * (its own error, e.g. NOT_FOUND), a source failing mid-way (STORAGE), an abort (CANCELLED),
 * more than 65,535 entries or more than 4 GiB of archive (VALIDATION: no ZIP64). Destroying
 * the returned stream cancels the entry being read.
 */
export function createZipStream(
  entries: readonly ZipStreamEntry[],
  options: ZipStreamOptions = {},
): Readable {
  const output = new ZipOutput();
  const fail = (error: VBucketsError) => {
    if (!output.destroyed) output.destroy(withErrorSource(error, ZIP_SOURCE));
  };
  const { signal } = options;
  if (entries.length > MAX_ZIP_ENTRIES) {
    process.nextTick(() =>
      fail(
        validationError(`A ZIP holds at most ${MAX_ZIP_ENTRIES} entries, got ${entries.length}`, {
          path: 'entries',
        }),
      ),
    );
    return output;
  }
  if (signal?.aborted) {
    process.nextTick(() => fail(abortedZip(signal)));
    return output;
  }

  useNativeCrc32();
  const names = safeZipEntryNames(entries.map((entry) => entry.name));
  const date = options.date ?? new Date();
  const zip = new JSZip();
  const sources = entries.map((entry, index) => {
    const source = new LazyEntrySource(names[index] ?? entry.name, entry.open, fail);
    // jszip takes a Node stream for each file up front; LazyEntrySource defers the opening.
    zip.file(source.entryName, source, { binary: true, date });
    return source;
  });
  const generated = zip.generateNodeStream({
    type: 'nodebuffer',
    streamFiles: true,
    compression: 'STORE',
  }) as unknown as Readable;
  generated.on('error', (error: unknown) =>
    fail(toVBucketsError(error, 'STORAGE', 'Generating the archive failed')),
  );
  generated.pipe(output);

  const onAbort = () => {
    if (signal !== undefined) fail(abortedZip(signal));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  output.once('close', () => {
    signal?.removeEventListener('abort', onAbort);
    generated.unpipe(output);
    // Finished, failed or dropped by the consumer: nothing may stay open.
    for (const source of sources) source.destroy();
  });
  return output;
}

/** Which component failed, for logs (an entry's own error keeps naming its source). */
const ZIP_SOURCE = { adapter: 'zip', operation: 'createZipStream' };

function abortedZip(signal: AbortSignal): VBucketsError {
  return cancelledError('Writing the archive was aborted', { cause: signal.reason });
}

/** The archive as the caller sees it: a plain Node stream that refuses to grow past 32-bit offsets. */
class ZipOutput extends Transform {
  private bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.bytes += chunk.byteLength;
    if (this.bytes > MAX_ZIP_BYTES) {
      callback(
        validationError(
          'The archive would exceed 4 GiB, the limit of a ZIP without ZIP64: split the entries over several archives',
          { path: 'entries', ...ZIP_SOURCE },
        ),
      );
      return;
    }
    callback(null, chunk);
  }
}

interface ChunkReader {
  next(): Promise<IteratorResult<unknown>>;
  cancel(): void;
}

/**
 * A Node stream for one entry that opens its source on the first read. jszip takes a stream
 * for every file up front but pauses each before listening, and resumes (reads) only the
 * file it is writing, so sources open one at a time, in order (the tests pin this).
 */
class LazyEntrySource extends Readable {
  private reader: ChunkReader | undefined;
  private opening = false;

  constructor(
    readonly entryName: string,
    private readonly openSource: ZipStreamEntry['open'],
    private readonly fail: (error: VBucketsError) => void,
  ) {
    super();
  }

  override _read(): void {
    if (this.reader === undefined) void this.open();
    else void this.pull(this.reader);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.reader?.cancel();
    callback(error);
  }

  private async open(): Promise<void> {
    if (this.opening || this.destroyed) return;
    this.opening = true;
    let source: ZipEntrySource;
    try {
      const opened: unknown = await this.openSource();
      if (isResult(opened)) {
        if (opened.isErr()) {
          return this.stop(
            toVBucketsError(opened.error, 'STORAGE', `Opening ${this.quotedName} failed`),
          );
        }
        source = opened.value as ZipEntrySource;
      } else {
        source = opened as ZipEntrySource;
      }
    } catch (error) {
      return this.stop(toVBucketsError(error, 'STORAGE', `Opening ${this.quotedName} failed`));
    }
    this.reader = readerOf(source);
    if (this.destroyed) {
      this.reader.cancel();
      return;
    }
    await this.pull(this.reader);
  }

  private async pull(reader: ChunkReader): Promise<void> {
    // Empty chunks are skipped: jszip's own CRC code forgets the sum so far on one.
    while (true) {
      let next: IteratorResult<unknown>;
      try {
        next = await reader.next();
      } catch (error) {
        return this.stop(toVBucketsError(error, 'STORAGE', `Reading ${this.quotedName} failed`));
      }
      if (this.destroyed) return;
      if (next.done) {
        this.push(null);
        return;
      }
      const chunk = next.value;
      if (!(chunk instanceof Uint8Array)) {
        return this.stop(
          validationError(`The bytes of ${this.quotedName} must be Uint8Array chunks`, {
            path: 'entries',
          }),
        );
      }
      if (chunk.byteLength === 0) continue;
      // A Buffer view, not a copy: jszip passes Buffers through and copies anything else.
      this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      return;
    }
  }

  /**
   * Fails the whole archive directly: jszip drops an error its input emits while paused, which
   * would leave the archive waiting forever.
   */
  private stop(error: VBucketsError): void {
    this.fail(error);
    this.destroy();
  }

  private get quotedName(): string {
    return JSON.stringify(this.entryName);
  }
}

function readerOf(source: ZipEntrySource): ChunkReader {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<unknown>>,
      cancel: () => void reader.cancel().catch(() => undefined),
    };
  }
  const iterator = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    cancel: () => void Promise.resolve(iterator.return?.()).catch(() => undefined),
  };
}

interface ResultLike {
  isOk(): boolean;
  isErr(): boolean;
  value?: unknown;
  error?: unknown;
}

/** A neverthrow Result from any copy of neverthrow (so not `instanceof`). */
function isResult(value: unknown): value is ResultLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { isErr?: unknown }).isErr === 'function' &&
    typeof (value as { isOk?: unknown }).isOk === 'function'
  );
}
