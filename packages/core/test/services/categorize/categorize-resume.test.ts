import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
import { cancelledError, vbucketsError } from '../../../src/errors';
import type { Categorization } from '../../../src/schemas/categorization';
import { NOT_STORED_MESSAGE } from '../../../src/services/categorize/batch-runs';
import { createFakeVideoAnalyzer, makeVideoAnalysis } from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';
import {
  acme,
  answerFor,
  combinedProvider,
  globex,
  PRODUCT,
  progressLog,
  separateProvider,
  setup,
  videoFile,
} from './categorize-test-setup';

const FILES = ['gut.mp4', 'energy.mp4', 'other.mp4', 'gut-2.mov'];

/** A combined analyzer that counts successful answers per file and can be told to cancel. */
function countingProvider() {
  const successes = new Map<string, number>();
  let cancelOn: { filename: string; controller: AbortController } | null = null;
  const analyzer = createFakeVideoAnalyzer({
    combined: true,
    fallbackCombined: (call) => {
      const { filename } = call.video;
      if (cancelOn !== null && cancelOn.filename === filename) {
        cancelOn.controller.abort();
        cancelOn = null;
        return cancelledError('[fake] aborted mid-call');
      }
      successes.set(filename, (successes.get(filename) ?? 0) + 1);
      return { analysis: makeVideoAnalysis({ summary: filename }), answer: answerFor(filename) };
    },
  });
  const cancelDuring = (filename: string) => {
    const controller = new AbortController();
    cancelOn = { filename, controller };
    return controller.signal;
  };
  return {
    provider: { analyzer, requestsPerMinute: Number.POSITIVE_INFINITY },
    successes,
    cancelDuring,
  };
}

