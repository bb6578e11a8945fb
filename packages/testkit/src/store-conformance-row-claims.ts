import type { Categorization } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { makeCategorization, makeSession, makeTenant, timestamp } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

const LEASE_MS = 60_000;

export function describeRowClaimConformance(context: StoreConformanceContext): void {
  async function pendingRow(fields: Partial<Categorization> = {}) {
    const tenant = makeTenant();
    const session = makeSession({ orgId: tenant.orgId, productId: tenant.productId });
    await expectOk(context.store().categorizationSessions.insert(session));
    const row = makeCategorization({
      orgId: tenant.orgId,
      productId: tenant.productId,
      sessionId: session.id,
      status: 'pending',
      ...fields,
    });
    await expectOk(context.store().categorizations.insert(row));
    return { scope: tenant.scope, row };
  }

  const claim = (scope: { orgId: string }, id: string, owner: string, at = 0) =>
    context
      .store()
      .categorizations.claimRow(scope, { id, owner, now: timestamp(at), leaseMs: LEASE_MS });

  describe('categorization row claims', () => {
    // Issue 10 point 8: two processes resuming one session both processed a row.
    it('gives one of 20 concurrent claims of a row to exactly one worker', async () => {
      const { scope, row } = await pendingRow();
      const owners = Array.from({ length: 20 }, (_, index) => `worker-${index}`);
      const results = await Promise.all(
        owners.map((owner) => expectOk(claim(scope, row.id, owner))),
      );
      const winners = results.filter((result) => result.claimed);
      expect(winners).toHaveLength(1);
      const losers = results.filter((result) => !result.claimed);
      expect(losers).toHaveLength(19);
      for (const loser of losers) {
        expect(loser.claimed ? null : loser.reason).toBe('held');
      }
    });

    it('refuses a live lease to another worker and lets its owner claim again', async () => {
      const { scope, row } = await pendingRow();
      expect((await expectOk(claim(scope, row.id, 'first', 0))).claimed).toBe(true);
      const other = await expectOk(claim(scope, row.id, 'second', 30));
      expect(other).toMatchObject({ claimed: false, reason: 'held', heldBy: 'first' });
      expect((await expectOk(claim(scope, row.id, 'first', 30))).claimed).toBe(true);
    });

    it('lets another worker take a row over once its lease has expired', async () => {
      const { scope, row } = await pendingRow();
      expect((await expectOk(claim(scope, row.id, 'crashed', 0))).claimed).toBe(true);
      // Strictly before expiry the lease is live; at expiry it may be taken over.
      expect((await expectOk(claim(scope, row.id, 'rescuer', 59))).claimed).toBe(false);
      expect((await expectOk(claim(scope, row.id, 'rescuer', 60))).claimed).toBe(true);
    });

    it('renewal keeps the row from being taken over', async () => {
      const { scope, row } = await pendingRow();
      await expectOk(claim(scope, row.id, 'slow', 0));
      await expectOk(
        context.store().categorizations.renewRowClaim(scope, {
          id: row.id,
          owner: 'slow',
          now: timestamp(50),
          leaseMs: LEASE_MS,
        }),
      );
      expect((await expectOk(claim(scope, row.id, 'other', 100))).claimed).toBe(false);
      expect((await expectOk(claim(scope, row.id, 'other', 110))).claimed).toBe(true);
      await expectErrorCode(
        context.store().categorizations.renewRowClaim(scope, {
          id: row.id,
          owner: 'slow',
          now: timestamp(111),
          leaseMs: LEASE_MS,
        }),
        'CONFLICT',
      );
    });

    it("refuses a stale owner's result and keeps the current owner's", async () => {
      const { scope, row } = await pendingRow();
      await expectOk(claim(scope, row.id, 'stale', 0));
      await expectOk(claim(scope, row.id, 'current', 61));
      const refused = await expectErrorCode(
        context.store().categorizations.updateClaimed(scope, row.id, 'stale', {
          status: 'categorized',
          bucketName: 'Stale',
          updatedAt: timestamp(62),
        }),
        'CONFLICT',
      );
      expect(refused.message).toContain('lease lost');
      const unchanged = await expectOk(context.store().categorizations.get(scope, row.id));
      expect(unchanged).toMatchObject({ status: 'pending', bucketName: null });

      const saved = await expectOk(
        context.store().categorizations.updateClaimed(scope, row.id, 'current', {
          status: 'categorized',
          bucketName: 'Current',
          updatedAt: timestamp(63),
        }),
      );
      expect(saved).toMatchObject({ status: 'categorized', bucketName: 'Current' });
      // Finished: nobody can claim it again, and the released claim refuses its old owner.
      expect(await expectOk(claim(scope, row.id, 'late', 200))).toMatchObject({
        claimed: false,
        reason: 'not-pending',
      });
      await expectErrorCode(
        context.store().categorizations.updateClaimed(scope, row.id, 'current', {
          bucketName: 'Again',
          updatedAt: timestamp(201),
        }),
        'CONFLICT',
      );
    });

    it("lets a lease that ran out but was not taken over still save its owner's result", async () => {
      const { scope, row } = await pendingRow();
      await expectOk(claim(scope, row.id, 'slow', 0));
      const saved = await expectOk(
        context.store().categorizations.updateClaimed(scope, row.id, 'slow', {
          status: 'error',
          errorMessage: 'boom',
          updatedAt: timestamp(500),
        }),
      );
      expect(saved.status).toBe('error');
    });

    it('refuses bad claims before writing, and reports a missing or foreign row as NOT_FOUND', async () => {
      const { scope, row } = await pendingRow();
      const repository = context.store().categorizations;
      await expectErrorCode(
        repository.claimRow(scope, { id: row.id, owner: '', now: timestamp(0), leaseMs: 1 }),
        'VALIDATION',
      );
      await expectErrorCode(
        repository.claimRow(scope, { id: row.id, owner: 'a', now: timestamp(0), leaseMs: 0 }),
        'VALIDATION',
      );
      await expectErrorCode(
        repository.claimRow(scope, { id: row.id, owner: 'a', now: 'yesterday', leaseMs: 1 }),
        'VALIDATION',
      );
      await expectErrorCode(claim(scope, 'categorization-missing', 'a'), 'NOT_FOUND');
      await expectErrorCode(claim(makeTenant().scope, row.id, 'a'), 'NOT_FOUND');
      expect((await expectOk(claim(scope, row.id, 'a'))).claimed).toBe(true);
    });
  });
}
