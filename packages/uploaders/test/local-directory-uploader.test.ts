import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSettingsError, type UploadCheckpoint, VBucketsError } from '@vbuckets/core';
import type { UploadableVideo } from '@vbuckets/core/adapter-kit';
import {
  describeUploaderConformance,
  expectErrorCode,
  expectOk,
  type UploaderConformanceHarness,
  uploadableVideoOf,
} from '@vbuckets/testkit';
import { errAsync, okAsync } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalDirectoryUploader, safeFileName } from '../src/index';

const CHECKPOINT = 256 * 1024;

/** Breaks the video's stream after `after` bytes with a retryable STORAGE error, as a failing BlobStore read would. */
function breakingAfter(video: UploadableVideo, after: number): UploadableVideo {
  return {
    ...video,
    open(offset = 0) {
      return video.open(offset).andThen((stream) => {
        let sent = offset;
        const reader = stream.getReader();
        return okAsync(
          new ReadableStream<Uint8Array>({
            async pull(controller) {
              if (sent >= after) {
                controller.error(
                  new VBucketsError('STORAGE', 'source interrupted', { retryable: true }),
                );
                return;
              }
              const { done, value } = await reader.read();
              if (done) return controller.close();
              sent += value.byteLength;
              controller.enqueue(value);
            },
          }),
        );
      });
    },
  };
}

async function posts(directory: string): Promise<string[]> {
  const names = await readdir(directory).catch(() => [] as string[]);
  return names.filter((name) => !name.startsWith('.') && !name.endsWith('.json'));
}

/** Counts the bytes the uploader pulls out of the video's streams, across calls. */
function counting(video: UploadableVideo, count: (bytes: number) => void): UploadableVideo {
  return {
    ...video,
    open(offset = 0) {
      return video.open(offset).map((stream) =>
        stream.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              count(chunk.byteLength);
              controller.enqueue(chunk);
            },
          }),
        ),
      );
    },
  };
}

async function localHarness(): Promise<UploaderConformanceHarness> {
  const directory = await mkdtemp(join(tmpdir(), 'vbuckets-local-'));
  const inner = createLocalDirectoryUploader({ directory, checkpointBytes: CHECKPOINT });
  let interruptNext = false;
  let copied = 0;
  return {
    uploader: {
      specificationVersion: 'v1',
      platform: inner.platform,
      upload(video, metadata, options) {
        // Broken right at a checkpoint, so every byte read before the break was confirmed.
        const source = interruptNext ? breakingAfter(video, 2 * CHECKPOINT) : video;
        interruptNext = false;
        return inner.upload(
          counting(source, (bytes) => (copied += bytes)),
          metadata,
          options,
        );
      },
    },
    readUploaded: async (postId) => new Uint8Array(await readFile(join(directory, postId))),
    countPosts: async () => (await posts(directory)).length,
    acceptedBytes: async () => copied,
    script: {
      failNext(kind) {
        if (kind !== 'interrupt') throw new Error(`a local directory cannot fail with ${kind}`);
        interruptNext = true;
      },
    },
    close: () => rm(directory, { recursive: true, force: true }),
  };
}

describeUploaderConformance({
  name: 'local directory',
  createUploader: localHarness,
  capabilities: {
    rateLimits: false,
    authentication: false,
    serverErrors: false,
    mediaRejection: false,
  },
});

