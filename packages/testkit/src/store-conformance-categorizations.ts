import type { Categorization } from '@vbuckets/core';
import type { CategorizationSessionInsert } from '@vbuckets/core/adapter-kit';
import { describe, expect, it } from 'vitest';
import {
  makeBucket,
  makeCategorization,
  makeSession,
  makeTenant,
  makeVideo,
  type Tenant,
  timestamp,
} from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

export function describeCategorizationConformance(context: StoreConformanceContext): void {
  /** A tenant with one stored session. */
  async function withSession(
    tenant: Tenant = makeTenant(),
  ): Promise<Tenant & { session: CategorizationSessionInsert }> {
    const session = makeSession({ orgId: tenant.orgId, productId: tenant.productId });
    await expectOk(context.store().categorizationSessions.insert(session));
    return { ...tenant, session };
  }

  /** Inserts rows of the session in order and returns them. */
  async function insertRows(
    tenant: Tenant & { session: CategorizationSessionInsert },
    rows: Array<Partial<Categorization>>,
  ): Promise<Categorization[]> {
    const inserted: Categorization[] = [];
    for (const fields of rows) {
      const row = makeCategorization({
        orgId: tenant.orgId,
        productId: tenant.productId,
        sessionId: tenant.session.id,
        ...fields,
      });
      inserted.push(await expectOk(context.store().categorizations.insert(row)));
    }
    return inserted;
  }

  describe('categorizations', () => {
    it('inserts a fully filled row and reads it back unchanged', async () => {
      const tenant = await withSession();
      const { orgId, productId, scope, session } = tenant;
      const bucket = makeBucket({ orgId, productId, name: 'Energy' });
      const video = makeVideo({ orgId });
      await expectOk(context.store().buckets.insert(bucket));
      await expectOk(context.store().videos.insert(video));
      const row = makeCategorization({
        orgId,
        productId,
        sessionId: session.id,
        videoId: video.id,
        filename: 'energy-drink.MOV',
        bucketId: bucket.id,
        bucketName: bucket.name,
        confidence: 0.875,
        reasoning: 'Talks about morning energy',
        summary: 'A woman drinks a smoothie',
        transcript: 'Good morning! Today…',
        analysis: {
          topics: ['energy', 'breakfast'],
          hook: 'Good morning',
          scores: { fit: 0.9 },
          frames: 3,
          nsfw: false,
          extra: null,
        },
        status: 'categorized',
        errorMessage: null,
        isUploaded: true,
        createdAt: timestamp(4),
        updatedAt: timestamp(5),
      });

      expect(await expectOk(context.store().categorizations.insert(row))).toEqual(row);
      expect(await expectOk(context.store().categorizations.get(scope, row.id))).toEqual(row);
    });

    it('keeps confidence at both ends of 0..1', async () => {
      const tenant = await withSession();
      const [zero, one] = await insertRows(tenant, [{ confidence: 0 }, { confidence: 1 }]);
      expect(
        (await expectOk(context.store().categorizations.get(tenant.scope, zero!.id))).confidence,
      ).toBe(0);
      expect(
        (await expectOk(context.store().categorizations.get(tenant.scope, one!.id))).confidence,
      ).toBe(1);
    });

    it('refuses a row whose session does not exist (NOT_FOUND) and stores nothing', async () => {
      const { orgId, productId, scope } = makeTenant();
      const row = makeCategorization({ orgId, productId, sessionId: 'session-missing' });

      await expectErrorCode(context.store().categorizations.insert(row), 'NOT_FOUND');
      await expectErrorCode(context.store().categorizations.get(scope, row.id), 'NOT_FOUND');
    });

    it('refuses a row whose session belongs to another org (NOT_FOUND) and stores nothing', async () => {
      const owner = await withSession();
      const intruder = makeTenant();
      const row = makeCategorization({
        orgId: intruder.orgId,
        productId: owner.productId,
        sessionId: owner.session.id,
      });

      await expectErrorCode(context.store().categorizations.insert(row), 'NOT_FOUND');
      await expectErrorCode(
        context.store().categorizations.get(intruder.scope, row.id),
        'NOT_FOUND',
      );
      expect(
        await expectOk(
          context.store().categorizations.listBySession(owner.scope, owner.session.id),
        ),
      ).toEqual([]);
      expect(
        (await expectOk(context.store().categorizationSessions.get(owner.scope, owner.session.id)))
          .counts.total,
      ).toBe(0);
    });

    it('refuses a second row with an existing id (CONFLICT)', async () => {
      const tenant = await withSession();
      const [row] = await insertRows(tenant, [{ filename: 'first.mp4' }]);
      await expectErrorCode(
        context.store().categorizations.insert({ ...row!, filename: 'second.mp4' }),
        'CONFLICT',
      );
      expect(
        (await expectOk(context.store().categorizations.get(tenant.scope, row!.id))).filename,
      ).toBe('first.mp4');
    });

    it('answers NOT_FOUND for an unknown id', async () => {
      const { scope } = makeTenant();
      await expectErrorCode(
        context.store().categorizations.get(scope, 'categorization-missing'),
        'NOT_FOUND',
      );
    });

    it('lists a session’s rows by createdAt, then filename', async () => {
      const tenant = await withSession();
      await insertRows(tenant, [
        { filename: 'c.mp4', createdAt: timestamp(2) },
        { filename: 'b.mp4', createdAt: timestamp(1) },
        { filename: 'a.mp4', createdAt: timestamp(2) },
        { filename: 'z.mp4', createdAt: timestamp(0) },
      ]);

      const listed = await expectOk(
        context.store().categorizations.listBySession(tenant.scope, tenant.session.id),
      );
      expect(listed.map((row) => row.filename)).toEqual(['z.mp4', 'b.mp4', 'a.mp4', 'c.mp4']);
    });

    it('lists only the rows of the given session', async () => {
      const first = await withSession();
      const second = await withSession(first);
      const rows = await insertRows(first, [{ filename: 'mine.mp4' }]);
      await insertRows(second, [{ filename: 'theirs.mp4' }]);

      expect(
        await expectOk(
          context.store().categorizations.listBySession(first.scope, first.session.id),
        ),
      ).toEqual(rows);
    });

    it('lists nothing for an unknown session', async () => {
      const { scope } = makeTenant();
      expect(
        await expectOk(context.store().categorizations.listBySession(scope, 'session-missing')),
      ).toEqual([]);
    });

    it('moves a row through the stages, keeping fields the patches leave out', async () => {
      const tenant = await withSession();
      const { scope, orgId, productId } = tenant;
      const bucket = makeBucket({ orgId, productId, name: 'Hooks' });
      await expectOk(context.store().buckets.insert(bucket));
      const [row] = await insertRows(tenant, [{ filename: 'clip.mp4' }]);

      const analyzed = await expectOk(
        context.store().categorizations.update(scope, row!.id, {
          status: 'analyzed',
          summary: 'A summary',
          transcript: 'Words',
          analysis: { topics: ['a'], nested: { list: [1, 2.5, 'three', null, true] } },
          updatedAt: timestamp(10),
        }),
      );
      const afterAnalysis = {
        ...row!,
        status: 'analyzed' as const,
        summary: 'A summary',
        transcript: 'Words',
        analysis: { topics: ['a'], nested: { list: [1, 2.5, 'three', null, true] } },
        updatedAt: timestamp(10),
      };
      expect(analyzed).toEqual(afterAnalysis);

      await expectOk(
        context.store().categorizations.update(scope, row!.id, {
          status: 'categorized',
          bucketId: bucket.id,
          bucketName: 'Hooks',
          confidence: 0.42,
          reasoning: 'Opens with a question',
          updatedAt: timestamp(20),
        }),
      );
      expect(await expectOk(context.store().categorizations.get(scope, row!.id))).toEqual({
        ...afterAnalysis,
        status: 'categorized',
        bucketId: bucket.id,
        bucketName: 'Hooks',
        confidence: 0.42,
        reasoning: 'Opens with a question',
        updatedAt: timestamp(20),
      });
    });

    it('records an error stage with its message, and clears fields set to null', async () => {
      const tenant = await withSession();
      const video = makeVideo({ orgId: tenant.orgId });
      await expectOk(context.store().videos.insert(video));
      const [row] = await insertRows(tenant, [
        { videoId: video.id, summary: 'old', analysis: { a: 1 } },
      ]);

      await expectOk(
        context.store().categorizations.update(tenant.scope, row!.id, {
          status: 'error',
          errorMessage: 'Unsupported file type: .gif',
          videoId: null,
          summary: null,
          analysis: null,
          updatedAt: timestamp(3),
        }),
      );
      expect(await expectOk(context.store().categorizations.get(tenant.scope, row!.id))).toEqual({
        ...row!,
        status: 'error',
        errorMessage: 'Unsupported file type: .gif',
        videoId: null,
        summary: null,
        analysis: null,
        updatedAt: timestamp(3),
      });
    });

    it('answers NOT_FOUND when updating an unknown row', async () => {
      const { scope } = makeTenant();
      await expectErrorCode(
        context.store().categorizations.update(scope, 'categorization-missing', {
          status: 'error',
          updatedAt: timestamp(1),
        }),
        'NOT_FOUND',
      );
    });
  });

  describe('categorizations: uploaded flag', () => {
    it('marks rows uploaded, returns how many, sets updatedAt and leaves other rows alone', async () => {
      const tenant = await withSession();
      const [first, second, untouched] = await insertRows(tenant, [{}, {}, {}]);

      const changed = await expectOk(
        context
          .store()
          .categorizations.setUploaded(tenant.scope, [first!.id, second!.id], true, timestamp(99)),
      );

      expect(changed).toBe(2);
      const rows = await expectOk(
        context.store().categorizations.listBySession(tenant.scope, tenant.session.id),
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      expect(byId.get(first!.id)).toEqual({
        ...first!,
        isUploaded: true,
        updatedAt: timestamp(99),
      });
      expect(byId.get(second!.id)).toEqual({
        ...second!,
        isUploaded: true,
        updatedAt: timestamp(99),
      });
      expect(byId.get(untouched!.id)).toEqual(untouched);
    });

    it('unmarks rows with uploaded = false', async () => {
      const tenant = await withSession();
      const [row] = await insertRows(tenant, [{ isUploaded: true }]);

      expect(
        await expectOk(
          context.store().categorizations.setUploaded(tenant.scope, [row!.id], false, timestamp(7)),
        ),
      ).toBe(1);
      expect(await expectOk(context.store().categorizations.get(tenant.scope, row!.id))).toEqual({
        ...row!,
        isUploaded: false,
        updatedAt: timestamp(7),
      });
    });

    it('writes nothing and returns 0 for an empty list of ids', async () => {
      const tenant = await withSession();
      const rows = await insertRows(tenant, [
        { filename: 'a.mp4' },
        { filename: 'b.mp4', isUploaded: true },
      ]);

      expect(
        await expectOk(
          context.store().categorizations.setUploaded(tenant.scope, [], true, timestamp(50)),
        ),
      ).toBe(0);
      expect(
        await expectOk(
          context.store().categorizations.listBySession(tenant.scope, tenant.session.id),
        ),
      ).toEqual(rows);
    });

    it('counts every matched row once, ignoring unknown and repeated ids', async () => {
      const tenant = await withSession();
      const [first, second] = await insertRows(tenant, [{}, { isUploaded: true }]);

      const changed = await expectOk(
        context
          .store()
          .categorizations.setUploaded(
            tenant.scope,
            [first!.id, 'categorization-missing', first!.id, second!.id],
            true,
            timestamp(8),
          ),
      );
      // A row already uploaded still counts: it matched and its updatedAt was written.
      expect(changed).toBe(2);
    });

    it('lists a product’s uploaded rows by bucket name, then filename', async () => {
      const tenant = await withSession();
      const otherSession = await withSession(tenant);
      await insertRows(tenant, [
        { bucketName: 'Beta', filename: 'b.mp4', isUploaded: true },
        { bucketName: 'Alpha', filename: 'z.mp4', isUploaded: true },
        { bucketName: 'Beta', filename: 'a.mp4', isUploaded: true },
        { bucketName: 'Alpha', filename: 'not-uploaded.mp4', isUploaded: false },
      ]);
      await insertRows(otherSession, [
        { bucketName: 'Alpha', filename: 'm.mp4', isUploaded: true },
      ]);
      const otherProduct = await withSession({ ...tenant, productId: `${tenant.productId}-2` });
      await insertRows(otherProduct, [
        { bucketName: 'Alpha', filename: 'other-product.mp4', isUploaded: true },
      ]);

      const listed = await expectOk(
        context.store().categorizations.listUploaded(tenant.scope, { productId: tenant.productId }),
      );
      expect(listed.map((row) => [row.bucketName, row.filename])).toEqual([
        ['Alpha', 'm.mp4'],
        ['Alpha', 'z.mp4'],
        ['Beta', 'a.mp4'],
        ['Beta', 'b.mp4'],
      ]);
      expect(listed.every((row) => row.isUploaded)).toBe(true);
    });

    it('lists uploaded rows after setUploaded and drops them after unmarking', async () => {
      const tenant = await withSession();
      const [row] = await insertRows(tenant, [{ bucketName: 'Alpha' }]);
      const list = () =>
        expectOk(
          context
            .store()
            .categorizations.listUploaded(tenant.scope, { productId: tenant.productId }),
        );

      expect(await list()).toEqual([]);
      await expectOk(
        context.store().categorizations.setUploaded(tenant.scope, [row!.id], true, timestamp(1)),
      );
      expect((await list()).map((each) => each.id)).toEqual([row!.id]);
      await expectOk(
        context.store().categorizations.setUploaded(tenant.scope, [row!.id], false, timestamp(2)),
      );
      expect(await list()).toEqual([]);
    });
  });
}
