import { describe, expect, it } from 'vitest';
import { vbucketsError } from '../../../src/errors';
import { makeVideoAnalysis } from '../../../src/testing/index';
import {
  acme,
  answerFor,
  combinedProvider,
  PRODUCT,
  progressLog,
  separateProvider,
  setup,
  videoFile,
} from './categorize-test-setup';

const MINUTE = 60_000;

const okCombined = (filename: string) => ({
  analysis: makeVideoAnalysis({ summary: filename }),
  answer: answerFor(filename),
});

describe('categorize.run provider requests', () => {
  it('uses exactly one request per video with a combined provider', async () => {
    const { analyzer, provider } = combinedProvider();
    const { categorizer } = separateProvider();
    const { vb } = await setup({ providers: { fake: { ...provider, categorizer } } });
    (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: ['gut.mp4', 'energy.avi', 'other.webm'].map((name) => videoFile(name)),
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(analyzer.calls.map((call) => call.method)).toEqual([
      'analyzeAndCategorize',
      'analyzeAndCategorize',
      'analyzeAndCategorize',
    ]);
    expect(categorizer.calls).toHaveLength(0);
  });

  it('uses two requests per video otherwise, both through the rate limiter', async () => {
    const { analyzer, categorizer, provider } = separateProvider({ requestsPerMinute: 60 });
    const { vb, clock } = await setup({ providers: { two: provider } });
    const start = clock.now();
    (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4'), videoFile('energy.mp4')],
        provider: 'two',
      })
    )._unsafeUnwrap();
    expect(analyzer.calls).toHaveLength(2);
    expect(categorizer.calls).toHaveLength(2);
    // Four tokens at one a second: the last is three seconds after the first.
    expect(clock.now() - start).toBeGreaterThanOrEqual(3_000);
  });

  it('reads the stored bytes back for the analyzer', async () => {
    const { analyzer, provider } = combinedProvider();
    const { vb } = await setup({ providers: { fake: provider } });
    const file = videoFile('gut.mp4');
    (
      await vb.categorize.run(acme, { productId: PRODUCT, files: [file], provider: 'fake' })
    )._unsafeUnwrap();
    const video = analyzer.calls[0]!.video;
    expect(video).toMatchObject({ filename: 'gut.mp4', mimeType: 'video/mp4', sizeBytes: 512 });
    const stream = (await video.open())._unsafeUnwrap();
    const read = new Uint8Array(await new Response(stream).arrayBuffer());
    expect(read).toEqual(file.body());
  });
});

