import { bucketNameKey } from '@vbuckets/core/domain';
import {
  expectErrorCode,
  expectOk,
  makeBucket,
  makeCategorization,
  makeSession,
  makeTenant,
  makeVideo,
  timestamp,
} from '@vbuckets/testkit';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../src/index';
import { openStore } from './helpers';

let database: Database.Database;
let store: SqliteStore;

beforeEach(async () => {
  database = new Database(':memory:');
  store = await openStore({ database });
});

afterEach(async () => {
  await store.close();
  database.close();
});

describe('how rows are stored', () => {
  it('keeps JSON as text, booleans as 0/1, timestamps as ISO text and the name key', async () => {
    const { orgId, productId } = makeTenant();
    const bucket = makeBucket({
      orgId,
      productId,
      name: '  Café\u0301  TIME ',
      painPoints: ['a"b'],
    });
    const session = makeSession({ orgId, productId });
    const row = makeCategorization({
      orgId,
      productId,
      sessionId: session.id,
      analysis: { nested: [1, null] },
      isUploaded: true,
    });
    await expectOk(store.buckets.insert(bucket));
    await expectOk(store.categorizationSessions.insert(session));
    await expectOk(store.categorizations.insert(row));

    expect(database.prepare('select name_key, pain_points, created_at from buckets').get()).toEqual(
      {
        name_key: bucketNameKey(bucket.name),
        pain_points: '["a\\"b"]',
        created_at: bucket.createdAt,
      },
    );
    expect(database.prepare('select analysis, is_uploaded from categorizations').get()).toEqual({
      analysis: '{"nested":[1,null]}',
      is_uploaded: 1,
    });
  });

  it('returns timestamps in one canonical form, so text order is time order', async () => {
    const { orgId, scope } = makeTenant();
    const early = makeVideo({ orgId, createdAt: '2026-01-15T10:00:00Z' });
    const late = makeVideo({ orgId, createdAt: '2026-01-15T10:00:00.500Z' });
    await expectOk(store.videos.insert(late));

    expect((await expectOk(store.videos.insert(early))).createdAt).toBe('2026-01-15T10:00:00.000Z');
    expect((await expectOk(store.videos.list(scope))).map((video) => video.id)).toEqual([
      late.id,
      early.id,
    ]);
  });

  // PostgreSQL text cannot hold NUL; SQLite can, and this store keeps it.
  it('keeps NUL characters in text and JSON', async () => {
    const { orgId, productId, scope } = makeTenant();
    const bucket = makeBucket({
      orgId,
      productId,
      name: 'nul\u0000inside',
      painPoints: ['\u0000'],
    });
    await expectOk(store.buckets.insert(bucket));
    expect(await expectOk(store.buckets.get(scope, bucket.id))).toEqual(bucket);
  });
});

describe('ordering', () => {
  it('orders buckets of equal displayOrder by name ignoring case', async () => {
    const { orgId, productId, scope } = makeTenant();
    for (const name of ['charlie', 'Bravo', 'alpha', 'Delta']) {
      await expectOk(store.buckets.insert(makeBucket({ orgId, productId, name })));
    }
    const names = (await expectOk(store.buckets.list(scope, { productId }))).map((b) => b.name);
    expect(names).toEqual(['alpha', 'Bravo', 'charlie', 'Delta']);
  });

  it('lists uploaded rows without a bucket name first', async () => {
    const { orgId, productId, scope } = makeTenant();
    const session = makeSession({ orgId, productId });
    await expectOk(store.categorizationSessions.insert(session));
    for (const bucketName of ['Beta', null, 'Alpha']) {
      await expectOk(
        store.categorizations.insert(
          makeCategorization({
            orgId,
            productId,
            sessionId: session.id,
            bucketName,
            isUploaded: true,
          }),
        ),
      );
    }
    const listed = await expectOk(store.categorizations.listUploaded(scope, { productId }));
    expect(listed.map((row) => row.bucketName)).toEqual([null, 'Alpha', 'Beta']);
  });

  it('lists a session’s rows that tie on createdAt and filename in insertion order', async () => {
    const { orgId, productId, scope } = makeTenant();
    const session = makeSession({ orgId, productId });
    await expectOk(store.categorizationSessions.insert(session));
    const ids = ['zzz', 'aaa', 'mmm'].map((suffix) => `row-${suffix}`);
    for (const id of ids) {
      await expectOk(
        store.categorizations.insert(
          makeCategorization({ orgId, productId, sessionId: session.id, id }),
        ),
      );
    }
    const listed = await expectOk(store.categorizations.listBySession(scope, session.id));
    expect(listed.map((row) => row.id)).toEqual(ids);
  });
});

describe('paging and batches', () => {
  it('accepts an offset without a limit, and refuses negative paging (VALIDATION)', async () => {
    const { orgId, scope } = makeTenant();
    for (const offset of [0, 1, 2]) {
      await expectOk(store.videos.insert(makeVideo({ orgId, createdAt: timestamp(offset) })));
    }
    expect(await expectOk(store.videos.list(scope, { offset: 1 }))).toHaveLength(2);
    expect(await expectOk(store.videos.list(scope, { limit: 0 }))).toEqual([]);
    await expectErrorCode(store.videos.list(scope, { limit: -1 }), 'VALIDATION');
    await expectErrorCode(
      store.categorizationSessions.listRecent(scope, { productId: 'p', limit: 1.5 }),
      'VALIDATION',
    );
  });

  it('marks more rows than one statement takes, counting each once', async () => {
    const { orgId, productId, scope } = makeTenant();
    const session = makeSession({ orgId, productId });
    await expectOk(store.categorizationSessions.insert(session));
    const ids: string[] = [];
    await expectOk(
      store.transaction((tx) => {
        let chain = tx.categorizations.listBySession(scope, session.id).map(() => 0);
        for (let index = 0; index < 1_200; index += 1) {
          const row = makeCategorization({ orgId, productId, sessionId: session.id });
          ids.push(row.id);
          chain = chain.andThen(() => tx.categorizations.insert(row).map(() => index));
        }
        return chain;
      }),
    );

    const changed = await expectOk(
      store.categorizations.setUploaded(scope, [...ids, ...ids.slice(0, 10)], true, timestamp(1)),
    );

    expect(changed).toBe(1_200);
    expect(await expectOk(store.categorizations.listUploaded(scope, { productId }))).toHaveLength(
      1_200,
    );
  });
});
