import type { Scope, VBucketsError } from '@vbuckets/core';
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

// A secret that only the owning org may see; an error must not carry it to another org.
const SECRET = 'Secret launch plan 7f3a';

function expectNoLeak(error: VBucketsError): void {
  expect(JSON.stringify(error.toJSON())).not.toContain(SECRET);
  expect(error.message).not.toContain(SECRET);
}

/** The intruder's scopes: plain, and with allOrgs, which only some list methods honour. */
function intruderScopes(): Array<[string, Scope]> {
  const { orgId } = makeTenant();
  return [
    ['another org', { orgId }],
    ['another org with allOrgs', { orgId, allOrgs: true }],
  ];
}

export function describeScopingConformance(context: StoreConformanceContext): void {
  /** An org with a bucket, a video, a session and an uploaded categorization, all carrying SECRET. */
  async function seedOwner() {
    const tenant = makeTenant();
    const { orgId, productId } = tenant;
    const bucket = makeBucket({ orgId, productId, name: SECRET, bestFor: SECRET });
    const video = makeVideo({ orgId, title: SECRET });
    const session = makeSession({ orgId, productId });
    const row = makeCategorization({
      orgId,
      productId,
      sessionId: session.id,
      bucketName: SECRET,
      summary: SECRET,
      isUploaded: true,
    });
    await expectOk(context.store().buckets.insert(bucket));
    await expectOk(context.store().videos.insert(video));
    await expectOk(context.store().categorizationSessions.insert(session));
    await expectOk(context.store().categorizations.insert(row));
    return { ...tenant, bucket, video, session, row };
  }

  describe('org scoping', () => {
    for (const [label, intruder] of intruderScopes()) {
      it(`hides a bucket from ${label}: get, update and delete are NOT_FOUND and change nothing`, async () => {
        const owner = await seedOwner();
        const buckets = context.store().buckets;

        expectNoLeak(await expectErrorCode(buckets.get(intruder, owner.bucket.id), 'NOT_FOUND'));
        expectNoLeak(
          await expectErrorCode(
            buckets.update(intruder, owner.bucket.id, { name: 'Taken', updatedAt: timestamp(9) }),
            'NOT_FOUND',
          ),
        );
        expectNoLeak(await expectErrorCode(buckets.delete(intruder, owner.bucket.id), 'NOT_FOUND'));
        expect(await expectOk(buckets.get(owner.scope, owner.bucket.id))).toEqual(owner.bucket);
      });

      it(`hides a video from ${label}: get, update, delete and findBySha256`, async () => {
        const owner = await seedOwner();
        const videos = context.store().videos;

        expectNoLeak(await expectErrorCode(videos.get(intruder, owner.video.id), 'NOT_FOUND'));
        expectNoLeak(
          await expectErrorCode(
            videos.update(intruder, owner.video.id, { title: 'Taken' }),
            'NOT_FOUND',
          ),
        );
        expectNoLeak(await expectErrorCode(videos.delete(intruder, owner.video.id), 'NOT_FOUND'));
        expect(await expectOk(videos.findBySha256(intruder, owner.video.sha256))).toBeNull();
        expect(await expectOk(videos.get(owner.scope, owner.video.id))).toEqual(owner.video);
      });

      it(`hides a session and its rows from ${label}`, async () => {
        const owner = await seedOwner();
        const store = context.store();

        expectNoLeak(
          await expectErrorCode(
            store.categorizationSessions.get(intruder, owner.session.id),
            'NOT_FOUND',
          ),
        );
        expect(
          await expectOk(
            store.categorizationSessions.listRecent(intruder, { productId: owner.productId }),
          ),
        ).toEqual([]);
        expect(
          await expectOk(store.categorizations.listBySession(intruder, owner.session.id)),
        ).toEqual([]);
        expectNoLeak(
          await expectErrorCode(store.categorizations.get(intruder, owner.row.id), 'NOT_FOUND'),
        );
        expectNoLeak(
          await expectErrorCode(
            store.categorizations.update(intruder, owner.row.id, {
              status: 'error',
              summary: 'Taken',
              updatedAt: timestamp(9),
            }),
            'NOT_FOUND',
          ),
        );
        expect(await expectOk(store.categorizations.get(owner.scope, owner.row.id))).toEqual(
          owner.row,
        );
      });

      it(`ignores ${label} in setUploaded: nothing counted, nothing changed`, async () => {
        const owner = await seedOwner();
        const categorizations = context.store().categorizations;

        expect(
          await expectOk(
            categorizations.setUploaded(intruder, [owner.row.id], false, timestamp(9)),
          ),
        ).toBe(0);
        expect(await expectOk(categorizations.get(owner.scope, owner.row.id))).toEqual(owner.row);
      });
    }

    it('does not list another org’s videos, even with allOrgs', async () => {
      const owner = await seedOwner();
      const { orgId } = makeTenant();
      const own = makeVideo({ orgId });
      await expectOk(context.store().videos.insert(own));

      expect(await expectOk(context.store().videos.list({ orgId }))).toEqual([own]);
      expect(await expectOk(context.store().videos.list({ orgId, allOrgs: true }))).toEqual([own]);
      expect(await expectOk(context.store().videos.list(owner.scope))).toEqual([owner.video]);
    });

    it('lists buckets across orgs only when allOrgs is set', async () => {
      const owner = await seedOwner();
      const other = makeTenant();
      const otherBucket = makeBucket({
        orgId: other.orgId,
        productId: owner.productId,
        name: 'Other',
        displayOrder: 1,
      });
      await expectOk(context.store().buckets.insert(otherBucket));

      expect(
        await expectOk(context.store().buckets.list(other.scope, { productId: owner.productId })),
      ).toEqual([otherBucket]);
      expect(
        await expectOk(
          context
            .store()
            .buckets.list({ ...other.scope, allOrgs: true }, { productId: owner.productId }),
        ),
      ).toEqual([owner.bucket, otherBucket]);
    });

    it('lists buckets of every org and product with allOrgs and no product filter', async () => {
      const owner = await seedOwner();
      const other = makeTenant();
      const otherBucket = makeBucket({
        orgId: other.orgId,
        productId: other.productId,
        name: 'Other',
      });
      await expectOk(context.store().buckets.insert(otherBucket));

      const listed = await expectOk(
        context.store().buckets.list({ ...other.scope, allOrgs: true }),
      );
      const ids = listed.map((bucket) => bucket.id);
      expect(ids).toContain(owner.bucket.id);
      expect(ids).toContain(otherBucket.id);
      expect(await expectOk(context.store().buckets.list(other.scope))).toEqual([otherBucket]);
    });

    it('lists uploaded rows across orgs only when allOrgs is set', async () => {
      const owner = await seedOwner();
      const other = makeTenant();
      const otherSession = makeSession({ orgId: other.orgId, productId: owner.productId });
      const otherRow = makeCategorization({
        orgId: other.orgId,
        productId: owner.productId,
        sessionId: otherSession.id,
        bucketName: 'Zzz',
        isUploaded: true,
      });
      await expectOk(context.store().categorizationSessions.insert(otherSession));
      await expectOk(context.store().categorizations.insert(otherRow));

      const filter = { productId: owner.productId };
      expect(
        await expectOk(context.store().categorizations.listUploaded(other.scope, filter)),
      ).toEqual([otherRow]);
      expect(
        await expectOk(context.store().categorizations.listUploaded(owner.scope, filter)),
      ).toEqual([owner.row]);
      expect(
        await expectOk(
          context.store().categorizations.listUploaded({ ...other.scope, allOrgs: true }, filter),
        ),
      ).toEqual([owner.row, otherRow]);
    });

    it('does not count another org’s sessions or rows in a product’s recent sessions', async () => {
      const owner = await seedOwner();
      const other = makeTenant();
      const otherSession = makeSession({
        orgId: other.orgId,
        productId: owner.productId,
        createdAt: timestamp(100),
      });
      await expectOk(context.store().categorizationSessions.insert(otherSession));

      const listed = await expectOk(
        context
          .store()
          .categorizationSessions.listRecent(owner.scope, { productId: owner.productId }),
      );
      expect(listed).toEqual([
        {
          ...owner.session,
          counts: { total: 1, pending: 1, analyzed: 0, categorized: 0, error: 0 },
        },
      ]);
    });
  });
}