describe('categorize.run failures', () => {
  it('records a non-retryable failure as an error row and goes on', async () => {
    const { analyzer, provider } = combinedProvider();
    analyzer.queueAnalyzeAndCategorize(
      vbucketsError('PROVIDER', '[fake] The model refused the video'),
    );
    const { vb } = await setup({ providers: { fake: provider }, categorize: { concurrency: 1 } });
    const log = progressLog();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4'), videoFile('energy.mp4')],
        provider: 'fake',
        onProgress: log.onProgress,
      })
    )._unsafeUnwrap();
    expect(rows.map((row) => [row.status, row.errorMessage])).toEqual([
      ['error', '[fake] The model refused the video'],
      ['categorized', null],
    ]);
    expect(analyzer.calls).toHaveLength(2);
    expect(log.stagesOf('gut.mp4')).toEqual(['stored', 'analyzing', 'failed']);
    expect(log.events.find((event) => event.stage === 'failed')?.result?.status).toBe('error');
  });

  it('retries a retryable failure with exponential backoff', async () => {
    const { analyzer, provider } = combinedProvider();
    const flaky = vbucketsError('PROVIDER', '[fake] 503', { retryable: true });
    analyzer.queueAnalyzeAndCategorize(flaky, flaky, okCombined('gut.mp4'));
    const { vb, sleeps } = await setup({ providers: { fake: provider } });
    const log = progressLog();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'fake',
        onProgress: log.onProgress,
      })
    )._unsafeUnwrap();
    expect(rows[0]?.status).toBe('categorized');
    expect(analyzer.calls).toHaveLength(3);
    // Equal jitter with random 0.5: three quarters of 2 s, then of 4 s.
    expect(sleeps).toEqual([1_500, 3_000]);
    expect(log.events.filter((event) => event.message?.startsWith('retrying'))).toHaveLength(2);
  });

  it('waits out a 429 storm, at least the server’s retry delay each time, then succeeds', async () => {
    const { analyzer, provider } = combinedProvider();
    const { vb, clock } = await setup({
      providers: { fake: { ...provider, requestsPerMinute: 9 } },
    });
    const callTimes: number[] = [];
    const limited = () => {
      callTimes.push(clock.now());
      return vbucketsError('RATE_LIMITED', '[fake] 429 quota', { retryAfterMs: 30_000 });
    };
    analyzer.queueAnalyzeAndCategorize(limited, limited, limited, () => {
      callTimes.push(clock.now());
      return okCombined('gut.mp4');
    });
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]?.status).toBe('categorized');
    expect(callTimes).toHaveLength(4);
    for (let index = 1; index < callTimes.length; index += 1) {
      expect(callTimes[index]! - callTimes[index - 1]!).toBeGreaterThanOrEqual(30_000);
    }
  });

  it('holds every caller of a provider during a rate limit, not just the one that hit it', async () => {
    const { analyzer, provider } = combinedProvider();
    const { vb, clock } = await setup({
      providers: { fake: provider },
      categorize: { concurrency: 2 },
    });
    const start = clock.now();
    const callTimes = new Map<string, number>();
    analyzer.queueAnalyzeAndCategorize(() =>
      vbucketsError('RATE_LIMITED', '[fake] 429', { retryAfterMs: 10_000 }),
    );
    const record = (call: { video: { filename: string } }) => {
      callTimes.set(call.video.filename, clock.now() - start);
      return okCombined(call.video.filename);
    };
    analyzer.queueAnalyzeAndCategorize(record, record, record);
    (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4'), videoFile('energy.mp4'), videoFile('other.mp4')],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    // A call already under way when the 429 came is not recalled; later ones wait it out.
    expect(callTimes.get('energy.mp4')).toBe(0);
    expect(callTimes.get('other.mp4')).toBeGreaterThanOrEqual(10_000);
    expect(callTimes.get('gut.mp4')).toBeGreaterThanOrEqual(10_000);
  });

  it('gives up after maxAttempts and says so', async () => {
    const { analyzer, provider } = combinedProvider();
    const flaky = vbucketsError('PROVIDER', '[fake] 500', { retryable: true });
    analyzer.queueAnalyzeAndCategorize(flaky, flaky, flaky);
    // One at a time, so the second file does not take a queued answer.
    const { vb } = await setup({
      providers: { fake: provider },
      categorize: { maxAttempts: 3, concurrency: 1 },
    });
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4'), videoFile('energy.mp4')],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    const failed = rows.find((row) => row.status === 'error');
    expect(failed?.errorMessage).toBe('[fake] 500 (gave up after 3 attempts)');
    expect(rows.filter((row) => row.status === 'categorized')).toHaveLength(1);
  });

  it('turns an analyzer that throws into an error row', async () => {
    const { provider } = combinedProvider();
    const { vb } = await setup({
      providers: {
        fake: {
          ...provider,
          analyzer: {
            ...provider.analyzer,
            analyzeAndCategorize: () => {
              throw new Error('bug in adapter');
            },
          },
        },
      },
    });
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]).toMatchObject({
      status: 'error',
      errorMessage: 'The call to the fake provider threw: bug in adapter',
    });
  });

  it('fails a categorize step after a saved analysis, keeping the analysis', async () => {
    const { categorizer, provider } = separateProvider();
    categorizer.queueCategorize(vbucketsError('PROVIDER', '[fake] bad answer'));
    const { vb } = await setup({ providers: { two: provider } });
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'two',
      })
    )._unsafeUnwrap();
    expect(rows[0]).toMatchObject({
      status: 'error',
      errorMessage: '[fake] bad answer',
      summary: 'about gut.mp4',
    });
  });
});

describe('categorize.run rate limit', () => {
  it('sends 30 requests at 9/min in at least (30 - burst) / 9 minutes, never faster', async () => {
    const { analyzer, provider } = combinedProvider();
    const { vb, clock } = await setup({
      providers: { fake: { ...provider, requestsPerMinute: 9 } },
      categorize: { maxBatchSize: 30, concurrency: 4 },
    });
    const start = clock.now();
    const times: number[] = [];
    analyzer.queueAnalyzeAndCategorize(
      ...Array.from({ length: 30 }, () => (call: { video: { filename: string } }) => {
        times.push(clock.now() - start);
        return okCombined(call.video.filename);
      }),
    );
    const files = Array.from({ length: 30 }, (_, index) => videoFile(`gut-${index}.mp4`));
    const { session } = (
      await vb.categorize.run(acme, { productId: PRODUCT, files, provider: 'fake' })
    )._unsafeUnwrap();
    expect(session.counts.categorized).toBe(30);
    expect(times).toHaveLength(30);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(((30 - 1) / 9) * MINUTE);
    for (const [index, from] of times.entries()) {
      const inWindow = times.filter((time, other) => other >= index && time < from + MINUTE);
      expect(inWindow.length).toBeLessThanOrEqual(9);
    }
  });

  it('shares one bucket between batches of the same provider', async () => {
    const { provider } = combinedProvider({ requestsPerMinute: 6 });
    const { vb, clock } = await setup({ providers: { fake: provider } });
    const start = clock.now();
    const batch = (name: string) =>
      vb.categorize.run(acme, { productId: PRODUCT, files: [videoFile(name)], provider: 'fake' });
    const results = await Promise.all([batch('gut.mp4'), batch('energy.mp4'), batch('other.mp4')]);
    for (const result of results) expect(result.isOk()).toBe(true);
    expect(clock.now() - start).toBeGreaterThanOrEqual(20_000);
  });
});
