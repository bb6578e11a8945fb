import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { errAsync, okAsync } from 'neverthrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVBucketsError, notFoundError, type VBucketsError } from '../../src/errors';
import { createZipStream, MAX_ZIP_ENTRIES, type ZipStreamEntry } from '../../src/node/zip-stream';

const run = promisify(execFile);

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'vbuckets-zip-stream-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A web stream of `bytes` in chunks of `chunkBytes`, pulled on demand. */
function streamOf(bytes: Uint8Array, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.byteLength) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + chunkBytes));
        offset += chunkBytes;
      },
    },
    { highWaterMark: 0 },
  );
}

const entryOf = (name: string, bytes: Uint8Array): ZipStreamEntry => ({
  name,
  open: async () => streamOf(bytes),
});

async function zipToFile(entries: ZipStreamEntry[], options = {}): Promise<string> {
  const file = path.join(directory, `${Math.random().toString(36).slice(2)}.zip`);
  await pipeline(createZipStream(entries, options), createWriteStream(file));
  return file;
}

async function failureOf(entries: ZipStreamEntry[], options = {}): Promise<VBucketsError> {
  try {
    await zipToFile(entries, options);
  } catch (error) {
    if (isVBucketsError(error)) return error;
    throw error;
  }
  throw new Error('expected the archive to fail');
}

