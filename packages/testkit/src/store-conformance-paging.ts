import type { PageRequest, VBucketsError } from '@vbuckets/core';
import type { ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import {
  makeCategorization,
  makeSession,
  makeTenant,
  makeVideo,
  type Tenant,
  timestamp,
  uniqueId,
} from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';

type PagedList<T> = (page?: PageRequest) => ResultAsync<T[], VBucketsError>;

/** Reads a whole list page by page, each page starting after the last id of the one before. */
async function walk<T extends { id: string }>(list: PagedList<T>, limit: number): Promise<T[]> {
  const seen: T[] = [];
  for (;;) {
    const after = seen.at(-1)?.id;
    const page = await expectOk(list({ limit, ...(after === undefined ? {} : { after }) }));
    expect(page.length).toBeLessThanOrEqual(limit);
    seen.push(...page);
    if (page.length < limit) return seen;
  }
}

/** Every keyset-paged list: pages in any size join into the whole list, in its order. */
export function describePagingConformance(context: StoreConformanceContext): void {
  async function sessionOf(tenant: Tenant = makeTenant()) {
    const session = makeSession({ orgId: tenant.orgId, productId: tenant.productId });
    await expectOk(context.store().categorizationSessions.insert(session));
    return { ...tenant, session };
  }

  // Ties on every key but the last: equal timestamps, equal file names, equal bucket names.
  async function rowsWithTies(tenant: Awaited<ReturnType<typeof sessionOf>>, count: number) {
    const rows = Array.from({ length: count }, (_, index) =>
      makeCategorization({
        orgId: tenant.orgId,
        productId: tenant.productId,
        sessionId: tenant.session.id,
        filename: `clip-${index % 4}.mp4`,
        createdAt: timestamp(index % 3),
        updatedAt: timestamp(index % 3),
        status: index % 5 === 0 ? 'error' : 'categorized',
        bucketName: index % 7 === 0 ? null : `Bucket ${index % 3}`,
        isUploaded: index % 2 === 0,
      }),
    );
    await expectOk(context.store().categorizations.insertMany(rows));
    return rows;
  }

  const checkEveryPageSize = async <T extends { id: string }>(list: PagedList<T>) => {
    const whole = await expectOk(list());
    expect(whole.length).toBeGreaterThan(10);
    expect(new Set(whole.map((item) => item.id)).size).toBe(whole.length);
    for (const limit of [1, 3, 7, whole.length, whole.length + 1]) {
      expect((await walk(list, limit)).map((item) => item.id)).toEqual(
        whole.map((item) => item.id),
      );
    }
    return whole;
  };

  const checkRefusals = async <T>(list: PagedList<T>, foreignId: string) => {
    for (const page of [{ limit: -1 }, { limit: 1.5 }, { after: '' }] as PageRequest[]) {
      const error = await expectErrorCode(list(page), 'VALIDATION');
      expect(error.path).toBe(Object.keys(page)[0]);
    }
    // An id that is not an item of this list (unknown, or another list's) cannot be continued.
    for (const after of ['no-such-id', foreignId]) {
      const error = await expectErrorCode(list({ after }), 'VALIDATION');
      expect(error.path).toBe('after');
      expect(error.message).toContain(after);
    }
    expect(await expectOk(list({ limit: 0 }))).toEqual([]);
  };

  describe('keyset paging', () => {
    it('categorizations.listBySession: pages join into the session in file order, ties included', async () => {
      const store = context.store();
      const tenant = await sessionOf();
      await rowsWithTies(tenant, 30);
      const other = await sessionOf(tenant);
      const [foreign] = await rowsWithTies(other, 1);
      const list: PagedList<{ id: string }> = (page) =>
        store.categorizations.listBySession(tenant.scope, tenant.session.id, page);
      const whole = await checkEveryPageSize(list);
      expect(whole).toHaveLength(30);
      await checkRefusals(list, foreign!.id);
    });

    it('categorizations.listUploaded: pages join into the uploaded rows by bucket, then file', async () => {
      const store = context.store();
      const tenant = await sessionOf();
      const rows = await rowsWithTies(tenant, 40);
      const [notUploaded] = rows.filter((row) => !row.isUploaded);
      const list: PagedList<{ id: string; bucketName: string | null }> = (page) =>
        store.categorizations.listUploaded(tenant.scope, { productId: tenant.productId }, page);
      const whole = await checkEveryPageSize(list);
      expect(whole).toHaveLength(20);
      expect(whole[0]!.bucketName).toBeNull();
      await checkRefusals(list, notUploaded!.id);
    });

    it('uploads.list: pages join into the org’s uploads, most recently updated first', async () => {
      const store = context.store();
      const tenant = makeTenant();
      const other = makeTenant();
      for (const [owner, count] of [
        [tenant, 15],
        [other, 1],
      ] as const) {
        for (let index = 0; index < count; index++) {
          const video = makeVideo({ orgId: owner.orgId });
          await expectOk(store.videos.insert(video));
          await expectOk(
            store.uploads.claim(owner.scope, {
              videoId: video.id,
              platform: index % 2 === 0 ? 'youtube' : 'tiktok',
              leaseMs: 60_000,
              duplicateAllowed: false,
              uploadId: uniqueId('upload'),
              attemptId: uniqueId('attempt'),
              owner: 'worker',
              // Pairs share an instant, so the id decides between them.
              now: timestamp(Math.floor(index / 2)),
            }),
          );
        }
      }
      const foreign = await expectOk(store.uploads.list(other.scope));
      const list: PagedList<{ id: string; updatedAt: string }> = (page) =>
        store.uploads.list(tenant.scope, { ...page });
      const whole = await checkEveryPageSize(list);
      expect(whole).toHaveLength(15);
      expect(whole[0]!.updatedAt >= whole.at(-1)!.updatedAt).toBe(true);
      await checkRefusals(list, foreign[0]!.id);
      const youtube: PagedList<{ id: string }> = (page) =>
        store.uploads.list(tenant.scope, { platform: 'youtube', ...page });
      expect((await walk(youtube, 2)).length).toBe(8);
    });

    it('videos.list: pages join into the org’s videos, newest first; offset and after are exclusive', async () => {
      const store = context.store();
      const tenant = makeTenant();
      for (let index = 0; index < 14; index++) {
        await expectOk(
          store.videos.insert(
            makeVideo({ orgId: tenant.orgId, createdAt: timestamp(Math.floor(index / 3)) }),
          ),
        );
      }
      const foreign = makeVideo({ orgId: makeTenant().orgId });
      await expectOk(store.videos.insert(foreign));
      const list: PagedList<{ id: string }> = (page) => store.videos.list(tenant.scope, page);
      const whole = await checkEveryPageSize(list);
      expect(whole).toHaveLength(14);
      await checkRefusals(list, foreign.id);
      expect(
        (await expectOk(store.videos.list(tenant.scope, { offset: 3, limit: 2 }))).map(
          (video) => video.id,
        ),
      ).toEqual(whole.slice(3, 5).map((video) => video.id));
      const both = await expectErrorCode(
        store.videos.list(tenant.scope, { offset: 1, after: whole[0]!.id }),
        'VALIDATION',
      );
      expect(both.path).toBe('offset');
    });
  });

  describe('categorizations.tallyBySession', () => {
    it('counts the rows of the given sessions by status, bucket and uploaded mark', async () => {
      const store = context.store();
      const tenant = await sessionOf();
      const rows = await rowsWithTies(tenant, 40);
      const second = await sessionOf(tenant);
      const secondRows = await rowsWithTies(second, 9);
      const foreign = await sessionOf();
      await rowsWithTies(foreign, 5);
      const tallies = await expectOk(
        store.categorizations.tallyBySession(tenant.scope, [
          tenant.session.id,
          second.session.id,
          foreign.session.id,
          'no-such-session',
        ]),
      );
      const expected = new Map<string, number>();
      for (const row of [...rows, ...secondRows]) {
        const key = JSON.stringify([row.sessionId, row.status, row.bucketName, row.isUploaded]);
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const actual = new Map(
        tallies.map((tally) => [
          JSON.stringify([tally.sessionId, tally.status, tally.bucketName, tally.isUploaded]),
          tally.count,
        ]),
      );
      expect(actual).toEqual(expected);
      expect(await expectOk(store.categorizations.tallyBySession(tenant.scope, []))).toEqual([]);
    });
  });
}
