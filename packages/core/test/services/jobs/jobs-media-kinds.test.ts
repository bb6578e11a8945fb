import { afterEach, describe, expect, it } from 'vitest';
import type { VBuckets } from '../../../src/create-vbuckets';
import { createTempLocalFiles } from '../../../src/node/temp-local-files';
import type { JobEvent } from '../../../src/services/jobs/jobs-types';
import { createStoreJobQueue } from '../../../src/services/jobs/store-job-queue';
import {
  createFakeMediaProbe,
  createMemoryStore,
  makeThumbnailCandidate,
  makeVideoPieces,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';
import { acme, registerVideo, setup as segmentsSetup } from '../segments/segments-setup';
import { summerVibes, setup as tasksSetup } from '../tasks/tasks-setup';

const opened: VBuckets[] = [];
afterEach(async () => {
  for (const vb of opened.splice(0)) await vb.close();
});

/** The SDK's options for a worker on the embedded queue (real time, quick polls). */
function queued() {
  const store = createMemoryStore();
  return {
    store,
    queue: createStoreJobQueue(store, { pollIntervalMs: 10 }),
    mediaProbe: createFakeMediaProbe(),
    localFiles: createTempLocalFiles(),
  };
}

/** Works jobs until one of `kind` completes, and answers its result. */
async function runOne(vb: VBuckets, kind: string): Promise<unknown> {
  const completed = new Promise<JobEvent>((resolve, reject) => {
    const worker = vb.jobs
      .work({
        kinds: [kind],
        onEvent: (event) => {
          if (event.type === 'job-started') return;
          void worker
            .close()
            .then(() => (event.type === 'job-completed' ? resolve(event) : reject(event.error)));
        },
      })
      ._unsafeUnwrap();
  });
  const event = await completed;
  return event.type === 'job-completed' ? event.result : undefined;
}

describe('media job kinds', () => {
  it('segments.split: one job per video and cut, and a redelivery after the split skips it', async () => {
    const options = queued();
    const context = segmentsSetup(options);
    opened.push(context.vb);
    const video = await registerVideo(context);
    options.mediaProbe.queueSplitVideo(makeVideoPieces([4, 4, 2]));
    const payload = { orgId: 'acme', videoId: video.id, segmentSeconds: 4 };
    const first = (await context.vb.jobs.enqueue('segments.split', payload))._unsafeUnwrap();
    const again = (await context.vb.jobs.enqueue('segments.split', payload))._unsafeUnwrap();
    expect([first.created, again.created]).toEqual([true, false]);
    expect(await runOne(context.vb, 'segments.split')).toEqual({ segments: 3, skipped: false });

    // A second delivery (here: the same work under another id) finds the pieces and cuts nothing.
    (
      await context.vb.jobs.enqueue('segments.split', payload, { jobId: 'redelivered' })
    )._unsafeUnwrap();
    expect(await runOne(context.vb, 'segments.split')).toEqual({ segments: 3, skipped: true });
    expect(options.mediaProbe.calls.filter((call) => call.method === 'splitVideo')).toHaveLength(1);
    const listed = (await context.vb.segments.listByVideo(acme, video.id))._unsafeUnwrap();
    expect(listed.filter((segment) => segment.segmentType === 'processed')).toHaveLength(3);
  });

  it('thumbnails.generate: cuts candidates from the task video once', async () => {
    const options = queued();
    const context = tasksSetup(options);
    opened.push(context.vb);
    (await context.vb.tasks.create(acme, summerVibes))._unsafeUnwrap();
    (
      await context.vb.tasks.attachVideo(acme, 'task_abc123', {
        filename: 'electric-dreams.mp4',
        body: () => sampleVideoBytes('mp4', 0),
      })
    )._unsafeUnwrap();
    options.mediaProbe.queueThumbnailCandidates([
      makeThumbnailCandidate({ timestampSec: 1 }),
      makeThumbnailCandidate({ timestampSec: 5 }),
    ]);
    const payload = { orgId: 'acme', taskId: 'task_abc123', count: 2 };
    (await context.vb.jobs.enqueue('thumbnails.generate', payload))._unsafeUnwrap();
    expect(await runOne(context.vb, 'thumbnails.generate')).toEqual({
      candidates: 2,
      skipped: false,
    });
    (
      await context.vb.jobs.enqueue('thumbnails.generate', payload, { jobId: 'again' })
    )._unsafeUnwrap();
    expect(await runOne(context.vb, 'thumbnails.generate')).toEqual({
      candidates: 2,
      skipped: true,
    });
    const frames = (await context.vb.thumbnails.list(acme, 'task_abc123'))._unsafeUnwrap();
    expect(frames.map((thumbnail) => thumbnail.variant).sort()).toEqual(['frame_1s', 'frame_5s']);
  });
});
