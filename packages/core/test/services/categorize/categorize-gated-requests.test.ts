import { describe, expect, it } from 'vitest';
import { vbucketsError } from '../../../src/errors';
import type { Clock } from '../../../src/ports/clock';
import type { CallOptions } from '../../../src/ports/video-analyzer';
import {
  createFakeBucketCategorizer,
  createFakeVideoAnalyzer,
  makeVideoAnalysis,
} from '../../../src/testing/index';
import { acme, answerFor, PRODUCT, setup, videoFile } from './categorize-test-setup';

/** When a fake's calls began and when their tokens came, in ms after `start`. */
function timeline() {
  let clock: Clock | undefined;
  let start = 0;
  const now = () => (clock === undefined ? Number.NaN : clock.now() - start);
  return {
    startAt(started: Clock) {
      clock = started;
      start = started.now();
    },
    now,
    calls: [] as { filename: string; at: number }[],
    tokens: [] as { filename: string; at: number; outcome: string }[],
    /** Takes a token the way a gating adapter does, right before its one counted request. */
    async take(filename: string, options: CallOptions | undefined, signal?: AbortSignal) {
      const taken = await options!.rateLimit!.take(signal);
      this.tokens.push({
        filename,
        at: now(),
        outcome: taken.isOk() ? 'token' : taken.error.code,
      });
      return taken;
    },
  };
}

/** A combined analyzer that gates its own requests: some work first, then one token. */
function gatingCombined(times: ReturnType<typeof timeline>) {
  return createFakeVideoAnalyzer({
    combined: true,
    gatesRequests: true,
    fallbackCombined: async (call) => {
      const { filename } = call.video;
      times.calls.push({ filename, at: times.now() });
      const taken = await times.take(filename, call.options, call.options?.signal);
      if (taken.isErr()) return taken.error;
      return { analysis: makeVideoAnalysis({ summary: filename }), answer: answerFor(filename) };
    },
  });
}

