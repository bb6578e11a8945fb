import { afterEach, describe, expect, it } from 'vitest';
import { createVBuckets, type VBuckets } from '../../../src/create-vbuckets';
import { vbucketsError } from '../../../src/errors';
import { jobIdOf } from '../../../src/services/jobs/job-kinds';
import type { JobEvent } from '../../../src/services/jobs/jobs-types';
import { createStoreJobQueue } from '../../../src/services/jobs/store-job-queue';
import {
  createFakePlatformUploader,
  createMemoryBlobStore,
  createMemoryStore,
} from '../../../src/testing/index';
import { registerVideo } from './jobs-setup';

const acme = { orgId: 'acme' };
const opened: VBuckets[] = [];

afterEach(async () => {
  for (const vb of opened.splice(0)) await vb.close();
});

/** A promise and the function that settles it, for waiting on a fake's call. */
function signal() {
  let resolve = () => {};
  const reached = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { reached, resolve };
}

function setup(jobs: { metricsSyncAfterUploadMs?: number } = {}) {
  const store = createMemoryStore();
  const secondCall = signal();
  const uploader = createFakePlatformUploader({
    platform: 'youtube',
    fallback: (call) => {
      secondCall.resolve();
      return { platformPostId: `post-${call.video.videoId}` };
    },
  });
  const vb = createVBuckets({
    store,
    blobs: createMemoryBlobStore(),
    uploaders: [uploader],
    // Due again at once after a failure: the schedule, not the backoff, decides when.
    uploads: { baseDelayMs: 0, maxDelayMs: 0 },
    queue: createStoreJobQueue(store, { pollIntervalMs: 10 }),
    jobs,
  })._unsafeUnwrap();
  opened.push(vb);
  return { vb, uploader, secondCall };
}

describe('job schedules', () => {
  it('retries a failed upload from a repeating uploads.runDue schedule', async () => {
    const { vb, uploader, secondCall } = setup();
    const video = await registerVideo(vb);
    uploader.queueUpload(vbucketsError('PROVIDER', 'The platform hiccuped', { retryable: true }));
    const failed = (await vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrapErr();
    expect(failed.code).toBe('PROVIDER');
    expect((await vb.uploads.history(acme, video.id))._unsafeUnwrap()[0]?.status).toBe('FAILED');

    const schedule = { name: 'acme-run-due', kind: 'uploads.runDue', payload: acme, everyMs: 20 };
    expect((await vb.jobs.schedule(schedule))._unsafeUnwrap()).toEqual(schedule);
    const runs: JobEvent[] = [];
    let afterPost = signal();
    const worker = vb.jobs
      .work({
        kinds: ['uploads.runDue'],
        onEvent: (event) => {
          runs.push(event);
          if (event.type === 'job-completed' && uploader.calls.length >= 2) afterPost.resolve();
        },
      })
      ._unsafeUnwrap();
    await secondCall.reached;
    // The run that posted it completes; later runs find nothing due.
    afterPost = signal();
    await afterPost.reached;
    await worker.close();
    expect((await vb.jobs.unschedule('acme-run-due'))._unsafeUnwrap()).toBe(true);

    expect(uploader.calls).toHaveLength(2);
    const [row] = (await vb.uploads.history(acme, video.id))._unsafeUnwrap();
    expect(row).toMatchObject({ status: 'SUCCESS', platformPostId: `post-${video.id}` });
    expect(runs.filter((event) => event.type === 'job-failed')).toEqual([]);
  });

  it('queues one delayed metrics sync of the platform after each post', async () => {
    const { vb } = setup({ metricsSyncAfterUploadMs: 60_000 });
    const video = await registerVideo(vb);
    const before = Date.now();
    const upload = (await vb.uploads.upload(acme, video.id, 'youtube'))._unsafeUnwrap();
    expect(upload.status).toBe('SUCCESS');
    const job = (
      await vb.jobs.get('segments.syncMetrics', jobIdOf('acme', 'after upload', upload.id))
    )._unsafeUnwrap();
    expect(job).toMatchObject({
      state: 'delayed',
      payload: { orgId: 'acme', platforms: ['youtube'] },
    });
    // Queued after the post, for a minute later: no bound on how long the test itself takes.
    expect(Date.parse(job.runAt ?? '')).toBeGreaterThanOrEqual(before + 60_000);
    expect((await vb.jobs.counts())._unsafeUnwrap()).toEqual([
      { kind: 'segments.syncMetrics', state: 'delayed', count: 1 },
    ]);
  });
});
