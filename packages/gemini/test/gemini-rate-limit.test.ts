import { cancelledError, type VBucketsError, vbucketsError } from '@vbuckets/core';
import type { CallOptions } from '@vbuckets/core/adapter-kit';
import {
  expectErrorCode,
  expectOk,
  type FakeGeminiRoute,
  type FakeGeminiServer,
  startFakeGeminiServer,
} from '@vbuckets/testkit';
import { err, okAsync, type Result, ResultAsync } from 'neverthrow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGemini, type GeminiSettings } from '../src/index';
import { makeBuckets, makeVideo, patternBytes, recordingSleep } from './gemini-test-helpers';

type RateLimit = NonNullable<CallOptions['rateLimit']>;

let server: FakeGeminiServer;

beforeEach(async () => {
  server = await startFakeGeminiServer({
    bucketsByFilename: { 'gut.mp4': 'Gut Health', 'focus.mp4': 'Energy & Focus' },
  });
});
afterEach(() => server.close());

function gemini(settings: GeminiSettings = {}) {
  const sleeper = recordingSleep();
  return createGemini({
    apiKey: server.apiKey,
    baseURL: server.baseUrl,
    sleep: sleeper.sleep,
    clock: sleeper.clock,
    ...settings,
  });
}

/**
 * A limiter that grants every token at once and records, for each take, the routes the server
 * had seen before it and the route of the next request after it.
 */
function recordingRateLimit() {
  const takes: { seenBefore: FakeGeminiRoute[]; requestIndex: number; signal?: AbortSignal }[] = [];
  const rateLimit: RateLimit = {
    take(signal) {
      takes.push({
        seenBefore: server.requests.map((request) => request.route),
        requestIndex: server.requests.length,
        ...(signal === undefined ? {} : { signal }),
      });
      return okAsync(undefined);
    },
  };
  return {
    rateLimit,
    takes,
    /** The route of the first request after each take. */
    nextRoutes: () => takes.map((take) => server.requests[take.requestIndex]?.route),
  };
}

/** A limiter whose token never comes: the take ends only when its signal aborts. */
function blockedRateLimit(onWaiting: () => void): RateLimit {
  return {
    take(signal) {
      const pending = new ResultAsync(
        new Promise<Result<void, VBucketsError>>((resolve) => {
          signal?.addEventListener(
            'abort',
            () => resolve(err(cancelledError('Waiting for a rate-limit token was cancelled'))),
            { once: true },
          );
        }),
      );
      onWaiting();
      return pending;
    },
  };
}

