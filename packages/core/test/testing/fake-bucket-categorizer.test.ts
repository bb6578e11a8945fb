import { describe, expect, it } from 'vitest';
import { createFakeBucketCategorizer } from '../../src/testing/fake-bucket-categorizer';
import { makeVideoAnalysis } from '../../src/testing/fake-video-analyzer';

describe('createFakeBucketCategorizer', () => {
  it('records calls and answers from its queue, then its fallback', async () => {
    const categorizer = createFakeBucketCategorizer({
      provider: 'keyword',
      fallback: { bucketName: null, confidence: 0, reasoning: 'no fit' },
    });
    const analysis = makeVideoAnalysis({ topics: ['energy'] });
    categorizer.queueCategorize({ bucketName: 'Energy', confidence: 0.7, reasoning: 'topic' });

    expect((await categorizer.categorize(analysis, []))._unsafeUnwrap().bucketName).toBe('Energy');
    expect((await categorizer.categorize(analysis, []))._unsafeUnwrap().bucketName).toBeNull();
    expect(categorizer.provider).toBe('keyword');
    expect(categorizer.calls).toEqual([
      { analysis, buckets: [], options: undefined },
      { analysis, buckets: [], options: undefined },
    ]);
  });

  it('fails with PROVIDER when nothing is queued and there is no fallback', async () => {
    const error = (
      await createFakeBucketCategorizer().categorize(makeVideoAnalysis(), [])
    )._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect(error.message).toMatch(
      /^Call 1 of fake-bucket-categorizer\.categorize found no scripted answer/,
    );
    expect(error).toMatchObject({ adapter: 'fake-bucket-categorizer', operation: 'categorize' });
  });
});
