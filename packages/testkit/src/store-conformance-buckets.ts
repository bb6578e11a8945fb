import { describe, expect, it } from 'vitest';
import { makeBucket, makeCategorization, makeSession, makeTenant, timestamp } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

export function describeBucketConformance(context: StoreConformanceContext): void {
  describe('buckets', () => {
    it('inserts a bucket and reads it back unchanged', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({
        orgId,
        productId,
        name: 'Pain Relief',
        painPoints: ['back pain', 'stiff neck'],
        solutionMechanism: [],
        keyCopyHooks: ['Feel better in 5 minutes', 'No pills'],
        displayOrder: -3,
        createdAt: timestamp(1),
        updatedAt: timestamp(2),
      });

      expect(await expectOk(context.store().buckets.insert(bucket))).toEqual(bucket);
      expect(await expectOk(context.store().buckets.get(scope, bucket.id))).toEqual(bucket);
    });

    it('refuses a second bucket with an existing id (CONFLICT) and keeps the first', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId, name: 'First' });
      await expectOk(context.store().buckets.insert(bucket));

      await expectErrorCode(
        context.store().buckets.insert({ ...bucket, name: 'Second' }),
        'CONFLICT',
      );
      expect((await expectOk(context.store().buckets.get(scope, bucket.id))).name).toBe('First');
    });

    it('answers NOT_FOUND for an unknown id', async () => {
      const { scope } = makeTenant();
      await expectErrorCode(
        context.store().buckets.get(scope, 'bucket-that-does-not-exist'),
        'NOT_FOUND',
      );
    });

    it('lists buckets by displayOrder, then name', async () => {
      const { orgId, productId, scope } = makeTenant();
      const rows: Array<[number, string]> = [
        [2, 'Alpha'],
        [1, 'Zulu'],
        [1, 'Mike'],
        [-5, 'Yankee'],
        [2, 'Bravo'],
      ];
      for (const [displayOrder, name] of rows) {
        await expectOk(
          context.store().buckets.insert(makeBucket({ orgId, productId, name, displayOrder })),
        );
      }

      const listed = await expectOk(context.store().buckets.list(scope, { productId }));
      expect(listed.map((bucket) => bucket.name)).toEqual([
        'Yankee',
        'Mike',
        'Zulu',
        'Alpha',
        'Bravo',
      ]);
    });

    // The memory store once sorted by raw name while SQL sorted by name key: "Zulu" before "alpha".
    it('orders equal display positions by name ignoring case', async () => {
      const { orgId, productId, scope } = makeTenant();
      for (const name of ['Zulu', 'alpha', 'Mike', 'bravo']) {
        await expectOk(
          context.store().buckets.insert(makeBucket({ orgId, productId, name, displayOrder: 0 })),
        );
      }
      const listed = await expectOk(context.store().buckets.list(scope, { productId }));
      expect(listed.map((bucket) => bucket.name)).toEqual(['alpha', 'bravo', 'Mike', 'Zulu']);
    });

    it('lists one product when productId is given and every product of the org otherwise', async () => {
      const { orgId, productId, scope } = makeTenant();
      const otherProductId = `${productId}-other`;
      const first = makeBucket({ orgId, productId, name: 'Alpha', displayOrder: 1 });
      const second = makeBucket({
        orgId,
        productId: otherProductId,
        name: 'Beta',
        displayOrder: 2,
      });
      await expectOk(context.store().buckets.insert(first));
      await expectOk(context.store().buckets.insert(second));

      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toEqual([first]);
      expect(
        await expectOk(context.store().buckets.list(scope, { productId: otherProductId })),
      ).toEqual([second]);
      expect(await expectOk(context.store().buckets.list(scope))).toEqual([first, second]);
      expect(await expectOk(context.store().buckets.list(scope, {}))).toEqual([first, second]);
    });

    it('lists nothing for a product without buckets', async () => {
      const { productId, scope } = makeTenant();
      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toEqual([]);
    });

    it('updates the patched fields, sets updatedAt and keeps the rest', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId, name: 'Before', bestFor: 'Students' });
      await expectOk(context.store().buckets.insert(bucket));

      const updated = await expectOk(
        context.store().buckets.update(scope, bucket.id, {
          name: 'After',
          painPoints: ['one', 'two', 'three'],
          keyCopyHooks: [],
          displayOrder: 7,
          updatedAt: timestamp(60),
        }),
      );

      const expected = {
        ...bucket,
        name: 'After',
        painPoints: ['one', 'two', 'three'],
        keyCopyHooks: [],
        displayOrder: 7,
        updatedAt: timestamp(60),
      };
      expect(updated).toEqual(expected);
      expect(await expectOk(context.store().buckets.get(scope, bucket.id))).toEqual(expected);
    });

    it('changes only updatedAt when the patch holds nothing else', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId });
      await expectOk(context.store().buckets.insert(bucket));

      await expectOk(context.store().buckets.update(scope, bucket.id, { updatedAt: timestamp(5) }));
      expect(await expectOk(context.store().buckets.get(scope, bucket.id))).toEqual({
        ...bucket,
        updatedAt: timestamp(5),
      });
    });

    it('answers NOT_FOUND when updating an unknown bucket', async () => {
      const { scope } = makeTenant();
      await expectErrorCode(
        context
          .store()
          .buckets.update(scope, 'bucket-missing', { name: 'X', updatedAt: timestamp(1) }),
        'NOT_FOUND',
      );
    });

    it('deletes a bucket, after which get and a second delete are NOT_FOUND', async () => {
      const { orgId, productId, scope } = makeTenant();
      const kept = makeBucket({ orgId, productId, name: 'Kept' });
      const removed = makeBucket({ orgId, productId, name: 'Removed' });
      await expectOk(context.store().buckets.insert(kept));
      await expectOk(context.store().buckets.insert(removed));

      await expectOk(context.store().buckets.delete(scope, removed.id));

      await expectErrorCode(context.store().buckets.get(scope, removed.id), 'NOT_FOUND');
      await expectErrorCode(context.store().buckets.delete(scope, removed.id), 'NOT_FOUND');
      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toEqual([kept]);
    });

    it('keeps the denormalised bucket name on categorizations when the bucket is deleted', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId, name: 'Morning Energy' });
      const session = makeSession({ orgId, productId });
      await expectOk(context.store().buckets.insert(bucket));
      await expectOk(context.store().categorizationSessions.insert(session));
      const row = makeCategorization({
        orgId,
        productId,
        sessionId: session.id,
        bucketId: bucket.id,
        bucketName: bucket.name,
        status: 'categorized',
        confidence: 0.8,
      });
      await expectOk(context.store().categorizations.insert(row));

      await expectOk(context.store().buckets.delete(scope, bucket.id));

      const after = await expectOk(context.store().categorizations.get(scope, row.id));
      expect(after.bucketName).toBe('Morning Energy');
      expect(after.status).toBe('categorized');
    });
  });

  describe('bucket name uniqueness', () => {
    it.each([
      ['the same name', 'Pain Relief'],
      ['another case', 'PAIN relief'],
      ['surrounding white space', '  Pain Relief\t'],
      ['a longer inner run of white space', 'Pain \t\n  Relief'],
    ])('refuses %s in the same product (CONFLICT)', async (_label, clashingName) => {
      const { orgId, productId, scope } = makeTenant();
      const first = makeBucket({ orgId, productId, name: 'Pain Relief' });
      await expectOk(context.store().buckets.insert(first));

      await expectErrorCode(
        context.store().buckets.insert(makeBucket({ orgId, productId, name: clashingName })),
        'CONFLICT',
      );
      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toEqual([first]);
    });

    it.each([
      ['composed and decomposed accents', 'Caf\u00e9 Culture', 'Cafe\u0301 culture'],
      ['full-width and ASCII letters', '\uff26\uff49\uff54\uff4e\uff45\uff53\uff53', 'fitness'],
    ])(
      'treats names that are equal after Unicode normalisation (NFKC) as the same: %s',
      async (_label, name, clashingName) => {
        const { orgId, productId } = makeTenant();
        await expectOk(context.store().buckets.insert(makeBucket({ orgId, productId, name })));

        await expectErrorCode(
          context.store().buckets.insert(makeBucket({ orgId, productId, name: clashingName })),
          'CONFLICT',
        );
      },
    );

    it('allows the same name in another product of the org', async () => {
      const { orgId, productId, scope } = makeTenant();
      await expectOk(
        context.store().buckets.insert(makeBucket({ orgId, productId, name: 'Hooks' })),
      );
      await expectOk(
        context
          .store()
          .buckets.insert(makeBucket({ orgId, productId: `${productId}-2`, name: 'hooks' })),
      );
      const names = (await expectOk(context.store().buckets.list(scope))).map(
        (bucket) => bucket.name,
      );
      expect(names.sort()).toEqual(['Hooks', 'hooks']);
    });

    it('allows the same name in the same product id of another org', async () => {
      const first = makeTenant();
      const second = makeTenant();
      await expectOk(
        context
          .store()
          .buckets.insert(
            makeBucket({ orgId: first.orgId, productId: first.productId, name: 'Hooks' }),
          ),
      );
      await expectOk(
        context
          .store()
          .buckets.insert(
            makeBucket({ orgId: second.orgId, productId: first.productId, name: 'Hooks' }),
          ),
      );
    });

    // A store that compares names with SQL LIKE would treat `%` and `_` as wildcards.
    it('treats % and _ in names literally', async () => {
      const { orgId, productId, scope } = makeTenant();
      for (const name of ['50_ off', '50% off', '50x off', '50%']) {
        await expectOk(context.store().buckets.insert(makeBucket({ orgId, productId, name })));
      }
      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toHaveLength(4);
    });

    it('keeps the name exactly as given, inner spaces and case included', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId, name: 'Pain  RELIEF  Now' });
      await expectOk(context.store().buckets.insert(bucket));
      expect((await expectOk(context.store().buckets.get(scope, bucket.id))).name).toBe(
        'Pain  RELIEF  Now',
      );
    });

    it('refuses a rename into another bucket name (CONFLICT) and changes nothing', async () => {
      const { orgId, productId, scope } = makeTenant();
      const first = makeBucket({ orgId, productId, name: 'Alpha', displayOrder: 1 });
      const second = makeBucket({ orgId, productId, name: 'Beta', displayOrder: 2 });
      await expectOk(context.store().buckets.insert(first));
      await expectOk(context.store().buckets.insert(second));

      await expectErrorCode(
        context.store().buckets.update(scope, second.id, {
          name: ' ALPHA ',
          displayOrder: 9,
          updatedAt: timestamp(9),
        }),
        'CONFLICT',
      );
      expect(await expectOk(context.store().buckets.get(scope, second.id))).toEqual(second);
    });

    it('allows a rename that only changes the case of its own name', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId, name: 'pain relief' });
      await expectOk(context.store().buckets.insert(bucket));

      await expectOk(
        context
          .store()
          .buckets.update(scope, bucket.id, { name: 'Pain Relief', updatedAt: timestamp(1) }),
      );
      expect((await expectOk(context.store().buckets.get(scope, bucket.id))).name).toBe(
        'Pain Relief',
      );
    });

    it('allows a rename into a name another product uses', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId, name: 'Alpha' });
      await expectOk(context.store().buckets.insert(bucket));
      await expectOk(
        context
          .store()
          .buckets.insert(makeBucket({ orgId, productId: `${productId}-2`, name: 'Beta' })),
      );

      await expectOk(
        context.store().buckets.update(scope, bucket.id, { name: 'Beta', updatedAt: timestamp(1) }),
      );
    });

    it('frees a name when its bucket is deleted or renamed', async () => {
      const { orgId, productId, scope } = makeTenant();
      const deleted = makeBucket({ orgId, productId, name: 'Deleted' });
      const renamed = makeBucket({ orgId, productId, name: 'Renamed' });
      await expectOk(context.store().buckets.insert(deleted));
      await expectOk(context.store().buckets.insert(renamed));
      await expectOk(context.store().buckets.delete(scope, deleted.id));
      await expectOk(
        context
          .store()
          .buckets.update(scope, renamed.id, { name: 'Elsewhere', updatedAt: timestamp(1) }),
      );

      await expectOk(
        context.store().buckets.insert(makeBucket({ orgId, productId, name: 'deleted' })),
      );
      await expectOk(
        context.store().buckets.insert(makeBucket({ orgId, productId, name: 'renamed' })),
      );
    });
  });
}