describe('local directory uploader', () => {
  const directories: string[] = [];
  afterEach(async () => {
    for (const directory of directories.splice(0))
      await rm(directory, { recursive: true, force: true });
  });
  async function fresh() {
    const directory = await mkdtemp(join(tmpdir(), 'vbuckets-local-'));
    directories.push(directory);
    return directory;
  }

  it('names the file <videoId>-<safe filename> and writes the metadata beside it', async () => {
    const directory = await fresh();
    const uploader = createLocalDirectoryUploader({ directory: join(directory, 'out') });
    const success = await expectOk(
      uploader.upload(
        uploadableVideoOf(new Uint8Array([1, 2, 3]), {
          videoId: 'v1',
          filename: '../../évil name?.mp4',
        }),
        { title: 'T', tags: ['a'] },
      ),
    );
    expect(success.platformPostId).toBe('v1-evil_name_.mp4');
    expect(await readdir(join(directory, 'out'))).toEqual([
      'v1-evil_name_.mp4',
      'v1-evil_name_.mp4.json',
    ]);
    expect(
      JSON.parse(await readFile(join(directory, 'out', 'v1-evil_name_.mp4.json'), 'utf8')),
    ).toEqual({
      title: 'T',
      tags: ['a'],
    });
  });

  it('leaves no file when the copy is cancelled or the stream is short', async () => {
    const directory = await fresh();
    const uploader = createLocalDirectoryUploader({ directory });
    const short = { ...uploadableVideoOf(new Uint8Array(10)), sizeBytes: 20 };
    await expectErrorCode(uploader.upload(short, {}), 'MEDIA');
    const controller = new AbortController();
    await expectErrorCode(
      uploader.upload(
        uploadableVideoOf(new Uint8Array(300_000)),
        {},
        {
          signal: controller.signal,
          onProgress: (sent) => sent > 0 && controller.abort(),
        },
      ),
      'CANCELLED',
    );
    expect(await readdir(directory)).toEqual([]);
  });

  it('keeps the part file hidden until complete and appends from the checkpoint', async () => {
    const directory = await fresh();
    const uploader = createLocalDirectoryUploader({ directory, checkpointBytes: CHECKPOINT });
    const bytes = new Uint8Array(4 * CHECKPOINT).map((_, index) => index % 253);
    const checkpoints: UploadCheckpoint[] = [];
    const first = await uploader.upload(
      breakingAfter(uploadableVideoOf(bytes), 3 * CHECKPOINT),
      {},
      {
        onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint),
      },
    );
    expect(first.isErr() && first.error.code).toBe('STORAGE');
    expect(await posts(directory)).toEqual([]);
    const last = checkpoints.at(-1) as UploadCheckpoint;
    expect(last.sessionId).toMatch(/^\.video-1-conformance_clip\.mp4\.[0-9a-f]+\.part$/u);
    expect(last.offset).toBe(3 * CHECKPOINT);
    const opened: number[] = [];
    await expectOk(uploader.upload(uploadableVideoOf(bytes, { opened }), {}, { checkpoint: last }));
    expect(opened).toEqual([3 * CHECKPOINT]);
    expect(
      Buffer.from(await readFile(join(directory, 'video-1-conformance_clip.mp4'))).equals(
        Buffer.from(bytes),
      ),
    ).toBe(true);
    // Repeating the finished attempt's checkpoint returns the same post without copying.
    const again = await expectOk(
      uploader.upload(uploadableVideoOf(bytes, { opened }), {}, { checkpoint: last }),
    );
    expect(again.platformPostId).toBe('video-1-conformance_clip.mp4');
    expect(opened).toHaveLength(1);
  });

  it('ignores a checkpoint that names a path, starting over', async () => {
    const directory = await fresh();
    const uploader = createLocalDirectoryUploader({ directory });
    const opened: number[] = [];
    await expectOk(
      uploader.upload(
        uploadableVideoOf(new Uint8Array(50), { opened }),
        {},
        {
          checkpoint: { sessionId: '../../etc/passwd', offset: 10 },
        },
      ),
    );
    expect(opened).toEqual([0]);
  });

  it('passes a failing open through and validates settings and metadata', async () => {
    const directory = await fresh();
    const uploader = createLocalDirectoryUploader({ directory });
    const video = {
      ...uploadableVideoOf(new Uint8Array(5)),
      open: () => errAsync(new VBucketsError('NOT_FOUND', 'gone')),
    };
    await expectErrorCode(uploader.upload(video, {}), 'NOT_FOUND');
    await expectErrorCode(
      uploader.upload(uploadableVideoOf(new Uint8Array(5)), { caption: 'x' }),
      'VALIDATION',
    );
    const refusing = createLocalDirectoryUploader({ directory: '' });
    const refused = await expectErrorCode(
      refusing.upload(uploadableVideoOf(new Uint8Array(5)), {}),
      'VALIDATION',
    );
    expect(refused).toMatchObject({ path: 'directory', adapter: 'local', operation: 'upload' });
    expect(refused.message).toMatch(/^Invalid local directory settings\.directory: /u);
    expect(isSettingsError(refused)).toBe(true);
    expect(refusing.validateMetadata?.({})._unsafeUnwrapErr()).toMatchObject({
      path: 'directory',
      operation: 'validateMetadata',
    });
    expect(safeFileName('...')).toBe('video');
  });
});
