import { describe, expect, it } from 'vitest';
import {
  makeBucket,
  makeCategorization,
  makeSession,
  makeTenant,
  makeVideo,
  timestamp,
} from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

export function describeLifecycleConformance(context: StoreConformanceContext): void {
  describe('returned records are copies', () => {
    it('is not changed by mutating an inserted or returned bucket', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId, name: 'Original', painPoints: ['one'] });
      const expected = structuredClone(bucket);
      const returned = await expectOk(context.store().buckets.insert(bucket));

      bucket.name = 'Mutated input';
      bucket.painPoints.push('input');
      returned.name = 'Mutated result';
      returned.painPoints.push('result');
      const fetched = await expectOk(context.store().buckets.get(scope, expected.id));
      fetched.keyCopyHooks.push('fetched');
      const listed = await expectOk(context.store().buckets.list(scope, { productId }));
      listed[0]?.solutionMechanism.push('listed');

      expect(await expectOk(context.store().buckets.get(scope, expected.id))).toEqual(expected);
    });

    it('is not changed by mutating a returned categorization’s analysis', async () => {
      const { orgId, productId, scope } = makeTenant();
      const session = makeSession({ orgId, productId });
      await expectOk(context.store().categorizationSessions.insert(session));
      const row = makeCategorization({
        orgId,
        productId,
        sessionId: session.id,
        analysis: { topics: ['a'], nested: { depth: 1 } },
      });
      const expected = structuredClone(row);
      await expectOk(context.store().categorizations.insert(row));

      (row.analysis!.topics as string[]).push('input');
      const fetched = await expectOk(context.store().categorizations.get(scope, row.id));
      (fetched.analysis!.nested as { depth: number }).depth = 99;
      const listed = await expectOk(
        context.store().categorizations.listBySession(scope, session.id),
      );
      (listed[0]!.analysis!.topics as string[]).push('listed');

      expect(await expectOk(context.store().categorizations.get(scope, row.id))).toEqual(expected);
    });
  });

  describe('closed store', () => {
    it.skipIf(!context.canClose)('fails every call with STORAGE after close', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId });
      await expectOk(context.store().buckets.insert(bucket));
      const store = context.store();
      await context.close();

      await expectErrorCode(store.buckets.get(scope, bucket.id), 'STORAGE');
      await expectErrorCode(store.buckets.insert(makeBucket({ orgId, productId })), 'STORAGE');
      await expectErrorCode(store.buckets.list(scope), 'STORAGE');
      await expectErrorCode(store.videos.insert(makeVideo({ orgId })), 'STORAGE');
      await expectErrorCode(store.videos.list(scope), 'STORAGE');
      await expectErrorCode(
        store.categorizationSessions.listRecent(scope, { productId }),
        'STORAGE',
      );
      await expectErrorCode(
        store.categorizations.setUploaded(scope, ['any'], true, timestamp(1)),
        'STORAGE',
      );
      await expectErrorCode(
        store.transaction((tx) => tx.buckets.get(scope, bucket.id)),
        'STORAGE',
      );
    });
  });
}