describe('categorize.run with an analyzer that gates its own requests', () => {
  it('takes no token before the call and spaces the analyzer’s own takes by the limiter', async () => {
    const times = timeline();
    const analyzer = gatingCombined(times);
    const { vb, clock } = await setup({
      providers: { gated: { analyzer, requestsPerMinute: 6 } },
      categorize: { concurrency: 3 },
    });
    times.startAt(clock);
    const { session } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: ['gut-1.mp4', 'gut-2.mp4', 'gut-3.mp4'].map((name) => videoFile(name)),
        provider: 'gated',
      })
    )._unsafeUnwrap();
    expect(session.counts.categorized).toBe(3);
    // All three begin at once (uploads, polls are free); only the counted requests wait.
    expect(times.calls.map((call) => call.at)).toEqual([0, 0, 0]);
    expect(times.tokens.map((token) => token.at)).toEqual([0, 10_000, 20_000]);
    expect(analyzer.calls.every((call) => call.options?.rateLimit !== undefined)).toBe(true);
  });

  it('takes a token itself only for the part that does not gate (separate mode)', async () => {
    const times = timeline();
    const analyzer = createFakeVideoAnalyzer({
      gatesRequests: true,
      fallbackAnalysis: async (call) => {
        const taken = await times.take(call.video.filename, call.options);
        if (taken.isErr()) return taken.error;
        return makeVideoAnalysis({ summary: `about ${call.video.filename}` });
      },
    });
    const categorizer = createFakeBucketCategorizer({
      fallback: (call) => {
        times.calls.push({ filename: call.analysis.summary, at: times.now() });
        return answerFor(call.analysis.summary);
      },
    });
    const { vb, clock } = await setup({
      providers: { mixed: { analyzer, categorizer, requestsPerMinute: 60 } },
      categorize: { concurrency: 1 },
    });
    times.startAt(clock);
    const { session } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4'), videoFile('energy.mp4')],
        provider: 'mixed',
      })
    )._unsafeUnwrap();
    expect(session.counts.categorized).toBe(2);
    // One token a second, alternately taken by the analyzer and by core for the categorizer.
    expect(times.tokens.map((token) => token.at)).toEqual([0, 2_000]);
    expect(times.calls.map((call) => call.at)).toEqual([1_000, 3_000]);
    expect(categorizer.calls.every((call) => call.options?.rateLimit === undefined)).toBe(true);
  });

  it('hands a gating categorizer the limiter too', async () => {
    const times = timeline();
    const analyzer = createFakeVideoAnalyzer({
      fallbackAnalysis: (call) => makeVideoAnalysis({ summary: `about ${call.video.filename}` }),
    });
    const categorizer = createFakeBucketCategorizer({
      gatesRequests: true,
      fallback: async (call) => {
        const taken = await times.take(call.analysis.summary, call.options, call.options?.signal);
        if (taken.isErr()) return taken.error;
        return answerFor(call.analysis.summary);
      },
    });
    const { vb, clock } = await setup({
      providers: { mixed: { analyzer, categorizer, requestsPerMinute: 60 } },
      categorize: { concurrency: 1 },
    });
    times.startAt(clock);
    (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4'), videoFile('energy.mp4')],
        provider: 'mixed',
      })
    )._unsafeUnwrap();
    expect(times.tokens.map((token) => token.at)).toEqual([1_000, 3_000]);
    expect(analyzer.calls.every((call) => call.options?.rateLimit === undefined)).toBe(true);
  });

  it('still holds the whole bucket after a 429 from a gating analyzer', async () => {
    const times = timeline();
    const analyzer = gatingCombined(times);
    analyzer.queueAnalyzeAndCategorize(async (call) => {
      const taken = await times.take(call.video.filename, call.options, call.options?.signal);
      if (taken.isErr()) return taken.error;
      return vbucketsError('RATE_LIMITED', '[fake] 429 quota', { retryAfterMs: 30_000 });
    });
    const { vb, clock } = await setup({
      providers: { gated: { analyzer, requestsPerMinute: 6 } },
      categorize: { concurrency: 2 },
    });
    times.startAt(clock);
    const { session } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4'), videoFile('energy.mp4')],
        provider: 'gated',
      })
    )._unsafeUnwrap();
    expect(session.counts.categorized).toBe(2);
    // energy.mp4 would have had its token at 10 s; the 429 holds it to 30 s, and the retry
    // of gut.mp4 comes one interval later (no token of core's in between).
    expect(times.tokens.map((token) => [token.filename, token.at])).toEqual([
      ['gut.mp4', 0],
      ['energy.mp4', 30_000],
      ['gut.mp4', 40_000],
    ]);
  });

  it('cancels a take waiting for its token with the batch, leaving that row pending', async () => {
    const times = timeline();
    const controller = new AbortController();
    const analyzer = createFakeVideoAnalyzer({
      combined: true,
      gatesRequests: true,
      fallbackCombined: async (call) => {
        const { filename } = call.video;
        // No signal of its own: the batch's still ends the wait.
        const pending = times.take(filename, call.options);
        if (filename === 'energy.mp4') controller.abort();
        const taken = await pending;
        if (taken.isErr()) return taken.error;
        return { analysis: makeVideoAnalysis({ summary: filename }), answer: answerFor(filename) };
      },
    });
    const { vb, clock } = await setup({
      providers: { gated: { analyzer, requestsPerMinute: 1 } },
      categorize: { concurrency: 2 },
    });
    times.startAt(clock);
    const error = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4'), videoFile('energy.mp4')],
        provider: 'gated',
        signal: controller.signal,
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('CANCELLED');
    expect(times.tokens).toEqual([
      { filename: 'gut.mp4', at: 0, outcome: 'token' },
      { filename: 'energy.mp4', at: 0, outcome: 'CANCELLED' },
    ]);
    const rows = (
      await vb.categorize.results(acme, error.details?.sessionId as string)
    )._unsafeUnwrap();
    expect(rows.map((row) => [row.filename, row.status])).toEqual([
      ['gut.mp4', 'categorized'],
      ['energy.mp4', 'pending'],
    ]);
  });
});
