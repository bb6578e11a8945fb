import type { CategorizationStatus } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { makeCategorization, makeSession, makeTenant, timestamp } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

const ZERO_COUNTS = { total: 0, pending: 0, analyzed: 0, categorized: 0, error: 0 };

export function describeSessionConformance(context: StoreConformanceContext): void {
  describe('categorization sessions', () => {
    it('inserts a session and returns it with zero counts', async () => {
      const { orgId, productId, scope } = makeTenant();
      const session = makeSession({ orgId, productId, createdAt: timestamp(3) });

      expect(await expectOk(context.store().categorizationSessions.insert(session))).toEqual({
        ...session,
        counts: ZERO_COUNTS,
      });
      expect(await expectOk(context.store().categorizationSessions.get(scope, session.id))).toEqual(
        {
          ...session,
          counts: ZERO_COUNTS,
        },
      );
    });

    it('refuses a second session with an existing id (CONFLICT)', async () => {
      const { orgId, productId } = makeTenant();
      const session = makeSession({ orgId, productId });
      await expectOk(context.store().categorizationSessions.insert(session));
      await expectErrorCode(context.store().categorizationSessions.insert(session), 'CONFLICT');
    });

    it('answers NOT_FOUND for an unknown id', async () => {
      const { scope } = makeTenant();
      await expectErrorCode(
        context.store().categorizationSessions.get(scope, 'session-missing'),
        'NOT_FOUND',
      );
    });

    it('derives its counts from its rows', async () => {
      const { orgId, productId, scope } = makeTenant();
      const session = makeSession({ orgId, productId });
      const otherSession = makeSession({ orgId, productId });
      await expectOk(context.store().categorizationSessions.insert(session));
      await expectOk(context.store().categorizationSessions.insert(otherSession));
      const statuses: CategorizationStatus[] = [
        'pending',
        'pending',
        'analyzed',
        'categorized',
        'categorized',
        'categorized',
        'error',
      ];
      for (const status of statuses) {
        await expectOk(
          context
            .store()
            .categorizations.insert(
              makeCategorization({ orgId, productId, sessionId: session.id, status }),
            ),
        );
      }
      await expectOk(
        context
          .store()
          .categorizations.insert(
            makeCategorization({ orgId, productId, sessionId: otherSession.id, status: 'error' }),
          ),
      );

      const stored = await expectOk(context.store().categorizationSessions.get(scope, session.id));
      expect(stored.counts).toEqual({
        total: 7,
        pending: 2,
        analyzed: 1,
        categorized: 3,
        error: 1,
      });
      const other = await expectOk(
        context.store().categorizationSessions.get(scope, otherSession.id),
      );
      expect(other.counts).toEqual({ total: 1, pending: 0, analyzed: 0, categorized: 0, error: 1 });
    });

    it('keeps its counts in step as rows move through the stages', async () => {
      const { orgId, productId, scope } = makeTenant();
      const session = makeSession({ orgId, productId });
      await expectOk(context.store().categorizationSessions.insert(session));
      const first = makeCategorization({ orgId, productId, sessionId: session.id });
      const second = makeCategorization({ orgId, productId, sessionId: session.id });
      await expectOk(context.store().categorizations.insert(first));
      await expectOk(context.store().categorizations.insert(second));

      const counts = async () =>
        (await expectOk(context.store().categorizationSessions.get(scope, session.id))).counts;
      expect(await counts()).toEqual({
        total: 2,
        pending: 2,
        analyzed: 0,
        categorized: 0,
        error: 0,
      });

      await expectOk(
        context
          .store()
          .categorizations.update(scope, first.id, { status: 'analyzed', updatedAt: timestamp(1) }),
      );
      expect(await counts()).toEqual({
        total: 2,
        pending: 1,
        analyzed: 1,
        categorized: 0,
        error: 0,
      });

      await expectOk(
        context.store().categorizations.update(scope, first.id, {
          status: 'categorized',
          updatedAt: timestamp(2),
        }),
      );
      await expectOk(
        context
          .store()
          .categorizations.update(scope, second.id, { status: 'error', updatedAt: timestamp(2) }),
      );
      expect(await counts()).toEqual({
        total: 2,
        pending: 0,
        analyzed: 0,
        categorized: 1,
        error: 1,
      });
    });

    it('lists a product’s sessions newest first, with their counts', async () => {
      const { orgId, productId, scope } = makeTenant();
      const offsets = [30, 10, 50, 20, 40];
      const sessions = offsets.map((offset) =>
        makeSession({ orgId, productId, createdAt: timestamp(offset) }),
      );
      for (const session of sessions) {
        await expectOk(context.store().categorizationSessions.insert(session));
      }
      await expectOk(
        context
          .store()
          .categorizationSessions.insert(makeSession({ orgId, productId: `${productId}-2` })),
      );
      const newest = sessions[2]!;
      await expectOk(
        context
          .store()
          .categorizations.insert(
            makeCategorization({ orgId, productId, sessionId: newest.id, status: 'analyzed' }),
          ),
      );

      const listed = await expectOk(
        context.store().categorizationSessions.listRecent(scope, { productId }),
      );
      expect(listed.map((session) => session.createdAt)).toEqual(
        [50, 40, 30, 20, 10].map((offset) => timestamp(offset)),
      );
      expect(listed[0]).toEqual({ ...newest, counts: { ...ZERO_COUNTS, total: 1, analyzed: 1 } });
      expect(listed[1]?.counts).toEqual(ZERO_COUNTS);
    });

    it('lists at most 10 sessions by default and honours a limit', async () => {
      const { orgId, productId, scope } = makeTenant();
      for (let offset = 1; offset <= 12; offset += 1) {
        await expectOk(
          context
            .store()
            .categorizationSessions.insert(
              makeSession({ orgId, productId, createdAt: timestamp(offset) }),
            ),
        );
      }

      const byDefault = await expectOk(
        context.store().categorizationSessions.listRecent(scope, { productId }),
      );
      expect(byDefault.map((session) => session.createdAt)).toEqual(
        [12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((offset) => timestamp(offset)),
      );
      const limited = await expectOk(
        context.store().categorizationSessions.listRecent(scope, { productId, limit: 3 }),
      );
      expect(limited.map((session) => session.createdAt)).toEqual(
        [12, 11, 10].map((offset) => timestamp(offset)),
      );
    });

    it('lists nothing for a product without sessions', async () => {
      const { productId, scope } = makeTenant();
      expect(
        await expectOk(context.store().categorizationSessions.listRecent(scope, { productId })),
      ).toEqual([]);
    });
  });
}
