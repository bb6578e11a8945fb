import { describe, expect, it } from 'vitest';
import { createModelCategorizer } from '../../../src/domain/categorization/model-categorizer';
import { vbucketsError } from '../../../src/errors';
import type { Bucket } from '../../../src/schemas/bucket';
import { makeVideoAnalysis } from '../../../src/testing/index';

const bucket = { name: 'Gut Health' } as Bucket;

function categorizer(ask: () => Promise<{ bucketName: string | null }>) {
  const calls: string[] = [];
  const made = createModelCategorizer({
    provider: 'model',
    adapter: 'model-adapter',
    ask: async (_analysis, _buckets, _options, action) => {
      calls.push(action);
      return { confidence: 0.9, reasoning: 'fits', ...(await ask()) };
    },
    toError: (error) =>
      vbucketsError('PROVIDER', `mapped: ${error instanceof Error ? error.message : 'unknown'}`),
  });
  return { made, calls };
}

describe('createModelCategorizer', () => {
  it('asks the model once and returns its answer, declaring that it gates its own requests', async () => {
    const { made, calls } = categorizer(async () => ({ bucketName: 'Gut Health' }));
    expect(made.gatesRequests).toBe(true);
    expect(made.provider).toBe('model');
    const answer = (await made.categorize(makeVideoAnalysis(), [bucket]))._unsafeUnwrap();
    expect(answer).toEqual({ bucketName: 'Gut Health', confidence: 0.9, reasoning: 'fits' });
    expect(calls).toEqual(['Categorizing a video analysis']);
  });

  it('answers null without a request when there are no buckets', async () => {
    const { made, calls } = categorizer(async () => ({ bucketName: 'made up' }));
    const answer = (await made.categorize(makeVideoAnalysis(), []))._unsafeUnwrap();
    expect(answer).toEqual({
      bucketName: null,
      confidence: 0,
      reasoning: 'There are no buckets to choose from.',
    });
    expect(calls).toEqual([]);
  });

  it('is CANCELLED without a request when the signal has already aborted', async () => {
    const { made, calls } = categorizer(async () => ({ bucketName: 'Gut Health' }));
    const controller = new AbortController();
    controller.abort();
    const error = (
      await made.categorize(makeVideoAnalysis(), [bucket], { signal: controller.signal })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect(error.message).toBe('mapped: Categorizing a video analysis was cancelled');
    expect(calls).toEqual([]);
  });

  it('maps a failed request with the adapter’s mapper and names the adapter and operation', async () => {
    const { made } = categorizer(async () => {
      throw new Error('socket hang up');
    });
    const error = (await made.categorize(makeVideoAnalysis(), [bucket]))._unsafeUnwrapErr();
    expect(error.message).toBe('mapped: socket hang up');
    expect(error.adapter).toBe('model-adapter');
    expect(error.operation).toBe('categorizer.categorize');
  });
});
