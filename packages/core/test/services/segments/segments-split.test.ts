import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { errAsync, type ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import {
  isSettingsError,
  storageError,
  type VBucketsError,
  vbucketsError,
} from '../../../src/errors';
import { createTempLocalFiles } from '../../../src/node/temp-local-files';
import type { BlobBody, BlobPutOptions, BlobPutResult } from '../../../src/ports/blob-store';
import type { Store, StoreRepositories } from '../../../src/ports/store';
import type { Segment } from '../../../src/schemas/segment';
import {
  createFakeMediaProbe,
  createMemoryBlobStore,
  createMemoryStore,
  makeVideoPieces,
} from '../../../src/testing/index';
import { acme, bytes, createSegment, globex, registerVideo, setup } from './segments-setup';

const pieceBytes = (index: number) => bytes(index, index, index, index, index + 1);

function splitting(options: Parameters<typeof setup>[0] = {}) {
  const mediaProbe = createFakeMediaProbe();
  const context = setup({ mediaProbe, localFiles: createTempLocalFiles(), ...options });
  return { ...context, mediaProbe };
}

const segmentKeys = (keys: string[]) => keys.filter((key) => key.startsWith('segments/'));

/** A memory blob store whose `failOn`-th put (1-based) fails after writing part of the object. */
function failingNthPut(failOn: number) {
  const blobs = createMemoryBlobStore();
  let puts = 0;
  return {
    ...blobs,
    put: (
      key: string,
      body: BlobBody,
      options?: BlobPutOptions,
    ): ResultAsync<BlobPutResult, VBucketsError> => {
      puts += 1;
      if (puts !== failOn) return blobs.put(key, body, options);
      // Half-written: the object exists, and the put still fails.
      return blobs
        .put(key, bytes(0))
        .andThen(() => errAsync(storageError(`[memory] put of ${key} failed`)));
    },
  };
}

/** A memory store whose transactions refuse the `failOn`-th segment insert. */
function failingNthInsert(failOn: number): Store {
  const base = createMemoryStore();
  let inserts = 0;
  const wrap = (tx: StoreRepositories): StoreRepositories => ({
    ...tx,
    segments: {
      ...tx.segments,
      insert: (segment: Segment) => {
        inserts += 1;
        return inserts === failOn
          ? errAsync(storageError('[memory] insert failed: disk full'))
          : tx.segments.insert(segment);
      },
    },
  });
  return { ...base, transaction: (fn) => base.transaction((tx) => fn(wrap(tx))) };
}

describe('segments.split', () => {
  it('cuts a local copy of the video, stores each piece and inserts one segment per piece', async () => {
    const context = splitting();
    const video = await registerVideo(context, { ownerId: 'user_7' });
    let seenPath = '';
    context.mediaProbe.queueSplitVideo((call) => {
      seenPath = call.path;
      expect(existsSync(call.path)).toBe(true);
      return makeVideoPieces([4, 4, 2.5], pieceBytes);
    });
    const segments = (
      await context.vb.segments.split(acme, video.id, { segmentSeconds: 4 })
    )._unsafeUnwrap();
    expect(context.mediaProbe.calls.at(-1)).toMatchObject({
      method: 'splitVideo',
      options: { segmentSeconds: 4 },
    });
    expect(existsSync(dirname(seenPath))).toBe(false);
    expect(
      segments.map((segment) => [segment.segmentNumber, segment.durationSec, segment.sizeBytes]),
    ).toEqual([
      [1, 4, 5],
      [2, 4, 5],
      [3, 2.5, 5],
    ]);
    for (const [index, segment] of segments.entries()) {
      expect(segment).toMatchObject({
        videoId: video.id,
        ownerId: 'user_7',
        segmentType: 'processed',
        contentType: 'video/mp4',
      });
      const object = (await context.blobs.get(segment.blobKey))._unsafeUnwrap();
      expect(new Uint8Array(await new Response(object.body).arrayBuffer())).toEqual(
        pieceBytes(index),
      );
    }
    const listed = (await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap();
    expect(listed.map((segment) => segment.id)).toEqual(segments.map((segment) => segment.id));
  });

  it('passes cut points through, numbers after the video’s highest segment of the type', async () => {
    const context = splitting();
    const video = await registerVideo(context);
    await createSegment(context, video.id, { segmentType: 'audio', segmentNumber: 2 });
    context.mediaProbe.queueSplitVideo(makeVideoPieces([1.5, 3]));
    const segments = (
      await context.vb.segments.split(acme, video.id, {
        cutPointsSec: [1.5],
        segmentType: 'audio',
      })
    )._unsafeUnwrap();
    expect(context.mediaProbe.calls.at(-1)?.options).toMatchObject({ cutPointsSec: [1.5] });
    expect(segments.map((segment) => [segment.segmentType, segment.segmentNumber])).toEqual([
      ['audio', 3],
      ['audio', 4],
    ]);
  });

  it('leaves no object and no row when the third put fails (the half-written one included)', async () => {
    const context = splitting({ blobs: failingNthPut(3) });
    const video = await registerVideo(context); // the video's own put is the first
    context.mediaProbe.queueSplitVideo(makeVideoPieces([2, 2, 2], pieceBytes));
    const error = (
      await context.vb.segments.split(acme, video.id, { segmentSeconds: 2 })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('STORAGE');
    expect(segmentKeys(context.blobs.keys())).toEqual([]);
    expect((await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap()).toEqual([]);
  });

  it('leaves no object and no row when the insert fails part way (one transaction)', async () => {
    const context = splitting({ store: failingNthInsert(2) });
    const video = await registerVideo(context);
    context.mediaProbe.queueSplitVideo(makeVideoPieces([2, 2, 2], pieceBytes));
    const error = (
      await context.vb.segments.split(acme, video.id, { segmentSeconds: 2 })
    )._unsafeUnwrapErr();
    expect(error.message).toContain('disk full');
    expect(segmentKeys(context.blobs.keys())).toEqual([]);
    expect((await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap()).toEqual([]);
  });

  it('stores nothing when the probe fails or the call is cancelled', async () => {
    const context = splitting();
    const video = await registerVideo(context);
    context.mediaProbe.queueSplitVideo(() => {
      throw vbucketsError('MEDIA', 'moov atom not found');
    });
    const failed = (
      await context.vb.segments.split(acme, video.id, { segmentSeconds: 2 })
    )._unsafeUnwrapErr();
    expect(failed.code).toBe('MEDIA');
    const controller = new AbortController();
    controller.abort();
    context.mediaProbe.queueSplitVideo(makeVideoPieces([2, 2]));
    const cancelled = (
      await context.vb.segments.split(acme, video.id, {
        segmentSeconds: 2,
        signal: controller.signal,
      })
    )._unsafeUnwrapErr();
    expect(cancelled.code).toBe('CANCELLED');
    expect(segmentKeys(context.blobs.keys())).toEqual([]);
    expect((await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap()).toEqual([]);
  });

  it('is NOT_FOUND for another org’s video', async () => {
    const context = splitting();
    const video = await registerVideo(context);
    const error = (
      await context.vb.segments.split(globex, video.id, { segmentSeconds: 2 })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('NOT_FOUND');
    expect(context.mediaProbe.calls).toEqual([]);
  });

  it.each([
    ['segmentSeconds', {}],
    ['segmentSeconds', { segmentSeconds: 2, cutPointsSec: [1] }],
    ['segmentSeconds', { segmentSeconds: 0 }],
    ['cutPointsSec', { cutPointsSec: [3, 1] }],
    ['cutPointsSec.0', { cutPointsSec: [-1] }],
    ['segmentType', { segmentSeconds: 1, segmentType: 'clip' }],
  ])('refuses bad options naming %s', async (path, options) => {
    const context = splitting();
    const video = await registerVideo(context);
    const error = (
      await context.vb.segments.split(acme, video.id, options as object)
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`options.${path}`);
  });

  it('is a settings error without a probe that splits, or without local files', async () => {
    const noProbe = setup({ localFiles: createTempLocalFiles() });
    const video = await registerVideo(noProbe);
    const missing = (
      await noProbe.vb.segments.split(acme, video.id, { segmentSeconds: 2 })
    )._unsafeUnwrapErr();
    expect(isSettingsError(missing)).toBe(true);
    expect(missing.path).toBe('mediaProbe');

    const { splitVideo: _unused, ...cannotSplit } = createFakeMediaProbe();
    const oldProbe = setup({ mediaProbe: cannotSplit, localFiles: createTempLocalFiles() });
    const other = await registerVideo(oldProbe);
    const unable = (
      await oldProbe.vb.segments.split(acme, other.id, { segmentSeconds: 2 })
    )._unsafeUnwrapErr();
    expect(isSettingsError(unable)).toBe(true);
    expect(unable.message).toContain('no splitVideo');

    const noFiles = setup({ mediaProbe: createFakeMediaProbe() });
    const third = await registerVideo(noFiles);
    const local = (
      await noFiles.vb.segments.split(acme, third.id, { segmentSeconds: 2 })
    )._unsafeUnwrapErr();
    expect(isSettingsError(local)).toBe(true);
    expect(local.path).toBe('localFiles');
  });
});
