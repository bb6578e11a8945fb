import { createVBuckets } from '@vbuckets/core';
import { createMemoryBlobStore } from '@vbuckets/core/testing';
import { describe, expect, it } from 'vitest';
import { makeTenant } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

/**
 * One rule for text on every store, decided at the service boundary: PostgreSQL refused a
 * bucket named "a\u0000b" that SQLite and memory stored (issue 10 point 4).
 */
export function describeTextRuleConformance(context: StoreConformanceContext): void {
  describe('text rule (through the buckets service)', () => {
    const sdk = () =>
      createVBuckets({ store: context.store(), blobs: createMemoryBlobStore() })._unsafeUnwrap();

    it.each([
      ['NUL in a name', { name: 'a\u0000b' }, 'name'],
      ['a line break in a name', { name: 'a\nb' }, 'name'],
      ['a control character in a name', { name: 'a\u0007b' }, 'name'],
      ['NUL in free text', { name: 'ok', bestFor: 'x\u0000y' }, 'bestFor'],
      ['NUL in a phrase', { name: 'ok', painPoints: ['fine', 'b\u0000d'] }, 'painPoints.1'],
    ])(
      'refuses %s with VALIDATION naming the field, and stores nothing',
      async (_label, fields, path) => {
        const { scope, productId } = makeTenant();
        const error = await expectErrorCode(
          sdk().buckets.create(scope, { productId, ...fields }),
          'VALIDATION',
        );
        expect(error.path).toBe(path);
        expect(await expectOk(context.store().buckets.list(scope, { productId }))).toEqual([]);
      },
    );

    it('keeps line breaks and tabs in multi-line free text', async () => {
      const { scope, productId } = makeTenant();
      const bucket = await expectOk(
        sdk().buckets.create(scope, { productId, name: 'ok', bestFor: 'line one\n\tline two' }),
      );
      expect(bucket.bestFor).toBe('line one\n\tline two');
    });
  });
}
