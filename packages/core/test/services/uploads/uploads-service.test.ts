import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
import { type VBucketsError, vbucketsError } from '../../../src/errors';
import type { Store } from '../../../src/ports/store';
import { UPLOAD_STATUS_SYMBOLS } from '../../../src/services/uploads/upload-status-symbols';
import {
  createFakeAuditSink,
  createFakePlatformUploader,
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
  type FakePlatformUploader,
  type MemoryBlobStore,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

const acme = { orgId: 'acme' };
const START = '2026-02-18T10:00:00.000Z';
const retryable = () => vbucketsError('PROVIDER', 'YouTube answered 503', { retryable: true });

function setup(
  options: {
    store?: Store;
    blobs?: MemoryBlobStore;
    uploader?: FakePlatformUploader;
    start?: string;
    sinkFails?: boolean;
  } = {},
) {
  const store = options.store ?? createMemoryStore();
  const blobs = options.blobs ?? createMemoryBlobStore();
  const clock = createManualClock(options.start ?? START);
  const uploader =
    options.uploader ??
    createFakePlatformUploader({ platform: 'youtube', fallback: { platformPostId: 'post-1' } });
  const auditSink = createFakeAuditSink(
    options.sinkFails === true ? { fallback: vbucketsError('STORAGE', 'The disk is full') } : {},
  );
  const warnings: string[] = [];
  const sdk = createVBuckets({
    store,
    blobs,
    clock,
    ids: createSequentialIdGenerator(`id-${options.start ?? 'a'}`),
    uploaders: [uploader],
    auditSink,
    uploads: { leaseMs: 60_000, random: () => 1 },
    onWarning: (warning) => warnings.push(warning.message),
  })._unsafeUnwrap();
  return { sdk, store, blobs, clock, uploader, auditSink, warnings };
}

async function registered(sdk: ReturnType<typeof setup>['sdk'], seed = 0) {
  const video = await sdk.videos.register(acme, {
    filename: 'clip.mp4',
    body: () => sampleVideoBytes('mp4', seed),
    ownerId: 'user-1',
    mimeType: 'video/mp4',
  });
  return video._unsafeUnwrap().video;
}

describe('uploads service', () => {
  it('lists uploads and videos a page at a time, each page after the last id of the one before', async () => {
    const { sdk, clock } = setup();
    for (let seed = 0; seed < 5; seed++) {
      const video = await registered(sdk, seed);
      (await sdk.uploads.upload(acme, video.id, 'youtube', { title: `t${seed}` }))._unsafeUnwrap();
      clock.advance(1_000);
    }
    const every = (await sdk.uploads.status(acme))._unsafeUnwrap();
    expect(every).toHaveLength(5);
    const firstPage = (await sdk.uploads.status(acme, { limit: 2 }))._unsafeUnwrap();
    const secondPage = (
      await sdk.uploads.status(acme, { limit: 2, after: firstPage[1]!.id })
    )._unsafeUnwrap();
    expect([...firstPage, ...secondPage].map((row) => row.id)).toEqual(
      every.slice(0, 4).map((row) => row.id),
    );
    const videos = (await sdk.videos.list(acme))._unsafeUnwrap();
    const afterSecond = (
      await sdk.videos.list(acme, { limit: 10, after: videos[1]!.id })
    )._unsafeUnwrap();
    expect(afterSecond.map((video) => video.id)).toEqual(videos.slice(2).map((video) => video.id));
    const both = (
      await sdk.videos.list(acme, { offset: 1, after: videos[0]!.id })
    )._unsafeUnwrapErr();
    expect(both).toMatchObject({ code: 'VALIDATION' });
    expect((await sdk.uploads.status(acme, { limit: 0 }))._unsafeUnwrapErr().code).toBe(
      'VALIDATION',
    );
  });

  it('names the platforms it has an uploader for, sorted, and none without uploaders', () => {
    const sdk = createVBuckets({
      store: createMemoryStore(),
      blobs: createMemoryBlobStore(),
      uploaders: [
        createFakePlatformUploader({ platform: 'youtube' }),
        createFakePlatformUploader({ platform: 'local' }),
      ],
    })._unsafeUnwrap();
    expect(sdk.uploads.platforms()).toEqual(['local', 'youtube']);
    const bare = createVBuckets({ store: createMemoryStore(), blobs: createMemoryBlobStore() });
    expect(bare._unsafeUnwrap().uploads.platforms()).toEqual([]);
  });

  it('writes IN_PROGRESS then SUCCESS audit events on success', async () => {
    const { sdk, store, auditSink } = setup();
    const video = await registered(sdk);
    const upload = (
      await sdk.uploads.upload(acme, video.id, 'youtube', { title: 't' })
    )._unsafeUnwrap();
    expect(upload.status).toBe('SUCCESS');
    expect(upload.platformPostId).toBe('post-1');
    const events = (await store.auditEvents.list(acme))._unsafeUnwrap();
    expect(events.map((event) => event.status)).toEqual(['IN_PROGRESS', 'SUCCESS']);
    expect(auditSink.events.map((event) => event.status)).toEqual(['IN_PROGRESS', 'SUCCESS']);
  });

  it('walks FAILED 1..3 then FAILED_FINAL; runDue retries only due rows; force retries after FAILED_FINAL', async () => {
    const uploader = createFakePlatformUploader({ platform: 'youtube', fallback: retryable });
    const { sdk, clock } = setup({ uploader });
    const video = await registered(sdk);
    const first = await sdk.uploads.upload(acme, video.id, 'youtube');
    expect(first.isErr()).toBe(true);
    const rows = (await sdk.uploads.status(acme))._unsafeUnwrap();
    expect(rows[0]).toMatchObject({ status: 'FAILED', retryCount: 1, symbol: '✖' });
    expect(rows[0]?.nextAttemptAt).toBe(new Date(clock.now() + 30_000).toISOString());
    // Not due yet: nothing happens.
    expect((await sdk.uploads.runDue(acme))._unsafeUnwrap()).toEqual([]);
    expect(uploader.calls).toHaveLength(1);
    for (const [retryCount, delay] of [
      [2, 30_000],
      [3, 60_000],
    ] as const) {
      clock.advance(delay);
      const done = (await sdk.uploads.runDue(acme))._unsafeUnwrap();
      expect(done[0]).toMatchObject({ status: 'FAILED', retryCount });
    }
    clock.advance(120_000);
    const final = (await sdk.uploads.runDue(acme))._unsafeUnwrap();
    expect(final[0]).toMatchObject({ status: 'FAILED_FINAL', retryCount: 4, nextAttemptAt: null });
    clock.advance(10_000_000);
    expect((await sdk.uploads.runDue(acme))._unsafeUnwrap()).toEqual([]);
    uploader.queueUpload({ platformPostId: 'post-9' });
    const forced = await sdk.uploads.upload(acme, video.id, 'youtube', {}, { force: true });
    expect(forced._unsafeUnwrap().status).toBe('SUCCESS');
    expect(uploader.calls).toHaveLength(5);
    const [history, ...others] = (await sdk.uploads.history(acme, video.id))._unsafeUnwrap();
    expect(others).toEqual([]);
    expect(history).toMatchObject({ platform: 'youtube', status: 'SUCCESS', symbol: '✔' });
    expect(history?.attempts.map((attempt) => [attempt.attemptNumber, attempt.status])).toEqual([
      [1, 'FAILED'],
      [2, 'FAILED'],
      [3, 'FAILED'],
      [4, 'FAILED_FINAL'],
      [5, 'SUCCESS'],
    ]);
    expect((await sdk.uploads.history({ orgId: 'globex' }, video.id))._unsafeUnwrapErr().code).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses a duplicate with the human reason, recording BLOCKED in the audit trail', async () => {
    const { sdk, store, auditSink } = setup();
    const video = await registered(sdk);
    (await sdk.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    const again = await sdk.uploads.upload(acme, video.id, 'youtube');
    const error = again._unsafeUnwrapErr();
    expect(error.code).toBe('DUPLICATE_UPLOAD');
    expect(error.message).toMatch(/already uploaded to YouTube at .*, post id post-1/);
    const [allowed, reason] = (
      await sdk.uploads.canUpload(acme, video.id, 'youtube')
    )._unsafeUnwrap();
    expect(allowed).toBe(false);
    expect(reason).toMatch(/already uploaded to YouTube/);
    const row = (await store.uploads.get(acme, video.id, 'youtube'))._unsafeUnwrap();
    // The video stays posted; the refused attempt is BLOCKED in the audit trail.
    expect(row).toMatchObject({ status: 'SUCCESS', platformPostId: 'post-1' });
    const blocked = auditSink.events.at(-1);
    expect(blocked).toMatchObject({ status: 'BLOCKED', videoId: video.id, platform: 'youtube' });
    expect(blocked?.errorMessage).toMatch(/already uploaded to YouTube at .*, post id post-1/);
    expect((await store.auditEvents.list(acme))._unsafeUnwrap().at(-1)?.status).toBe('BLOCKED');
  });

  it('makes exactly one uploader call for 200 concurrent uploads of one pair', async () => {
    const { sdk, uploader } = setup();
    const video = await registered(sdk);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => sdk.uploads.upload(acme, video.id, 'youtube')),
    );
    expect(uploader.calls).toHaveLength(1);
    expect(results.filter((result) => result.isOk())).toHaveLength(1);
    expect(
      results.every((result) => result.isOk() || result.error.code === 'DUPLICATE_UPLOAD'),
    ).toBe(true);
  });

  it('passes the saved checkpoint to the next attempt', async () => {
    const uploader = createFakePlatformUploader({ platform: 'youtube' });
    uploader.queueUpload(
      async (call) => {
        await call.options?.onCheckpoint?.({ sessionId: 'session-1', offset: 5 });
        return retryable();
      },
      { platformPostId: 'post-2' },
    );
    const { sdk } = setup({ uploader });
    const video = await registered(sdk);
    expect((await sdk.uploads.upload(acme, video.id, 'youtube')).isErr()).toBe(true);
    const second = await sdk.uploads.upload(acme, video.id, 'youtube', {}, { force: true });
    expect(second._unsafeUnwrap().status).toBe('SUCCESS');
    expect(uploader.calls[1]?.options?.checkpoint).toEqual({ sessionId: 'session-1', offset: 5 });
  });

  it('reclaims an expired lease from another instance and resumes from the checkpoint', async () => {
    const store = createMemoryStore();
    const blobs = createMemoryBlobStore();
    const hanging = createFakePlatformUploader({ platform: 'youtube' });
    let checkpointSaved = () => {};
    const saved = new Promise<void>((resolve) => {
      checkpointSaved = resolve;
    });
    hanging.queueUpload(async (call) => {
      await call.options?.onCheckpoint?.({ sessionId: 'session-7', offset: 3 });
      checkpointSaved();
      // The worker dies here: it never reports.
      return new Promise((resolve) =>
        call.options?.signal?.addEventListener('abort', () =>
          resolve(vbucketsError('CANCELLED', 'worker died')),
        ),
      );
    });
    const first = setup({ store, blobs, uploader: hanging });
    const video = await registered(first.sdk);
    const dying = new AbortController();
    const abandoned = first.sdk.uploads.upload(
      acme,
      video.id,
      'youtube',
      {},
      { owner: 'worker-a', signal: dying.signal },
    );
    // Waits for the checkpoint itself, not a 10 ms timer that a busy machine may outrun.
    await saved;
    const second = setup({ store, blobs, start: '2026-02-18T11:00:00.000Z' });
    const resumed = await second.sdk.uploads.upload(
      acme,
      video.id,
      'youtube',
      {},
      { owner: 'worker-b' },
    );
    expect(resumed._unsafeUnwrap().status).toBe('SUCCESS');
    expect(second.uploader.calls).toHaveLength(1);
    expect(second.uploader.calls[0]?.options?.checkpoint).toEqual({
      sessionId: 'session-7',
      offset: 3,
    });
    // The dead worker's late report cannot overwrite the reclaimed row.
    dying.abort();
    expect((await abandoned).isErr()).toBe(true);
    expect((await second.sdk.uploads.status(acme))._unsafeUnwrap()[0]?.status).toBe('SUCCESS');
  });

  it('does not fail the upload when the audit sink fails', async () => {
    const { sdk, warnings } = setup({ sinkFails: true });
    const video = await registered(sdk);
    expect((await sdk.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap().status).toBe(
      'SUCCESS',
    );
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('turns a throwing uploader or audit sink into a sentence, naming them in the fields', async () => {
    const store = createMemoryStore();
    const warnings: VBucketsError[] = [];
    const sdk = createVBuckets({
      store,
      blobs: createMemoryBlobStore(),
      clock: createManualClock(START),
      ids: createSequentialIdGenerator('throws'),
      uploaders: [
        {
          specificationVersion: 'v1',
          platform: 'youtube',
          upload: () => {
            throw new Error('adapter bug');
          },
        },
      ],
      auditSink: {
        specificationVersion: 'v1',
        write: () => {
          throw new Error('sink bug');
        },
      },
      onWarning: (warning) => warnings.push(warning),
    })._unsafeUnwrap();
    const video = await registered(sdk);
    const error = (await sdk.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrapErr();
    expect(error.message).toBe('The youtube uploader threw: adapter bug');
    expect(error).toMatchObject({ code: 'PROVIDER', adapter: 'youtube', operation: 'upload' });
    const sink = warnings.find((warning) => warning.adapter === 'audit-sink');
    expect(sink?.message).toBe('Writing to the audit sink threw: sink bug');
    expect(sink?.operation).toBe('auditSink.write');
  });

  it('answers NOT_FOUND for a missing file and VALIDATION for an unknown platform', async () => {
    const { sdk, blobs } = setup();
    const video = await registered(sdk);
    expect((await sdk.uploads.upload(acme, video.id, 'tiktok'))._unsafeUnwrapErr().code).toBe(
      'VALIDATION',
    );
    (await blobs.delete(video.blobKey))._unsafeUnwrap();
    const missing = (await sdk.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrapErr();
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/video file not found/);
  });

  it('uploads all pending pairs once', async () => {
    const { sdk, uploader } = setup();
    await registered(sdk, 1);
    await registered(sdk, 2);
    const summary = (
      await sdk.uploads.uploadAllPending(acme, { platforms: ['youtube'], concurrency: 2 })
    )._unsafeUnwrap();
    expect(summary.uploaded).toHaveLength(2);
    const again = (
      await sdk.uploads.uploadAllPending(acme, { platforms: ['youtube'] })
    )._unsafeUnwrap();
    expect(again.skipped).toHaveLength(2);
    expect(uploader.calls).toHaveLength(2);
    expect(UPLOAD_STATUS_SYMBOLS.SUCCESS).toBe('✔');
  });

  it('gives each batch upload its own metadata, oldest video first, and checks platforms first', async () => {
    const { sdk, uploader, clock } = setup();
    const older = await registered(sdk, 1);
    clock.advance(1000);
    const newer = await registered(sdk, 2);
    const unknown = await sdk.uploads.uploadAllPending(acme, { platforms: ['youtube', 'myspace'] });
    expect(unknown._unsafeUnwrapErr()).toMatchObject({ code: 'VALIDATION', path: 'platforms' });
    expect(uploader.calls).toHaveLength(0);
    (
      await sdk.uploads.uploadAllPending(acme, {
        platforms: ['youtube'],
        concurrency: 1,
        metadata: ({ video, platform }) => ({ title: `${video.id} on ${platform}` }),
      })
    )._unsafeUnwrap();
    expect(uploader.calls.map((call) => call.metadata)).toEqual([
      { title: `${older.id} on youtube` },
      { title: `${newer.id} on youtube` },
    ]);
  });

  it('retries due rows with the metadata the host gives each row', async () => {
    const { sdk, uploader, clock } = setup();
    const video = await registered(sdk);
    uploader.queueUpload(retryable());
    (await sdk.uploads.upload(acme, video.id, 'youtube', { title: 'first' }))._unsafeUnwrapErr();
    clock.advance(60 * 60 * 1000);
    const retried = (
      await sdk.uploads.runDue(acme, {
        metadata: (row) => ({ title: `retry of ${row.videoId}` }),
      })
    )._unsafeUnwrap();
    expect(retried.map((row) => row.status)).toEqual(['SUCCESS']);
    expect(uploader.calls.map((call) => call.metadata)).toEqual([
      { title: 'first' },
      { title: `retry of ${video.id}` },
    ]);
  });
});
