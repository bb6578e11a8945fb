import type { VBucketsError } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import {
  makeBucket,
  makeCategorization,
  makeTenant,
  makeVideo,
  timestamp,
  uniqueId,
} from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

/**
 * A message a person reads: no `[sqlite]`-style tag in front and no `videos.get:` operation
 * prefix. Which adapter and operation failed is for logs, in the error's own fields.
 */
function expectHumanMessage(error: VBucketsError): void {
  expect(error.message).not.toMatch(/^\[/);
  expect(error.message).not.toMatch(/^[a-zA-Z]+\.[a-zA-Z]+:/);
  expect(error.message).not.toMatch(/memory-store|\[sqlite\]|\[postgres\]/);
  expect(error.message.length).toBeGreaterThan(0);
  expect(typeof error.adapter).toBe('string');
}

export function describeErrorMessageConformance(context: StoreConformanceContext): void {
  describe('error messages', () => {
    it('names a missing record for people, with the adapter in a field (NOT_FOUND)', async () => {
      const { scope } = makeTenant();
      const video = await expectErrorCode(context.store().videos.get(scope, 'x'), 'NOT_FOUND');
      expect(video.message).toBe('No video "x"');
      expectHumanMessage(video);
      expectHumanMessage(
        await expectErrorCode(context.store().buckets.get(scope, 'missing'), 'NOT_FOUND'),
      );
    });

    it('says which bucket name is taken in which product (CONFLICT)', async () => {
      const { orgId, productId } = makeTenant();
      await expectOk(context.store().buckets.insert(makeBucket({ orgId, productId, name: 'gut' })));
      const error = await expectErrorCode(
        context.store().buckets.insert(makeBucket({ orgId, productId, name: 'gut' })),
        'CONFLICT',
      );
      expect(error.message).toBe(`A bucket named "gut" already exists in product "${productId}"`);
      expectHumanMessage(error);
    });

    it('keeps adapter tags out of id conflicts and missing parents (CONFLICT, NOT_FOUND)', async () => {
      const { orgId, productId, scope } = makeTenant();
      const video = makeVideo({ orgId });
      await expectOk(context.store().videos.insert(video));
      const errors = [
        await expectErrorCode(context.store().videos.insert(video), 'CONFLICT'),
        await expectErrorCode(
          context
            .store()
            .categorizations.insert(
              makeCategorization({ orgId, productId, sessionId: uniqueId('no-session') }),
            ),
          'NOT_FOUND',
        ),
        await expectErrorCode(
          context.store().uploads.claim(scope, {
            videoId: 'no-such-video',
            platform: 'youtube',
            leaseMs: 60_000,
            duplicateAllowed: false,
            uploadId: uniqueId('upload'),
            attemptId: uniqueId('attempt'),
            owner: 'worker',
            now: timestamp(),
          }),
          'NOT_FOUND',
        ),
      ];
      for (const error of errors) expectHumanMessage(error);
      expect(errors[2]?.message).toBe('No video "no-such-video"');
    });
  });
}
