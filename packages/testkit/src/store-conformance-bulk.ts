import type { Categorization } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import {
  makeBucket,
  makeCategorization,
  makeSession,
  makeTenant,
  type Tenant,
  timestamp,
  uniqueId,
} from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

/** Bulk writes: `categorizations.insertMany`. */
export function describeBulkConformance(context: StoreConformanceContext): void {
  async function withSession(tenant: Tenant = makeTenant()) {
    const session = makeSession({ orgId: tenant.orgId, productId: tenant.productId });
    await expectOk(context.store().categorizationSessions.insert(session));
    return { ...tenant, session };
  }

  const rowsOf = (
    tenant: Tenant & { session: { id: string } },
    count: number,
    fields: Partial<Categorization> = {},
  ) =>
    Array.from({ length: count }, (_, index) =>
      makeCategorization({
        orgId: tenant.orgId,
        productId: tenant.productId,
        sessionId: tenant.session.id,
        filename: `clip-${String(index).padStart(4, '0')}.mp4`,
        createdAt: timestamp(index),
        updatedAt: timestamp(index),
        ...fields,
      }),
    );

  describe('categorizations.insertMany', () => {
    // More rows than one multi-row INSERT statement holds, so the chunking is exercised.
    it('inserts every row, readable back unchanged in insertion order', async () => {
      const tenant = await withSession();
      const rows = rowsOf(tenant, 450);
      expect(await expectOk(context.store().categorizations.insertMany(rows))).toBe(450);
      const listed = await expectOk(
        context.store().categorizations.listBySession(tenant.scope, tenant.session.id),
      );
      expect(listed).toEqual(rows);
      expect(
        (
          await expectOk(
            context.store().categorizationSessions.get(tenant.scope, tenant.session.id),
          )
        ).counts.total,
      ).toBe(450);
    });

    it('writes nothing for an empty list', async () => {
      expect(await expectOk(context.store().categorizations.insertMany([]))).toBe(0);
    });

    it('stores none of the rows when one id already exists (CONFLICT)', async () => {
      const tenant = await withSession();
      const [existing] = rowsOf(tenant, 1, { filename: 'existing.mp4' });
      await expectOk(context.store().categorizations.insert(existing!));
      const rows = [...rowsOf(tenant, 300), { ...existing!, filename: 'again.mp4' }];
      await expectErrorCode(context.store().categorizations.insertMany(rows), 'CONFLICT');
      const listed = await expectOk(
        context.store().categorizations.listBySession(tenant.scope, tenant.session.id),
      );
      expect(listed.map((row) => row.filename)).toEqual(['existing.mp4']);
    });

    it('stores none of the rows when one names a session of another org (NOT_FOUND)', async () => {
      const owner = await withSession();
      const intruder = await withSession();
      const rows = [
        ...rowsOf(intruder, 3),
        ...rowsOf(owner, 1).map((row) => ({ ...row, orgId: intruder.orgId })),
      ];
      await expectErrorCode(context.store().categorizations.insertMany(rows), 'NOT_FOUND');
      for (const tenant of [owner, intruder]) {
        expect(
          await expectOk(
            context.store().categorizations.listBySession(tenant.scope, tenant.session.id),
          ),
        ).toEqual([]);
      }
    });

    it('inside a transaction that fails afterwards, leaves no row behind', async () => {
      const tenant = await withSession();
      const rows = rowsOf(tenant, 5);
      const outcome = await context
        .store()
        .transaction((tx) =>
          tx.categorizations
            .insertMany(rows)
            .andThen(() => tx.categorizations.insert({ ...rows[0]!, filename: 'clash.mp4' })),
        );
      expect(outcome.isErr()).toBe(true);
      expect(
        await expectOk(
          context.store().categorizations.listBySession(tenant.scope, tenant.session.id),
        ),
      ).toEqual([]);
    });
  });

  describe('buckets.insertMany', () => {
    const bucketsOf = (tenant: Tenant, count: number) =>
      Array.from({ length: count }, (_, index) =>
        makeBucket({
          orgId: tenant.orgId,
          productId: tenant.productId,
          name: `Imported ${index}`,
          displayOrder: index,
        }),
      );

    it('inserts every bucket (more than one INSERT holds), readable back unchanged', async () => {
      const tenant = makeTenant();
      const buckets = bucketsOf(tenant, 450);
      expect(await expectOk(context.store().buckets.insertMany(buckets))).toBe(450);
      const listed = await expectOk(
        context.store().buckets.list(tenant.scope, { productId: tenant.productId }),
      );
      expect(listed).toEqual(buckets);
      expect(await expectOk(context.store().buckets.insertMany([]))).toBe(0);
    });

    it('stores none when one name is taken in the product or twice in the list (CONFLICT)', async () => {
      const tenant = makeTenant();
      const [existing] = bucketsOf(tenant, 1);
      await expectOk(context.store().buckets.insert({ ...existing!, name: 'Taken' }));
      const taken = [
        ...bucketsOf(tenant, 300).slice(1),
        { ...bucketsOf(tenant, 1)[0]!, id: uniqueId('bucket'), name: ' TAKEN ' },
      ];
      await expectErrorCode(context.store().buckets.insertMany(taken), 'CONFLICT');
      const twice = bucketsOf(tenant, 3).slice(1);
      twice.push({ ...twice[0]!, id: uniqueId('bucket') });
      await expectErrorCode(context.store().buckets.insertMany(twice), 'CONFLICT');
      const listed = await expectOk(
        context.store().buckets.list(tenant.scope, { productId: tenant.productId }),
      );
      expect(listed.map((bucket) => bucket.name)).toEqual(['Taken']);
    });
  });
}