describe('categorize cancellation and resume', () => {
  it('leaves unfinished rows pending on cancel, and resume finishes each once without new rows', async () => {
    const counting = countingProvider();
    const { vb } = await setup({
      providers: { fake: counting.provider },
      categorize: { concurrency: 1 },
    });
    const signal = counting.cancelDuring('energy.mp4');
    const error = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: FILES.map((name) => videoFile(name)),
        provider: 'fake',
        signal,
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
    const sessionId = error.details?.sessionId as string;
    expect(error.details).toEqual({ sessionId, unfinished: 3 });
    expect(error.message).toBe(
      `Categorization session ${sessionId} was cancelled with 3 of 4 videos unfinished; resume it to finish them`,
    );
    const halfway = (await vb.categorize.results(acme, sessionId))._unsafeUnwrap();
    expect(halfway.map((row) => [row.filename, row.status, row.videoId !== null])).toEqual([
      ['gut.mp4', 'categorized', true],
      ['energy.mp4', 'pending', true],
      ['other.mp4', 'pending', true],
      ['gut-2.mov', 'pending', true],
    ]);

    const log = progressLog();
    const resumed = (
      await vb.categorize.resume(acme, sessionId, { provider: 'fake', onProgress: log.onProgress })
    )._unsafeUnwrap();
    expect(resumed.rows.map((row) => row.id)).toEqual(halfway.map((row) => row.id));
    expect(resumed.rows.map((row) => row.status)).toEqual([
      'categorized',
      'categorized',
      'analyzed',
      'categorized',
    ]);
    expect(resumed.session.counts).toMatchObject({ total: 4, pending: 0 });
    expect(Object.fromEntries(counting.successes)).toEqual({
      'gut.mp4': 1,
      'energy.mp4': 1,
      'other.mp4': 1,
      'gut-2.mov': 1,
    });
    expect(log.stagesOf('gut.mp4')).toEqual([]);
    expect(log.events.find((event) => event.filename === 'other.mp4')).toMatchObject({
      index: 2,
      total: 4,
    });
  });

  // Issue 10: two workers resuming one session both processed a row.
  it('processes each row once when two SDK instances over one store resume the same session', async () => {
    const counting = countingProvider();
    const first = await setup({
      providers: { fake: counting.provider },
      categorize: { concurrency: 1 },
    });
    const signal = counting.cancelDuring('gut.mp4');
    const error = (
      await first.vb.categorize.run(acme, {
        productId: PRODUCT,
        files: FILES.map((name) => videoFile(name)),
        provider: 'fake',
        signal,
      })
    )._unsafeUnwrapErr();
    const sessionId = error.details?.sessionId as string;
    const second = createVBuckets({
      store: first.store,
      blobs: first.blobs,
      clock: first.clock,
      providers: { fake: counting.provider },
      categorize: { concurrency: 2 },
    })._unsafeUnwrap();

    const [one, two] = await Promise.all([
      first.vb.categorize.resume(acme, sessionId, { provider: 'fake' }),
      second.categorize.resume(acme, sessionId, { provider: 'fake' }),
    ]);
    expect(one.isOk() && two.isOk()).toBe(true);
    expect(Object.fromEntries(counting.successes)).toEqual({
      'gut.mp4': 1,
      'energy.mp4': 1,
      'other.mp4': 1,
      'gut-2.mov': 1,
    });
    const rows = (await first.vb.categorize.results(acme, sessionId))._unsafeUnwrap();
    expect(rows.every((row) => row.status !== 'pending')).toBe(true);
  });

  it('takes over at once a row whose worker the host says is gone; leaves a live worker’s row', async () => {
    const counting = countingProvider();
    const first = await setup({
      providers: { fake: counting.provider },
      categorize: { concurrency: 1 },
    });
    const error = (
      await first.vb.categorize.run(acme, {
        productId: PRODUCT,
        files: FILES.map((name) => videoFile(name)),
        provider: 'fake',
        signal: counting.cancelDuring('gut.mp4'),
      })
    )._unsafeUnwrapErr();
    const sessionId = error.details?.sessionId as string;
    const pending = (await first.vb.categorize.results(acme, sessionId))._unsafeUnwrap();
    // A crashed worker's claim: an hour-long lease nobody will renew or release.
    const held = pending.find((row) => row.filename === 'energy.mp4')!;
    const claim = (
      await first.store.categorizations.claimRow(acme, {
        id: held.id,
        owner: 'host-a#4242/run-1',
        now: new Date(first.clock.now()).toISOString(),
        leaseMs: 3_600_000,
      })
    )._unsafeUnwrap();
    expect(claim.claimed).toBe(true);
    const resumeWith = (isWorkerGone: (owner: string) => boolean) => {
      const asked: string[] = [];
      const vb = createVBuckets({
        store: first.store,
        blobs: first.blobs,
        clock: first.clock,
        providers: { fake: counting.provider },
        categorize: {
          workerName: 'host-b#7',
          isWorkerGone: (owner) => {
            asked.push(owner);
            return isWorkerGone(owner);
          },
        },
      })._unsafeUnwrap();
      return { asked, resumed: vb.categorize.resume(acme, sessionId, { provider: 'fake' }) };
    };

    const alive = resumeWith(() => false);
    expect((await alive.resumed).isOk()).toBe(true);
    expect(alive.asked).toEqual(['host-a#4242/run-1']);
    const afterAlive = (await first.vb.categorize.results(acme, sessionId))._unsafeUnwrap();
    expect(afterAlive.find((row) => row.id === held.id)?.status).toBe('pending');
    expect(counting.successes.has('energy.mp4')).toBe(false);

    const gone = resumeWith((owner) => owner.startsWith('host-a#4242/'));
    expect((await gone.resumed).isOk()).toBe(true);
    const rows = (await first.vb.categorize.results(acme, sessionId))._unsafeUnwrap();
    expect(rows.every((row) => row.status !== 'pending')).toBe(true);
    expect(counting.successes.get('energy.mp4')).toBe(1);
  });

  it('refuses a workerName with control characters, from every call', async () => {
    const context = await setup({ categorize: { workerName: 'a\u0000b' } });
    const refused = (await context.vb.categorize.results(acme, 'any-session'))._unsafeUnwrapErr();
    expect(refused.code).toBe('VALIDATION');
    expect(refused.message).toContain('workerName');
  });

  it('cancels during storing: rows never stored become errors on resume', async () => {
    const { vb } = await setup();
    const controller = new AbortController();
    const second = videoFile('energy.mp4');
    const files = [
      videoFile('gut.mp4'),
      {
        ...second,
        body: () => {
          controller.abort();
          return second.body();
        },
      },
      videoFile('other.mp4'),
    ];
    const error = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files,
        provider: 'fake',
        signal: controller.signal,
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
    const sessionId = error.details?.sessionId as string;
    const halfway = (await vb.categorize.results(acme, sessionId))._unsafeUnwrap();
    expect(halfway.map((row) => [row.status, row.videoId !== null])).toEqual([
      ['pending', true],
      ['pending', false],
      ['pending', false],
    ]);
    const { rows } = (
      await vb.categorize.resume(acme, sessionId, { provider: 'fake' })
    )._unsafeUnwrap();
    expect(rows.map((row) => [row.status, row.errorMessage])).toEqual([
      ['categorized', null],
      ['error', NOT_STORED_MESSAGE],
      ['error', NOT_STORED_MESSAGE],
    ]);
  });

  it('refuses a batch whose signal is already aborted, writing nothing', async () => {
    const { vb, store } = await setup();
    const error = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'fake',
        signal: AbortSignal.abort(),
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
    expect(
      (await store.categorizationSessions.listRecent(acme, { productId: PRODUCT }))._unsafeUnwrap(),
    ).toEqual([]);
  });

  it('resumes rows left in any state by a crash', async () => {
    const { analyzer, categorizer, provider } = separateProvider();
    const { vb, store, blobs } = await setup({ providers: { two: provider } });
    const at = '2026-02-18T10:00:00.000Z';
    const videoIds: string[] = [];
    for (const [index, name] of ['a', 'e'].entries()) {
      const key = `videos/acme/v-${name}.mp4`;
      const put = (await blobs.put(key, sampleVideoBytes('mp4', index)))._unsafeUnwrap();
      const video = await store.videos.insert({
        id: `v-${name}`,
        orgId: 'acme',
        ownerId: 'acme',
        title: name,
        filename: `${name}.mp4`,
        blobKey: key,
        sha256: put.sha256,
        sizeBytes: put.sizeBytes,
        mimeType: 'video/mp4',
        durationSec: null,
        duplicateAllowed: false,
        visibility: 'private',
        productCategory: null,
        createdAt: at,
      });
      videoIds.push(video._unsafeUnwrap().id);
    }
    (
      await store.categorizationSessions.insert({
        id: 's-1',
        orgId: 'acme',
        productId: PRODUCT,
        createdAt: at,
      })
    )._unsafeUnwrap();
    const row = (fields: Partial<Categorization> & Pick<Categorization, 'id' | 'filename'>) => ({
      orgId: 'acme',
      productId: PRODUCT,
      sessionId: 's-1',
      videoId: null,
      bucketId: null,
      bucketName: null,
      confidence: null,
      reasoning: null,
      summary: null,
      transcript: null,
      analysis: null,
      status: 'pending' as const,
      errorMessage: null,
      isUploaded: false,
      createdAt: at,
      updatedAt: at,
      ...fields,
    });
    const saved = makeVideoAnalysis({ summary: 'about gut stuff', transcript: 't' });
    const rows = [
      // Analysed, crashed before categorizing: only the categorize request is made again.
      row({ id: 'r-a', filename: 'a.mp4', videoId: videoIds[0]!, analysis: { ...saved } }),
      // Crashed before its bytes were stored.
      row({ id: 'r-b', filename: 'b.mp4' }),
      row({ id: 'r-c', filename: 'c.mp4', status: 'categorized', bucketName: 'Gut Health' }),
      row({ id: 'r-d', filename: 'd.mp4', status: 'error', errorMessage: 'old failure' }),
      // Stored, not analysed yet, with known text kept from the original file.
      row({
        id: 'r-e',
        filename: 'e.mp4',
        videoId: videoIds[1]!,
        analysis: { knownText: 'energy words' },
      }),
    ];
    for (const each of rows) (await store.categorizations.insert(each))._unsafeUnwrap();

    const result = (await vb.categorize.resume(acme, 's-1', { provider: 'two' }))._unsafeUnwrap();
    expect(result.rows.map((each) => [each.id, each.status, each.errorMessage])).toEqual([
      ['r-a', 'categorized', null],
      ['r-b', 'error', NOT_STORED_MESSAGE],
      ['r-c', 'categorized', null],
      ['r-d', 'error', 'old failure'],
      ['r-e', 'analyzed', null],
    ]);
    expect(analyzer.calls.map((call) => [call.video.filename, call.video.knownText])).toEqual([
      ['e.mp4', 'energy words'],
    ]);
    expect(categorizer.calls.map((call) => call.analysis.summary)).toEqual([
      'about gut stuff',
      'about e.mp4',
    ]);
    expect(result.rows[4]?.analysis).toMatchObject({ knownText: 'energy words' });
  });

  it('is NOT_FOUND for an unknown session or another organisation’s', async () => {
    const { vb } = await setup();
    const run = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(
      (await vb.categorize.resume(acme, 'nope', { provider: 'fake' }))._unsafeUnwrapErr().code,
    ).toBe('NOT_FOUND');
    expect(
      (await vb.categorize.resume(globex, run.session.id, { provider: 'fake' }))._unsafeUnwrapErr()
        .code,
    ).toBe('NOT_FOUND');
  });

  it('refuses to resume a session this instance is still running', async () => {
    const { analyzer, provider } = combinedProvider();
    let release: () => void = () => undefined;
    analyzer.queueAnalyzeAndCategorize(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ analysis: makeVideoAnalysis(), answer: answerFor('gut.mp4') });
        }),
    );
    const { vb } = await setup({ providers: { fake: provider } });
    let sessionId = '';
    const running = vb.categorize.run(acme, {
      productId: PRODUCT,
      files: [videoFile('gut.mp4')],
      provider: 'fake',
      onProgress: (event) => {
        sessionId = event.sessionId;
      },
    });
    while (analyzer.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    const conflict = (
      await vb.categorize.resume(acme, sessionId, { provider: 'fake' })
    )._unsafeUnwrapErr();
    expect(conflict.code).toBe('CONFLICT');
    release();
    expect((await running)._unsafeUnwrap().rows[0]?.status).toBe('categorized');
    expect((await vb.categorize.resume(acme, sessionId, { provider: 'fake' })).isOk()).toBe(true);
  });
});