describe('Gemini gates its own requests', () => {
  it('declares it on the analyzer and the categorizer', () => {
    const provider = gemini();
    expect(provider.analyzer.gatesRequests).toBe(true);
    expect(provider.categorizer.gatesRequests).toBe(true);
  });

  it('takes one token per video in combined mode, right before generateContent and after the upload', async () => {
    const { analyzer } = gemini();
    const limiter = recordingRateLimit();
    for (const filename of ['gut.mp4', 'focus.mp4']) {
      await expectOk(
        analyzer.analyzeAndCategorize!(makeVideo(patternBytes(10), { filename }), makeBuckets(), {
          rateLimit: limiter.rateLimit,
        }),
      );
    }
    expect(limiter.takes).toHaveLength(2);
    expect(server.requestsTo('generate-content')).toHaveLength(2);
    expect(limiter.nextRoutes()).toEqual(['generate-content', 'generate-content']);
    for (const take of limiter.takes) {
      // The upload and the polls went first, unmetered; the take comes after the last poll.
      expect(take.seenBefore.at(-1)).toBe('file-get');
      expect(take.seenBefore).toContain('upload-start');
    }
    expect(limiter.takes[1]?.seenBefore.filter((route) => route === 'generate-content')).toEqual([
      'generate-content',
    ]);
  });

  it('takes two tokens per video in separate mode: the analysis and the text-only categorize', async () => {
    const { analyzer, categorizer } = gemini({ mode: 'separate' });
    const limiter = recordingRateLimit();
    const controller = new AbortController();
    const options = { rateLimit: limiter.rateLimit, signal: controller.signal };
    const analysis = await expectOk(
      analyzer.analyze(makeVideo(patternBytes(10), { filename: 'focus.mp4' }), options),
    );
    await expectOk(categorizer.categorize(analysis, makeBuckets(), options));
    expect(limiter.takes).toHaveLength(2);
    expect(server.requestsTo('generate-content')).toHaveLength(2);
    expect(limiter.nextRoutes()).toEqual(['generate-content', 'generate-content']);
    expect(limiter.takes[0]?.seenBefore).toContain('upload-start');
    // Each take is tied to the call's signal, so a cancel ends the wait.
    expect(limiter.takes.map((take) => take.signal)).toEqual([
      controller.signal,
      controller.signal,
    ]);
  });

  it('takes no token when the categorizer has nothing to choose from (no request)', async () => {
    const limiter = recordingRateLimit();
    await expectOk(
      gemini().categorizer.categorize(
        { summary: 's', transcript: '', hook: '', topics: [], onScreenText: '', raw: {} },
        [],
        { rateLimit: limiter.rateLimit },
      ),
    );
    expect(limiter.takes).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
  });

  it('is CANCELLED when aborted while waiting for the token, and still deletes the file', async () => {
    const controller = new AbortController();
    const waiting = vi.fn();
    const error = await expectErrorCode(
      gemini().analyzer.analyzeAndCategorize!(
        makeVideo(patternBytes(10), { filename: 'gut.mp4' }),
        makeBuckets(),
        {
          signal: controller.signal,
          rateLimit: blockedRateLimit(() => {
            waiting();
            controller.abort();
          }),
        },
      ),
      'CANCELLED',
    );
    expect(waiting).toHaveBeenCalledTimes(1);
    expect(error.message).toBe('Analysing and categorizing "gut.mp4" was cancelled');
    expect(error).toMatchObject({ adapter: 'gemini', operation: 'analyzer.analyzeAndCategorize' });
    expect(server.requestsTo('generate-content')).toHaveLength(0);
    const [file] = [...server.files.values()];
    expect(server.liveFiles()).toEqual([]);
    expect(server.requestsTo('file-delete').map((request) => request.path)).toEqual([
      `/v1beta/${file!.name}`,
    ]);
  });

  it('is CANCELLED when the categorizer is aborted while waiting for the token', async () => {
    const controller = new AbortController();
    const error = await expectErrorCode(
      gemini({ mode: 'separate' }).categorizer.categorize(
        { summary: 's', transcript: '', hook: '', topics: [], onScreenText: '', raw: {} },
        makeBuckets(),
        { signal: controller.signal, rateLimit: blockedRateLimit(() => controller.abort()) },
      ),
      'CANCELLED',
    );
    expect(error.message).toBe('Categorizing a video analysis was cancelled');
    expect(error).toMatchObject({ adapter: 'gemini', operation: 'categorizer.categorize' });
    expect(server.requests).toHaveLength(0);
  });

  it('passes a limiter’s own failure on, without the request, and deletes the file', async () => {
    const refusal = vbucketsError('RATE_LIMITED', 'The rate limiter is held', {
      retryAfterMs: 1000,
    });
    const error = await expectErrorCode(
      gemini().analyzer.analyze(makeVideo(patternBytes(10)), {
        rateLimit: { take: () => new ResultAsync(Promise.resolve(err(refusal))) },
      }),
      'RATE_LIMITED',
    );
    // The same failure, only with the call it reached named in the fields.
    expect(error).toMatchObject({
      message: refusal.message,
      retryAfterMs: 1000,
      adapter: 'gemini',
      operation: 'analyzer.analyze',
    });
    expect(error.stack).toBe(refusal.stack);
    expect(server.requestsTo('generate-content')).toHaveLength(0);
    expect(server.liveFiles()).toEqual([]);
  });
});
