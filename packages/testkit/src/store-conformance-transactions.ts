import { isVBucketsError, vbucketsError } from '@vbuckets/core';
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
import { createGate, failWith } from './store-conformance-helpers';

export function describeTransactionConformance(context: StoreConformanceContext): void {
  describe('transactions', () => {
    it('commits writes to every repository and returns the result of fn', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId });
      const video = makeVideo({ orgId });
      const session = makeSession({ orgId, productId });
      const row = makeCategorization({
        orgId,
        productId,
        sessionId: session.id,
        videoId: video.id,
      });

      const result = await expectOk(
        context.store().transaction((tx) =>
          tx.buckets
            .insert(bucket)
            .andThen(() => tx.videos.insert(video))
            .andThen(() => tx.categorizationSessions.insert(session))
            .andThen(() => tx.categorizations.insert(row))
            .map((inserted) => ({ committed: inserted.id })),
        ),
      );

      expect(result).toEqual({ committed: row.id });
      expect(await expectOk(context.store().buckets.get(scope, bucket.id))).toEqual(bucket);
      expect(await expectOk(context.store().videos.get(scope, video.id))).toEqual(video);
      expect(await expectOk(context.store().categorizations.get(scope, row.id))).toEqual(row);
      expect(
        (await expectOk(context.store().categorizationSessions.get(scope, session.id))).counts
          .total,
      ).toBe(1);
    });

    it('lets reads inside a transaction see its own writes', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId });
      const session = makeSession({ orgId, productId });
      const row = makeCategorization({
        orgId,
        productId,
        sessionId: session.id,
        status: 'analyzed',
      });

      const seen = await expectOk(
        context.store().transaction((tx) =>
          tx.buckets
            .insert(bucket)
            .andThen(() =>
              tx.buckets.update(scope, bucket.id, {
                name: 'Renamed inside',
                updatedAt: timestamp(1),
              }),
            )
            .andThen(() => tx.buckets.list(scope, { productId }))
            .andThen((buckets) =>
              tx.categorizationSessions
                .insert(session)
                .andThen(() => tx.categorizations.insert(row))
                .andThen(() => tx.categorizationSessions.get(scope, session.id))
                .map((stored) => ({
                  names: buckets.map((each) => each.name),
                  counts: stored.counts,
                })),
            ),
        ),
      );

      expect(seen).toEqual({
        names: ['Renamed inside'],
        counts: { total: 1, pending: 0, analyzed: 1, categorized: 0, error: 0 },
      });
    });

    it('rolls back every kind of write when fn returns an Err, and returns that Err', async () => {
      const { orgId, productId, scope } = makeTenant();
      const existingBucket = makeBucket({ orgId, productId, name: 'Existing' });
      const existingVideo = makeVideo({ orgId });
      const existingSession = makeSession({ orgId, productId });
      const existingRow = makeCategorization({ orgId, productId, sessionId: existingSession.id });
      await expectOk(context.store().buckets.insert(existingBucket));
      await expectOk(context.store().videos.insert(existingVideo));
      await expectOk(context.store().categorizationSessions.insert(existingSession));
      await expectOk(context.store().categorizations.insert(existingRow));
      const newBucket = makeBucket({ orgId, productId, name: 'New' });
      const newVideo = makeVideo({ orgId });
      const newSession = makeSession({ orgId, productId });
      const newRow = makeCategorization({ orgId, productId, sessionId: existingSession.id });
      const reason = vbucketsError('VALIDATION', 'the caller changed its mind');

      const error = await expectErrorCode(
        context.store().transaction((tx) =>
          tx.buckets
            .insert(newBucket)
            .andThen(() =>
              tx.buckets.update(scope, existingBucket.id, {
                name: 'Changed',
                updatedAt: timestamp(9),
              }),
            )
            .andThen(() => tx.videos.insert(newVideo))
            .andThen(() => tx.videos.update(scope, existingVideo.id, { title: 'Changed' }))
            .andThen(() => tx.categorizationSessions.insert(newSession))
            .andThen(() => tx.categorizations.insert(newRow))
            .andThen(() =>
              tx.categorizations.update(scope, existingRow.id, {
                status: 'error',
                updatedAt: timestamp(9),
              }),
            )
            .andThen(() =>
              tx.categorizations.setUploaded(scope, [existingRow.id], true, timestamp(9)),
            )
            .andThen(() => tx.videos.delete(scope, existingVideo.id))
            .andThen(() => failWith(tx, scope, reason)),
        ),
        'VALIDATION',
      );

      expect(error.message).toBe('the caller changed its mind');
      const store = context.store();
      await expectErrorCode(store.buckets.get(scope, newBucket.id), 'NOT_FOUND');
      await expectErrorCode(store.videos.get(scope, newVideo.id), 'NOT_FOUND');
      await expectErrorCode(store.categorizationSessions.get(scope, newSession.id), 'NOT_FOUND');
      await expectErrorCode(store.categorizations.get(scope, newRow.id), 'NOT_FOUND');
      expect(await expectOk(store.buckets.get(scope, existingBucket.id))).toEqual(existingBucket);
      expect(await expectOk(store.videos.get(scope, existingVideo.id))).toEqual(existingVideo);
      expect(await expectOk(store.categorizations.get(scope, existingRow.id))).toEqual(existingRow);
      expect(
        (await expectOk(store.categorizationSessions.get(scope, existingSession.id))).counts.total,
      ).toBe(1);
    });

    it('rolls back earlier writes when a repository call inside fails (name clash)', async () => {
      const { orgId, productId, scope } = makeTenant();
      await expectOk(
        context.store().buckets.insert(makeBucket({ orgId, productId, name: 'Taken' })),
      );
      const first = makeBucket({ orgId, productId, name: 'Fresh' });

      await expectErrorCode(
        context
          .store()
          .transaction((tx) =>
            tx.buckets
              .insert(first)
              .andThen(() => tx.buckets.insert(makeBucket({ orgId, productId, name: 'TAKEN' }))),
          ),
        'CONFLICT',
      );
      await expectErrorCode(context.store().buckets.get(scope, first.id), 'NOT_FOUND');
      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toHaveLength(1);
    });

    it('rolls back when fn throws after writing, and reports a VBucketsError', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId });

      const settled = await context.store().transaction((tx) =>
        tx.buckets.insert(bucket).map((): never => {
          throw new Error('boom inside the transaction');
        }),
      );

      expect(settled.isErr()).toBe(true);
      expect(settled.isErr() && isVBucketsError(settled.error)).toBe(true);
      await expectErrorCode(context.store().buckets.get(scope, bucket.id), 'NOT_FOUND');
    });

    it('reports a VBucketsError when fn throws before returning a result', async () => {
      const settled = await context.store().transaction(() => {
        throw new Error('thrown synchronously');
      });

      expect(settled.isErr()).toBe(true);
      expect(settled.isErr() && isVBucketsError(settled.error)).toBe(true);
    });

    it('keeps the code of a thrown VBucketsError', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId });

      const error = await expectErrorCode(
        context.store().transaction((tx) =>
          tx.buckets.insert(bucket).map((): never => {
            throw vbucketsError('CANCELLED', 'stopped by the caller');
          }),
        ),
        'CANCELLED',
      );
      expect(error.message).toBe('stopped by the caller');
      await expectErrorCode(context.store().buckets.get(scope, bucket.id), 'NOT_FOUND');
    });

    it('stays usable after a rollback', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId });
      await expectErrorCode(
        context
          .store()
          .transaction((tx) =>
            tx.buckets
              .insert(bucket)
              .andThen(() => failWith(tx, scope, vbucketsError('CONFLICT', 'no'))),
          ),
        'CONFLICT',
      );

      await expectOk(context.store().transaction((tx) => tx.buckets.insert(bucket)));
      await expectOk(context.store().buckets.insert(makeBucket({ orgId, productId })));
      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toHaveLength(2);
    });

    it('never shows a write to other readers before it commits (no dirty reads)', async () => {
      const { orgId, productId, scope } = makeTenant();
      const bucket = makeBucket({ orgId, productId });
      const written = createGate();
      const release = createGate();

      const transaction = context.store().transaction((tx) =>
        tx.buckets
          .insert(bucket)
          .map(async (inserted) => {
            written.open();
            await release.opened;
            return inserted;
          })
          .andThen(() => failWith(tx, scope, vbucketsError('CONFLICT', 'roll back'))),
      );
      await written.opened;
      // Started while the transaction holds its write; it must not see it, whether it runs
      // at once (seeing committed data) or waits for the transaction to end.
      const readDuring = context.store().buckets.get(scope, bucket.id);
      const listDuring = context.store().buckets.list(scope, { productId });
      release.open();

      await expectErrorCode(transaction, 'CONFLICT');
      await expectErrorCode(readDuring, 'NOT_FOUND');
      expect(await expectOk(listDuring)).toEqual([]);
    });

    it('keeps a write made outside a transaction while it runs, even when it rolls back', async () => {
      const { orgId, productId, scope } = makeTenant();
      const inside = makeBucket({ orgId, productId, name: 'Inside' });
      const outside = makeBucket({ orgId, productId, name: 'Outside' });
      const written = createGate();
      const release = createGate();

      const transaction = context.store().transaction((tx) =>
        tx.buckets
          .insert(inside)
          .map(async (inserted) => {
            written.open();
            await release.opened;
            return inserted;
          })
          .andThen(() => failWith(tx, scope, vbucketsError('CONFLICT', 'roll back'))),
      );
      await written.opened;
      const outsideWrite = context.store().buckets.insert(outside);
      release.open();

      await expectErrorCode(transaction, 'CONFLICT');
      await expectOk(outsideWrite);
      expect(await expectOk(context.store().buckets.list(scope, { productId }))).toEqual([outside]);
    });
  });
}