async function unzipBytes(file: string, name: string): Promise<Buffer> {
  const { stdout } = await run('/usr/bin/unzip', ['-p', file, name], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

async function namesIn(file: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(await readFile(file));
  return Object.keys(zip.files);
}

describe('createZipStream', () => {
  it('round-trips several files byte for byte (checked by the unzip binary and by jszip)', async () => {
    const files = {
      'small.mp4': randomBytes(1000),
      'empty.mov': new Uint8Array(0),
      'few-megabytes.webm': randomBytes(5 * 1024 * 1024 + 17),
      'one-byte.avi': Uint8Array.of(42),
    };
    const file = await zipToFile(
      Object.entries(files).map(([name, bytes]) => entryOf(name, bytes)),
    );

    const { stdout: tested } = await run('/usr/bin/unzip', ['-t', file]);
    expect(tested).toContain('No errors detected');
    const { stdout: listed } = await run('/usr/bin/unzip', ['-Z1', file]);
    expect(listed.trim().split('\n')).toEqual(Object.keys(files));
    for (const [name, bytes] of Object.entries(files)) {
      expect((await unzipBytes(file, name)).equals(bytes)).toBe(true);
    }
    const zip = await JSZip.loadAsync(await readFile(file));
    for (const [name, bytes] of Object.entries(files)) {
      expect(Buffer.from(await zip.file(name)!.async('uint8array')).equals(bytes)).toBe(true);
    }
  });

  it('stores entries uncompressed (video does not compress)', async () => {
    const bytes = new Uint8Array(256 * 1024); // zeros: would shrink to nothing if deflated
    const file = await zipToFile([entryOf('zeros.mp4', bytes)]);
    const { stdout } = await run('/usr/bin/unzip', ['-v', file]);
    expect(stdout).toMatch(/Stored/u);
    expect((await readFile(file)).byteLength).toBeGreaterThan(bytes.byteLength);
  });

  it('makes entry names safe and unique inside the archive', async () => {
    const file = await zipToFile(
      ['../../escape.mp4', 'dir\\clip.mp4', 'clip.mp4', 'CLIP.MP4', 'CON.mp4', 'a:b?.mov', ''].map(
        (name) => entryOf(name, Uint8Array.of(1, 2, 3)),
      ),
    );
    expect(await namesIn(file)).toEqual([
      'escape.mp4',
      'clip.mp4',
      'clip (2).mp4',
      'CLIP (3).MP4',
      '_CON.mp4',
      'ab.mov',
      'video',
    ]);
    const { stdout } = await run('/usr/bin/unzip', ['-t', file]);
    expect(stdout).toContain('No errors detected');
  });

  it('keeps non-ASCII names readable', async () => {
    const file = await zipToFile([entryOf('Café 日本語.mp4', Uint8Array.of(1))]);
    expect(await namesIn(file)).toEqual(['Café 日本語.mp4']);
  });

  it('opens each source only when the archive reaches it, one at a time, in order', async () => {
    const events: string[] = [];
    let openNow = 0;
    let mostOpen = 0;
    const entries = [0, 1, 2, 3].map((index): ZipStreamEntry => {
      const bytes = randomBytes(300 * 1024);
      return {
        name: `clip-${index}.mp4`,
        open: async () => {
          openNow += 1;
          mostOpen = Math.max(mostOpen, openNow);
          events.push(`open ${index}`);
          const source = streamOf(bytes);
          const reader = source.getReader();
          return new ReadableStream<Uint8Array>({
            async pull(controller) {
              const next = await reader.read();
              if (next.done) {
                openNow -= 1;
                events.push(`end ${index}`);
                controller.close();
              } else controller.enqueue(next.value);
            },
          });
        },
      };
    });
    await zipToFile(entries);
    expect(mostOpen).toBe(1);
    expect(events).toEqual([
      'open 0',
      'end 0',
      'open 1',
      'end 1',
      'open 2',
      'end 2',
      'open 3',
      'end 3',
    ]);
  });

  it('reads a source only as fast as the consumer takes the archive', async () => {
    let pulledBytes = 0;
    const chunk = randomBytes(64 * 1024);
    const source = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulledBytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    const archive = createZipStream([{ name: 'endless.mp4', open: async () => source }]);
    archive.once('data', () => archive.pause());
    archive.resume();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A consumer that stopped after one chunk: a few buffered chunks, not the endless source.
    expect(pulledBytes).toBeLessThan(1024 * 1024);
    archive.destroy();
  });

  it('accepts async iterables (a Node Readable) and neverthrow results', async () => {
    const bytes = randomBytes(200 * 1024);
    const file = await zipToFile([
      {
        name: 'node.mp4',
        open: async () => Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
      },
      { name: 'result.mp4', open: () => okAsync(streamOf(bytes)) },
    ]);
    expect((await unzipBytes(file, 'node.mp4')).equals(bytes)).toBe(true);
    expect((await unzipBytes(file, 'result.mp4')).equals(bytes)).toBe(true);
  });

  it('handles empty chunks between the bytes', async () => {
    const bytes = randomBytes(100_000);
    const chunks = [
      new Uint8Array(0),
      bytes.subarray(0, 10),
      new Uint8Array(0),
      bytes.subarray(10),
    ];
    const file = await zipToFile([
      { name: 'gaps.mp4', open: async () => Readable.from(chunks) },
      { name: 'only-empty.mp4', open: async () => Readable.from([new Uint8Array(0)]) },
    ]);
    expect((await unzipBytes(file, 'gaps.mp4')).equals(bytes)).toBe(true);
    expect((await unzipBytes(file, 'only-empty.mp4')).byteLength).toBe(0);
    const { stdout } = await run('/usr/bin/unzip', ['-t', file]);
    expect(stdout).toContain('No errors detected');
  });

  it('gives a valid empty archive for no entries', async () => {
    const file = await zipToFile([]);
    expect((await readFile(file)).byteLength).toBe(22);
    expect(await namesIn(file)).toEqual([]);
  });

  it('writes the same bytes for the same input and date', async () => {
    const bytes = randomBytes(10_000);
    const date = new Date('2025-03-04T05:06:08Z');
    const first = await zipToFile([entryOf('a.mp4', bytes)], { date });
    const second = await zipToFile([entryOf('a.mp4', bytes)], { date });
    expect((await readFile(first)).equals(await readFile(second))).toBe(true);
    const zip = await JSZip.loadAsync(await readFile(first));
    expect(zip.file('a.mp4')!.date.toISOString()).toBe('2025-03-04T05:06:08.000Z');
  });
});

describe('createZipStream failures', () => {
  // jszip drops an error its input emits while paused: the archive used to wait forever.
  it('fails with STORAGE naming the entry when a source errors mid-way', async () => {
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 3) return controller.error(new Error('disk on fire'));
        sent += 1;
        controller.enqueue(randomBytes(64 * 1024));
      },
    });
    const error = await failureOf([
      entryOf('fine.mp4', randomBytes(1000)),
      { name: 'broken.mp4', open: async () => failing },
      entryOf('never.mp4', randomBytes(1000)),
    ]);
    expect(error.code).toBe('STORAGE');
    expect(error.message).toContain('"broken.mp4"');
    expect(error.message).toContain('disk on fire');
  });

  it('fails when a source errors while the archive waits for a slow consumer', async () => {
    let reads = 0;
    const failingLater = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          reads += 1;
          if (reads === 1) return controller.enqueue(randomBytes(64 * 1024));
          await new Promise((resolve) => setTimeout(resolve, 50));
          controller.error(new Error('network dropped'));
        },
      },
      { highWaterMark: 0 },
    );
    const archive = createZipStream([{ name: 'slow.mp4', open: async () => failingLater }]);
    const failed = new Promise<unknown>((resolve) => archive.once('error', resolve));
    archive.once('data', () => archive.pause());
    archive.resume();
    const error = await Promise.race([
      failed,
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 20_000)),
    ]);
    expect(isVBucketsError(error) && error.code).toBe('STORAGE');
  });

  it('passes an Err from open through (NOT_FOUND stays NOT_FOUND)', async () => {
    const error = await failureOf([
      { name: 'gone.mp4', open: () => errAsync(notFoundError('No blob under "x"')) },
    ]);
    expect(error.code).toBe('NOT_FOUND');
  });

  it('turns a throwing open into STORAGE', async () => {
    const error = await failureOf([
      {
        name: 'throws.mp4',
        open: async () => {
          throw new Error('connection reset');
        },
      },
    ]);
    expect(error.code).toBe('STORAGE');
    expect(error.message).toBe('Opening "throws.mp4" failed: connection reset');
    expect(error).toMatchObject({ adapter: 'zip', operation: 'createZipStream' });
  });

  it('refuses chunks that are not bytes with VALIDATION', async () => {
    const error = await failureOf([
      {
        name: 'strings.mp4',
        open: async () => Readable.from(['not bytes'], { objectMode: true }),
      },
    ]);
    expect(error.code).toBe('VALIDATION');
  });

  it('ends with CANCELLED on abort and cancels the source being read', async () => {
    const controller = new AbortController();
    let cancelled = false;
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(stream) {
        pulls += 1;
        if (pulls === 5) controller.abort();
        stream.enqueue(randomBytes(64 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await failureOf([{ name: 'endless.mp4', open: async () => endless }], {
      signal: controller.signal,
    });
    expect(error.code).toBe('CANCELLED');
    await new Promise((resolve) => setImmediate(resolve));
    expect(cancelled).toBe(true);
  });

  it('ends with CANCELLED when the signal was aborted before it started, opening nothing', async () => {
    let opened = false;
    const error = await failureOf(
      [
        {
          name: 'a.mp4',
          open: async () => {
            opened = true;
            return streamOf(Uint8Array.of(1));
          },
        },
      ],
      { signal: AbortSignal.abort() },
    );
    expect(error.code).toBe('CANCELLED');
    expect(opened).toBe(false);
  });

  it('cancels the source being read when the consumer destroys the archive', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(stream) {
        stream.enqueue(randomBytes(64 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const archive = createZipStream([{ name: 'endless.mp4', open: async () => endless }]);
    await new Promise<void>((resolve) => archive.once('data', () => resolve()));
    archive.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cancelled).toBe(true);
  });

  it('refuses more entries than a ZIP without ZIP64 can hold', async () => {
    const entries = Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, index) =>
      entryOf(`${index}.mp4`, new Uint8Array(0)),
    );
    const error = await failureOf(entries);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('65535');
  });
});
