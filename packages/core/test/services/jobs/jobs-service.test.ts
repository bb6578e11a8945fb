import { ok } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVBuckets, type VBuckets } from '../../../src/create-vbuckets';
import type { JobQueue } from '../../../src/ports/job-queue';
import type { Store } from '../../../src/ports/store';
import type { JobEvent } from '../../../src/services/jobs/jobs-types';
import { createStoreJobQueue } from '../../../src/services/jobs/store-job-queue';
import {
  createFakePlatformUploader,
  createFakeVideoAnalyzer,
  createMemoryBlobStore,
  createMemoryStore,
  makeVideoAnalysis,
} from '../../../src/testing/index';
import { combinedProvider, PRODUCT, videoFile } from '../categorize/categorize-test-setup';
import { registerVideo } from './jobs-setup';

const acme = { orgId: 'acme' };
const opened: VBuckets[] = [];

afterEach(async () => {
  for (const vb of opened.splice(0)) await vb.close();
});

function setup(options: { store?: Store; queue?: JobQueue } = {}) {
  const store = options.store ?? createMemoryStore();
  const uploader = createFakePlatformUploader({
    platform: 'youtube',
    fallback: (call) => ({ platformPostId: `post-${call.video.videoId}` }),
  });
  const analyzer = createFakeVideoAnalyzer({
    fallbackAnalysis: () => makeVideoAnalysis({ summary: 'a hook', transcript: 'words' }),
  });
  const warnings: string[] = [];
  const vb = createVBuckets({
    store,
    blobs: createMemoryBlobStore(),
    uploaders: [uploader],
    providers: { fake: combinedProvider().provider },
    analyzers: { market: analyzer },
    market: { conversionThreshold: 5 },
    jobs: { heldWorkWaitMs: 20 },
    onWarning: (warning) => warnings.push(warning.message),
    ...(options.queue === undefined
      ? { queue: createStoreJobQueue(store, { pollIntervalMs: 20 }) }
      : { queue: options.queue }),
  })._unsafeUnwrap();
  opened.push(vb);
  return { vb, store, uploader, analyzer, warnings };
}

/** Resolves once `events` holds `count` events of `type`. */
function eventsOf(type: JobEvent['type'], count: number) {
  const events: JobEvent[] = [];
  let resolve = () => {};
  const reached = new Promise<void>((settle) => {
    resolve = settle;
  });
  return {
    events,
    reached,
    onEvent(event: JobEvent) {
      events.push(event);
      if (events.filter((each) => each.type === type).length >= count) resolve();
    },
  };
}

describe('jobs.enqueue', () => {
  it('refuses an unknown kind and a bad payload with VALIDATION naming the field, and queues nothing', async () => {
    const { vb } = setup();
    const unknown = (await vb.jobs.enqueue('nope.kind', {}))._unsafeUnwrapErr();
    expect(unknown.code).toBe('VALIDATION');
    expect(unknown.message).toContain('No job kind "nope.kind"');
    const bad = (
      await vb.jobs.enqueue('uploads.upload', {
        orgId: 'acme',
        videoId: '',
        platform: 'youtube',
      })
    )._unsafeUnwrapErr();
    expect(bad).toMatchObject({ code: 'VALIDATION', path: 'payload.videoId' });
    expect((await vb.jobs.counts())._unsafeUnwrap()).toEqual([]);
  });

  it('keeps one job for an upload queued 200 times, and the worker posts it once', async () => {
    const { vb, uploader } = setup();
    const video = await registerVideo(vb);
    const payload = { orgId: 'acme', videoId: video.id, platform: 'youtube' };
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => vb.jobs.enqueue('uploads.upload', payload)),
    );
    expect(answers.filter((answer) => answer._unsafeUnwrap().created)).toHaveLength(1);
    const seen = eventsOf('job-completed', 1);
    const worker = vb.jobs.work({ onEvent: seen.onEvent })._unsafeUnwrap();
    await seen.reached;
    await worker.close();
    expect(uploader.calls).toHaveLength(1);
    const [row] = (await vb.uploads.history(acme, video.id))._unsafeUnwrap();
    expect(row?.status).toBe('SUCCESS');
  });

  it('runs a kind of your own, and refuses to redefine one of the SDK', async () => {
    const { vb } = setup();
    const ran: string[] = [];
    expect(
      vb.jobs
        .define('reports.weekly', {
          schema: z.strictObject({ week: z.string() }),
          run: (payload) => {
            ran.push(payload.week);
            return ok(undefined).asyncMap(async () => undefined);
          },
        })
        .isOk(),
    ).toBe(true);
    expect(
      vb.jobs
        .define('uploads.upload', {
          schema: z.unknown(),
          run: () => ok(1).asyncMap(async (value) => value),
        })
        ._unsafeUnwrapErr().code,
    ).toBe('VALIDATION');
    const seen = eventsOf('job-completed', 1);
    const worker = vb.jobs
      .work({ kinds: ['reports.weekly'], onEvent: seen.onEvent })
      ._unsafeUnwrap();
    (await vb.jobs.enqueue('reports.weekly', { week: '2026-W49' }))._unsafeUnwrap();
    await seen.reached;
    await worker.close();
    expect(ran).toEqual(['2026-W49']);
  });
});

