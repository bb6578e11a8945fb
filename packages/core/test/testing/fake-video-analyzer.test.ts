import { describe, expect, it } from 'vitest';
import { vbucketsError } from '../../src/errors';
import type { AnalyzerVideo } from '../../src/ports/video-analyzer';
import { createFakeVideoAnalyzer, makeVideoAnalysis } from '../../src/testing/fake-video-analyzer';

const video: AnalyzerVideo = {
  filename: 'clip.mp4',
  mimeType: 'video/mp4',
  sizeBytes: 10,
  open: () => {
    throw new Error('the fake never reads bytes');
  },
};

describe('createFakeVideoAnalyzer', () => {
  it('records calls and answers analyze from its queue', async () => {
    const analyzer = createFakeVideoAnalyzer({ provider: 'gemini' });
    const analysis = makeVideoAnalysis({ summary: 'A dog' });
    analyzer.queueAnalyze(analysis, vbucketsError('PROVIDER', 'overloaded', { retryable: true }));

    expect((await analyzer.analyze(video))._unsafeUnwrap()).toBe(analysis);
    expect((await analyzer.analyze(video))._unsafeUnwrapErr().message).toBe('overloaded');
    expect(analyzer.provider).toBe('gemini');
    expect(analyzer.calls).toEqual([
      { method: 'analyze', video, options: undefined },
      { method: 'analyze', video, options: undefined },
    ]);
  });

  it('offers analyzeAndCategorize only when combined', async () => {
    expect(createFakeVideoAnalyzer().analyzeAndCategorize).toBeUndefined();

    const analyzer = createFakeVideoAnalyzer({ combined: true });
    const answer = {
      analysis: makeVideoAnalysis(),
      answer: { bucketName: 'Energy', confidence: 0.9, reasoning: 'r' },
    };
    analyzer.queueAnalyzeAndCategorize(answer);

    expect((await analyzer.analyzeAndCategorize!(video, []))._unsafeUnwrap()).toBe(answer);
    expect(analyzer.calls).toEqual([
      { method: 'analyzeAndCategorize', video, buckets: [], options: undefined },
    ]);
  });

  it('fails with PROVIDER when nothing is queued, unless given a fallback', async () => {
    const error = (await createFakeVideoAnalyzer().analyze(video))._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect(error.message).toMatch(
      /^Call 1 of fake-video-analyzer\.analyze found no scripted answer/,
    );
    expect(error).toMatchObject({ adapter: 'fake-video-analyzer', operation: 'analyze' });

    const withFallback = createFakeVideoAnalyzer({
      fallbackAnalysis: (call) => makeVideoAnalysis({ summary: call.video.filename }),
    });
    expect((await withFallback.analyze(video))._unsafeUnwrap().summary).toBe('clip.mp4');
  });

  it('answers CANCELLED when the signal is already aborted', async () => {
    const analyzer = createFakeVideoAnalyzer({ fallbackAnalysis: makeVideoAnalysis() });
    const controller = new AbortController();
    controller.abort();

    expect(
      (await analyzer.analyze(video, { signal: controller.signal }))._unsafeUnwrapErr().code,
    ).toBe('CANCELLED');
    expect(analyzer.calls).toHaveLength(1);
  });
});