describe('categorize.retry', () => {
  async function failedBatch() {
    const { analyzer, provider } = combinedProvider();
    const refused = vbucketsError('PROVIDER', '[fake] refused');
    analyzer.queueAnalyzeAndCategorize(refused, refused, refused);
    const context = await setup({ providers: { fake: provider }, categorize: { concurrency: 1 } });
    const run = (
      await context.vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [
          videoFile('gut.mp4'),
          videoFile('energy.mp4'),
          videoFile('other.mp4'),
          { filename: 'notes.txt', body: () => new Uint8Array([1]) },
        ],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(run.rows.map((row) => row.status)).toEqual(['error', 'error', 'error', 'error']);
    const callsOf = (filename: string) =>
      analyzer.calls.filter((call) => call.video.filename === filename).length;
    return { ...context, analyzer, sessionId: run.session.id, callsOf };
  }

  it('re-runs only the named files', async () => {
    const { vb, sessionId, callsOf } = await failedBatch();
    const { rows } = (
      await vb.categorize.retry(acme, sessionId, { provider: 'fake', filenames: ['energy.mp4'] })
    )._unsafeUnwrap();
    expect(rows.map((row) => [row.filename, row.status])).toEqual([
      ['gut.mp4', 'error'],
      ['energy.mp4', 'categorized'],
      ['other.mp4', 'error'],
      ['notes.txt', 'error'],
    ]);
    expect(rows).toHaveLength(4);
    expect([callsOf('gut.mp4'), callsOf('energy.mp4'), callsOf('other.mp4')]).toEqual([1, 2, 1]);
  });

  it('re-runs every failed row with stored bytes when no file is named', async () => {
    const { vb, sessionId, callsOf } = await failedBatch();
    const { rows, session } = (
      await vb.categorize.retry(acme, sessionId, { provider: 'fake' })
    )._unsafeUnwrap();
    expect(rows.map((row) => row.status)).toEqual([
      'categorized',
      'categorized',
      'analyzed',
      'error',
    ]);
    expect(rows[3]?.errorMessage).toMatch(/not an accepted video type/);
    expect(session.counts).toMatchObject({ total: 4, error: 1, pending: 0 });
    expect(callsOf('notes.txt')).toBe(0);
  });

  it('refuses a file name that is not in the session', async () => {
    const { vb, sessionId } = await failedBatch();
    const error = (
      await vb.categorize.retry(acme, sessionId, {
        provider: 'fake',
        filenames: ['gut.mp4', 'typo.mp4'],
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('filenames.1');
    expect(error.message).toBe('Invalid filenames.1: no file named "typo.mp4" in this session');
  });

  it('re-categorizes a named analyzed row from its saved analysis', async () => {
    const { analyzer, categorizer, provider } = separateProvider();
    const { vb } = await setup({ providers: { two: provider } });
    const run = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('alien.mp4'), videoFile('gut.mp4')],
        provider: 'two',
      })
    )._unsafeUnwrap();
    expect(run.rows[0]?.status).toBe('analyzed');
    (await vb.buckets.create(acme, { productId: PRODUCT, name: 'Space' }))._unsafeUnwrap();
    const unnamed = (
      await vb.categorize.retry(acme, run.session.id, { provider: 'two' })
    )._unsafeUnwrap();
    expect(unnamed.rows[0]?.status).toBe('analyzed');
    const { rows } = (
      await vb.categorize.retry(acme, run.session.id, {
        provider: 'two',
        filenames: ['alien.mp4', 'gut.mp4'],
      })
    )._unsafeUnwrap();
    expect(rows.map((row) => [row.status, row.bucketName])).toEqual([
      ['categorized', 'Space'],
      ['categorized', 'Gut Health'],
    ]);
    expect(analyzer.calls).toHaveLength(2);
    expect(categorizer.calls).toHaveLength(3);
  });
});
