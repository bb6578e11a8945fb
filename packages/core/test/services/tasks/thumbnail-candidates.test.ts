import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { storageError, vbucketsError } from '../../../src/errors';
import { createTempLocalFiles } from '../../../src/node/temp-local-files';
import type { ThumbnailScorer } from '../../../src/ports/thumbnail-scorer';
import {
  createFakeMediaProbe,
  type FakeMediaProbe,
  makeThumbnailCandidate,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';
import { acme, globex, setup, summerVibes } from './tasks-setup';

const jpeg = (marker: number) => new Uint8Array([0xff, 0xd8, marker, 0xff, 0xd9]);

const threeCandidates = () => [
  makeThumbnailCandidate({ timestampSec: 1, jpeg: jpeg(1) }),
  makeThumbnailCandidate({
    timestampSec: 4.25,
    jpeg: jpeg(2),
    metrics: { brightness: 0.5, contrast: 0.9, sharpness: 0.9, colourfulness: 0.9 },
  }),
  makeThumbnailCandidate({ timestampSec: 8, jpeg: jpeg(3), metrics: { brightness: 0.02 } }),
];

async function taskWithVideo(
  options: Parameters<typeof setup>[0] & { probe?: FakeMediaProbe } = {},
) {
  const mediaProbe = options.probe ?? createFakeMediaProbe();
  const context = setup({ mediaProbe, localFiles: createTempLocalFiles(), ...options });
  (
    await context.vb.tasks.create(acme, {
      ...summerVibes,
      youtubeTitle: 'Electric Dreams',
      youtubeDescription: 'Neon city',
    })
  )._unsafeUnwrap();
  const attached = (
    await context.vb.tasks.attachVideo(acme, 'task_abc123', {
      filename: 'electric-dreams.mp4',
      body: () => sampleVideoBytes('mp4', 0),
    })
  )._unsafeUnwrap();
  return { ...context, mediaProbe, video: attached.video };
}

const thumbnailKeys = (keys: string[]) => keys.filter((key) => key.startsWith('thumbnails/'));

describe('thumbnails.generateCandidates', () => {
  it('cuts candidates from a local copy of the video, scores them with the heuristic and saves them as frames', async () => {
    const { vb, mediaProbe, blobs } = await taskWithVideo();
    let seenPath = '';
    mediaProbe.queueThumbnailCandidates((call) => {
      seenPath = call.path;
      expect(readFileSync(call.path)).toEqual(Buffer.from(sampleVideoBytes('mp4', 0)));
      expect(call.path.endsWith('.mp4')).toBe(true);
      return threeCandidates();
    });
    const generated = (await vb.thumbnails.generateCandidates(acme, 'task_abc123'))._unsafeUnwrap();
    expect(mediaProbe.calls[0]?.options).toMatchObject({ count: 6, maxWidth: 1280 });
    // The temporary copy is gone afterwards.
    expect(existsSync(dirname(seenPath))).toBe(false);
    expect(generated.map((candidate) => candidate.timestampSec)).toEqual([1, 4.25, 8]);
    expect(generated.map((candidate) => candidate.thumbnail)).toMatchObject([
      { variant: 'frame_1s', source: 'frame', clickPrediction: null, isSelected: false },
      { variant: 'frame_4.25s', source: 'frame', clickPrediction: null },
      { variant: 'frame_8s', source: 'frame', clickPrediction: null },
    ]);
    const [middling, crisp, dark] = generated.map((candidate) => candidate.thumbnail.qualityScore);
    expect(crisp).toBeGreaterThan(middling ?? 1);
    expect(dark).toBeLessThan(middling ?? 0);
    for (const [index, candidate] of generated.entries()) {
      const key = candidate.thumbnail.blobKey ?? '';
      expect(key).toMatch(/^thumbnails\/org_acme\/task_task_abc123\/.+\.jpg$/u);
      const object = (await blobs.get(key))._unsafeUnwrap();
      expect(object.contentType).toBe('image/jpeg');
      const bytes = new Uint8Array(await new Response(object.body).arrayBuffer());
      expect(bytes).toEqual(jpeg(index + 1));
    }
    expect((await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap()).toHaveLength(3);
  });

  it('keeps the click prediction and reason of a scorer that gives them, and passes the task’s title', async () => {
    const seen: unknown[] = [];
    const scorer: ThumbnailScorer = {
      specificationVersion: 'v1',
      provider: 'clicky',
      score: (candidates, context) => {
        seen.push(context?.title, context?.description);
        return okAsync(
          candidates.map((_, index) => ({
            qualityScore: 0.5,
            clickPrediction: index / 10,
            reason: `number ${index}`,
          })),
        );
      },
    };
    const { vb, mediaProbe } = await taskWithVideo({ thumbnailScorer: scorer });
    mediaProbe.queueThumbnailCandidates(threeCandidates());
    const generated = (
      await vb.thumbnails.generateCandidates(acme, 'task_abc123', { count: 3 })
    )._unsafeUnwrap();
    expect(seen).toEqual(['Electric Dreams', 'Neon city']);
    expect(mediaProbe.calls[0]?.options).toMatchObject({ count: 3 });
    expect(generated.map((candidate) => candidate.thumbnail.clickPrediction)).toEqual([
      0, 0.1, 0.2,
    ]);
    expect(generated[1]?.reason).toBe('number 1');
  });

  it('saves nothing when the video gives no candidates', async () => {
    const { vb, mediaProbe } = await taskWithVideo();
    mediaProbe.queueThumbnailCandidates([]);
    expect((await vb.thumbnails.generateCandidates(acme, 'task_abc123'))._unsafeUnwrap()).toEqual(
      [],
    );
  });

  it('refuses a count outside 1..20, a task without a video and another org’s task', async () => {
    const { vb } = await taskWithVideo();
    for (const count of [0, 21, 2.5]) {
      const error = (
        await vb.thumbnails.generateCandidates(acme, 'task_abc123', { count })
      )._unsafeUnwrapErr();
      expect(error).toMatchObject({ code: 'VALIDATION', path: 'count' });
    }
    (await vb.tasks.create(acme, { ...summerVibes, id: 'task_bare' }))._unsafeUnwrap();
    const bare = (await vb.thumbnails.generateCandidates(acme, 'task_bare'))._unsafeUnwrapErr();
    expect(bare).toMatchObject({ code: 'VALIDATION', path: 'videoId' });
    expect(bare.message).toContain('attachVideo');
    const foreign = (
      await vb.thumbnails.generateCandidates(globex, 'task_abc123')
    )._unsafeUnwrapErr();
    expect(foreign.code).toBe('NOT_FOUND');
  });

  it('is a settings VALIDATION error without a probe, with a probe lacking candidates, or without local files', async () => {
    const noProbe = setup({ localFiles: createTempLocalFiles() });
    const missing = (await noProbe.vb.thumbnails.generateCandidates(acme, 't'))._unsafeUnwrapErr();
    expect(missing).toMatchObject({
      code: 'VALIDATION',
      path: 'mediaProbe',
      details: { settings: true },
    });

    const { extractThumbnailCandidates: _dropped, ...plain } = createFakeMediaProbe();
    const oldProbe = setup({ mediaProbe: plain, localFiles: createTempLocalFiles() });
    const lacking = (await oldProbe.vb.thumbnails.generateCandidates(acme, 't'))._unsafeUnwrapErr();
    expect(lacking).toMatchObject({ code: 'VALIDATION', path: 'mediaProbe' });
    expect(lacking.message).toContain('extractThumbnailCandidates');

    const noFiles = setup({ mediaProbe: createFakeMediaProbe() });
    const files = (await noFiles.vb.thumbnails.generateCandidates(acme, 't'))._unsafeUnwrapErr();
    expect(files).toMatchObject({
      code: 'VALIDATION',
      path: 'localFiles',
      details: { settings: true },
    });
  });
});

describe('thumbnails.generateCandidates is all or nothing', () => {
  it('leaves no image when the probe fails', async () => {
    const { vb, mediaProbe, blobs } = await taskWithVideo();
    mediaProbe.queueThumbnailCandidates(vbucketsError('MEDIA', '[media] not a video'));
    expect(
      (await vb.thumbnails.generateCandidates(acme, 'task_abc123'))._unsafeUnwrapErr().code,
    ).toBe('MEDIA');
    expect(thumbnailKeys(blobs.keys())).toEqual([]);
  });

  it('leaves nothing when the scorer fails or answers the wrong number of scores', async () => {
    let answer: 'fail' | 'short' = 'fail';
    const scorer: ThumbnailScorer = {
      specificationVersion: 'v1',
      provider: 'flaky',
      score: (candidates) =>
        answer === 'fail'
          ? errAsync(vbucketsError('PROVIDER', '[flaky] down'))
          : okAsync(candidates.slice(1).map(() => ({ qualityScore: 0.5, clickPrediction: null }))),
    };
    const { vb, mediaProbe, blobs } = await taskWithVideo({ thumbnailScorer: scorer });
    mediaProbe.queueThumbnailCandidates(threeCandidates(), threeCandidates());
    expect(
      (await vb.thumbnails.generateCandidates(acme, 'task_abc123'))._unsafeUnwrapErr().message,
    ).toBe('[flaky] down');
    answer = 'short';
    const short = (await vb.thumbnails.generateCandidates(acme, 'task_abc123'))._unsafeUnwrapErr();
    expect(short).toMatchObject({ code: 'PROVIDER' });
    expect(short.message).toContain('2 scores for 3 candidates');
    expect(thumbnailKeys(blobs.keys())).toEqual([]);
    expect((await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap()).toEqual([]);
  });

  it('deletes the images already stored when a later image cannot be stored', async () => {
    const context = await taskWithVideo();
    const { vb, mediaProbe, blobs } = context;
    const put = blobs.put.bind(blobs);
    let puts = 0;
    blobs.put = (key, body, options) => {
      if (key.startsWith('thumbnails/') && ++puts === 3) {
        return errAsync(storageError('[memory] disk full'));
      }
      return put(key, body, options);
    };
    mediaProbe.queueThumbnailCandidates(threeCandidates());
    const error = (await vb.thumbnails.generateCandidates(acme, 'task_abc123'))._unsafeUnwrapErr();
    expect(error.message).toBe('[memory] disk full');
    expect(thumbnailKeys(blobs.keys())).toEqual([]);
    expect((await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap()).toEqual([]);
  });

  it('deletes every stored image when the rows cannot be saved, and inserts none of them', async () => {
    const context = await taskWithVideo();
    const { vb, mediaProbe, blobs, store } = context;
    // The third insert collides with an id already taken, after two inserts succeeded.
    (
      await vb.thumbnails.add(acme, 'task_abc123', {
        id: 'id-taken',
        variant: 'bold_text',
        imageUrl: 'https://cdn.example/t.jpg',
      })
    )._unsafeUnwrap();
    const transaction = store.transaction.bind(store);
    store.transaction = (fn) =>
      transaction((tx) => {
        let inserts = 0;
        return fn({
          ...tx,
          thumbnails: {
            ...tx.thumbnails,
            insert: (row) =>
              ++inserts === 3
                ? tx.thumbnails.insert({ ...row, id: 'id-taken' })
                : tx.thumbnails.insert(row),
          },
        });
      });
    mediaProbe.queueThumbnailCandidates(threeCandidates());
    const error = (await vb.thumbnails.generateCandidates(acme, 'task_abc123'))._unsafeUnwrapErr();
    expect(error.code).toBe('CONFLICT');
    expect(thumbnailKeys(blobs.keys())).toEqual([]);
    const left = (await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap();
    expect(left.map((thumbnail) => thumbnail.id)).toEqual(['id-taken']);
  });

  it('saves nothing when cancelled', async () => {
    const { vb, mediaProbe, blobs } = await taskWithVideo();
    mediaProbe.queueThumbnailCandidates(threeCandidates());
    const controller = new AbortController();
    controller.abort();
    const error = (
      await vb.thumbnails.generateCandidates(acme, 'task_abc123', { signal: controller.signal })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
    expect(thumbnailKeys(blobs.keys())).toEqual([]);
    expect((await vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap()).toEqual([]);
  });
});

describe('thumbnails.image', () => {
  it('streams a cut frame’s stored JPEG, and is NOT_FOUND for a given thumbnail, an unknown one or another org', async () => {
    const { vb, mediaProbe } = await taskWithVideo();
    mediaProbe.queueThumbnailCandidates(() => threeCandidates());
    const generated = (await vb.thumbnails.generateCandidates(acme, 'task_abc123'))._unsafeUnwrap();
    const second = generated[1]?.thumbnail.id ?? '';
    const found = (await vb.thumbnails.image(acme, 'task_abc123', second))._unsafeUnwrap();
    expect(found.thumbnail.id).toBe(second);
    expect(found.image.contentType).toBe('image/jpeg');
    expect(new Uint8Array(await new Response(found.image.body).arrayBuffer())).toEqual(jpeg(2));

    const given = (
      await vb.thumbnails.add(acme, 'task_abc123', {
        variant: 'bold_text',
        imageUrl: 'https://images.example/t.jpg',
      })
    )._unsafeUnwrap();
    const byUrl = (await vb.thumbnails.image(acme, 'task_abc123', given.id))._unsafeUnwrapErr();
    expect(byUrl.code).toBe('NOT_FOUND');
    expect(byUrl.message).toContain('https://images.example/t.jpg');
    for (const [scope, id] of [
      [acme, 'thumb_none'],
      [globex, second],
    ] as const) {
      const missing = (await vb.thumbnails.image(scope, 'task_abc123', id))._unsafeUnwrapErr();
      expect(missing.code).toBe('NOT_FOUND');
    }
  });
});
