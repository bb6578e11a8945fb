import { vbucketsError } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { makeBucket, makeCategorization, makeSession, makeTenant, timestamp } from './builders';
import { expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';
import { failWith } from './store-conformance-helpers';

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

export function describeConcurrencyConformance(context: StoreConformanceContext): void {
  describe('concurrent writers', () => {
    it('lands all of 50 concurrent inserts of distinct buckets', async () => {
      const { orgId, productId, scope } = makeTenant();
      const buckets = range(50).map((index) =>
        makeBucket({ orgId, productId, name: `Bucket ${index}` }),
      );

      const results = await Promise.all(
        buckets.map((bucket) => context.store().buckets.insert(bucket)),
      );

      expect(
        results
          .filter((result) => result.isErr())
          .map((result) => result.isErr() && result.error.code),
      ).toEqual([]);
      const listed = await expectOk(context.store().buckets.list(scope, { productId }));
      expect(listed.map((bucket) => bucket.id).sort()).toEqual(
        buckets.map((bucket) => bucket.id).sort(),
      );
    });

    it('lets exactly one of 20 concurrent inserts of the same name win; the rest are CONFLICT', async () => {
      const { orgId, productId, scope } = makeTenant();
      const spellings = ['Same Name', 'same name', 'SAME NAME', ' Same  Name '];
      const buckets = range(20).map((index) =>
        makeBucket({ orgId, productId, name: spellings[index % spellings.length]! }),
      );

      const results = await Promise.all(
        buckets.map((bucket) => context.store().buckets.insert(bucket)),
      );

      const winners = results.filter((result) => result.isOk());
      const codes = results.flatMap((result) => (result.isErr() ? [result.error.code] : []));
      expect(winners).toHaveLength(1);
      expect(codes).toEqual(Array.from({ length: 19 }, () => 'CONFLICT'));
      const listed = await expectOk(context.store().buckets.list(scope, { productId }));
      expect(listed).toHaveLength(1);
      expect(listed[0]).toEqual(winners[0]?.isOk() ? winners[0].value : undefined);
    });

    it('lets exactly one of 20 concurrent renames into the same name win', async () => {
      const { orgId, productId, scope } = makeTenant();
      const buckets = range(20).map((index) =>
        makeBucket({ orgId, productId, name: `Original ${index}` }),
      );
      for (const bucket of buckets) await expectOk(context.store().buckets.insert(bucket));

      const results = await Promise.all(
        buckets.map((bucket) =>
          context
            .store()
            .buckets.update(scope, bucket.id, { name: 'Popular', updatedAt: timestamp(1) }),
        ),
      );

      expect(results.filter((result) => result.isOk())).toHaveLength(1);
      expect(results.flatMap((result) => (result.isErr() ? [result.error.code] : []))).toEqual(
        Array.from({ length: 19 }, () => 'CONFLICT'),
      );
      const names = (await expectOk(context.store().buckets.list(scope, { productId }))).map(
        (bucket) => bucket.name,
      );
      expect(names.filter((name) => name === 'Popular')).toHaveLength(1);
    });

    it('loses no increment from 20 concurrent read-modify-write transactions', async () => {
      const { orgId, productId, scope } = makeTenant();
      const counter = makeBucket({ orgId, productId, displayOrder: 0 });
      await expectOk(context.store().buckets.insert(counter));

      const results = await Promise.all(
        range(20).map(() =>
          context.store().transaction((tx) =>
            tx.buckets.get(scope, counter.id).andThen((current) =>
              tx.buckets.update(scope, counter.id, {
                displayOrder: current.displayOrder + 1,
                updatedAt: timestamp(1),
              }),
            ),
          ),
        ),
      );

      expect(results.every((result) => result.isOk())).toBe(true);
      expect((await expectOk(context.store().buckets.get(scope, counter.id))).displayOrder).toBe(
        20,
      );
    });

    it('keeps every row inserted by 20 concurrent transactions', async () => {
      const { orgId, productId, scope } = makeTenant();
      const session = makeSession({ orgId, productId });
      await expectOk(context.store().categorizationSessions.insert(session));

      const results = await Promise.all(
        range(20).map((index) =>
          context.store().transaction((tx) =>
            tx.categorizations
              .insert(
                makeCategorization({
                  orgId,
                  productId,
                  sessionId: session.id,
                  filename: `clip-${index}.mp4`,
                }),
              )
              .andThen((row) =>
                tx.categorizations.update(scope, row.id, {
                  status: 'analyzed',
                  updatedAt: timestamp(1),
                }),
              ),
          ),
        ),
      );

      expect(results.every((result) => result.isOk())).toBe(true);
      const stored = await expectOk(context.store().categorizationSessions.get(scope, session.id));
      expect(stored.counts).toEqual({
        total: 20,
        pending: 0,
        analyzed: 20,
        categorized: 0,
        error: 0,
      });
    });

    it('keeps exactly the writes of the concurrent transactions that commit', async () => {
      const { orgId, productId, scope } = makeTenant();
      const buckets = range(20).map((index) =>
        makeBucket({ orgId, productId, name: `Bucket ${index}` }),
      );

      const results = await Promise.all(
        buckets.map((bucket, index) =>
          context
            .store()
            .transaction((tx) =>
              index % 2 === 0
                ? tx.buckets.insert(bucket)
                : tx.buckets
                    .insert(bucket)
                    .andThen(() => failWith(tx, scope, vbucketsError('CONFLICT', 'odd one out'))),
            ),
        ),
      );

      expect(results.filter((result) => result.isOk())).toHaveLength(10);
      const listed = await expectOk(context.store().buckets.list(scope, { productId }));
      expect(listed.map((bucket) => bucket.id).sort()).toEqual(
        buckets
          .filter((_, index) => index % 2 === 0)
          .map((bucket) => bucket.id)
          .sort(),
      );
    });

    it('mixes concurrent transactions and plain writes without losing either', async () => {
      const { orgId, productId, scope } = makeTenant();
      const viaTransaction = range(10).map((index) =>
        makeBucket({ orgId, productId, name: `In transaction ${index}` }),
      );
      const plain = range(10).map((index) =>
        makeBucket({ orgId, productId, name: `Plain ${index}` }),
      );

      const results = await Promise.all([
        ...viaTransaction.map((bucket) =>
          context.store().transaction((tx) => tx.buckets.insert(bucket)),
        ),
        ...plain.map((bucket) => context.store().buckets.insert(bucket)),
      ]);

      expect(results.every((result) => result.isOk())).toBe(true);
      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toHaveLength(20);
    });
  });
}