describe('categorize.start', () => {
  it('returns the session at once with its videos stored, and a worker finishes it', async () => {
    const { vb } = setup();
    (await vb.buckets.create(acme, { productId: PRODUCT, name: 'Gut Health' }))._unsafeUnwrap();
    const started = (
      await vb.categorize.start(acme, {
        productId: PRODUCT,
        provider: 'fake',
        files: [videoFile('gut-1.mp4'), videoFile('gut-2.mp4'), videoFile('other.mp4')],
      })
    )._unsafeUnwrap();
    expect(started.session.counts).toMatchObject({ total: 3, pending: 3 });
    expect(started.rows.every((row) => row.videoId !== null)).toBe(true);
    expect(started.job).toMatchObject({ kind: 'categorize.session', created: true });
    const seen = eventsOf('job-completed', 1);
    const worker = vb.jobs.work({ onEvent: seen.onEvent })._unsafeUnwrap();
    await seen.reached;
    await worker.close();
    const session = (
      await vb.categorize.findSession(acme, { productId: PRODUCT, reference: started.session.id })
    )._unsafeUnwrap();
    expect(session.counts).toMatchObject({ pending: 0, categorized: 2 });
    const job = (await vb.jobs.get(started.job.kind, started.job.id))._unsafeUnwrap();
    expect(job.state).toBe('completed');
  });
});

describe('market analyses', () => {
  it('queues the analysis of an ingested benchmark, and a worker runs it', async () => {
    const { vb, analyzer } = setup();
    const video = await registerVideo(vb);
    const { creative } = (
      await vb.market.ingestBenchmark(acme, {
        name: 'Winner',
        productCategory: 'greens',
        marketCvr: 0.05,
        marketLongevityDays: 10,
        avgDailyClicks: 100,
        sourcePlatform: 'tiktok',
        videoId: video.id,
      })
    )._unsafeUnwrap();
    expect(creative.analysisStatus).toBe('queued');
    const counts = (await vb.jobs.counts())._unsafeUnwrap();
    expect(counts).toContainEqual({ kind: 'market.analyze', state: 'waiting', count: 1 });
    const seen = eventsOf('job-completed', 1);
    const worker = vb.jobs
      .work({ kinds: ['market.analyze'], onEvent: seen.onEvent })
      ._unsafeUnwrap();
    await seen.reached;
    await worker.close();
    expect((await vb.market.get(acme, creative.id))._unsafeUnwrap().analysisStatus).toBe('done');
    expect(analyzer.calls).toHaveLength(1);
  });

  it('warns when the enqueue fails and recover queues the analysis from the store', async () => {
    const store = createMemoryStore();
    const engine = createStoreJobQueue(store, { pollIntervalMs: 20 });
    let refuse = true;
    const flaky: JobQueue = {
      ...engine,
      enqueue: (kind, payload, options) =>
        refuse
          ? engine.enqueue('bad kind', payload, options)
          : engine.enqueue(kind, payload, options),
    };
    const { vb, warnings } = setup({ store, queue: flaky });
    const video = await registerVideo(vb);
    const { creative } = (
      await vb.market.ingestBenchmark(acme, {
        name: 'Winner',
        productCategory: 'greens',
        marketCvr: 0.05,
        marketLongevityDays: 10,
        avgDailyClicks: 100,
        sourcePlatform: 'tiktok',
        videoId: video.id,
      })
    )._unsafeUnwrap();
    expect(warnings).toHaveLength(1);
    expect((await vb.jobs.counts())._unsafeUnwrap()).toEqual([]);
    refuse = false;
    const recovered = (await vb.jobs.recover(acme))._unsafeUnwrap();
    expect(recovered).toEqual({ sessions: [], uploadsDue: false, analyses: [creative.id] });
    const again = (await vb.jobs.recover(acme))._unsafeUnwrap();
    expect(again.analyses).toEqual([creative.id]);
    const counts = (await vb.jobs.counts())._unsafeUnwrap();
    expect(counts).toEqual([{ kind: 'market.analyze', state: 'waiting', count: 1 }]);
  });
});
