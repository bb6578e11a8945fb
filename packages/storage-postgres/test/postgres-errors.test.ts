import {
  expectErrorCode,
  expectOk,
  makeBucket,
  makeCategorization,
  makeSession,
  makeTenant,
  makeVideo,
} from '@vbuckets/testkit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import {
  admin,
  eventually,
  openStore,
  postgresUrl,
  sessionsOf,
  startBlackHole,
  startProxy,
  uniqueApplicationName,
  useTestSchemas,
} from './helpers';

const schemaName = useTestSchemas();

/** A promise the test resolves by hand, to hold a transaction open at a chosen point. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('an unreachable server', () => {
  it('fails the open at once with a retryable STORAGE error when nothing listens', async () => {
    const started = Date.now();

    const result = await createPostgresStore({
      connectionString: 'postgres://vbuckets:secret-password@127.0.0.1:1/test',
      schema: schemaName(),
    });

    // Under the 5 s default connect timeout: refused at once, not timed out.
    expect(Date.now() - started).toBeLessThan(4_500);
    const error = await expectErrorCode(Promise.resolve(result), 'STORAGE');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^Cannot connect to 127\.0\.0\.1:1\/test: /);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('secret-password');
  });

  it('fails the open with a STORAGE error that is not retryable when the database does not exist', async () => {
    const url = new URL(postgresUrl);
    url.pathname = '/vbuckets_no_such_database';

    const error = await expectErrorCode(
      createPostgresStore({ connectionString: url.toString(), schema: schemaName() }),
      'STORAGE',
    );

    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      /^Cannot connect to [^ ]+\/vbuckets_no_such_database: database "vbuckets_no_such_database" does not exist$/,
    );
  });

  it('gives up after connectTimeoutMs when the server accepts and never answers', async () => {
    const blackHole = await startBlackHole();
    const connectTimeoutMs = 1_000;
    const started = Date.now();

    const result = await createPostgresStore({
      connectionString: `postgres://postgres@127.0.0.1:${blackHole.port}/test`,
      schema: schemaName(),
      connectTimeoutMs,
    });

    const elapsed = Date.now() - started;
    await blackHole.close();
    const error = await expectErrorCode(Promise.resolve(result), 'STORAGE');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/cannot connect to 127\.0\.0\.1:\d+\/test: .*timeout/i);
    expect(elapsed).toBeGreaterThanOrEqual(connectTimeoutMs - 50);
    expect(elapsed).toBeLessThan(connectTimeoutMs + 10_000);
  });

  it('fails a call with a retryable STORAGE error while the network is cut, then recovers', async () => {
    const proxy = await startProxy();
    const store = await expectOk(
      createPostgresStore({
        connectionString: proxy.connectionString,
        schema: schemaName(),
        connectTimeoutMs: 1_000,
      }),
    );
    const { orgId, productId, scope } = makeTenant();
    await expectOk(store.buckets.insert(makeBucket({ orgId, productId, name: 'Before' })));

    await proxy.cut();
    const started = Date.now();
    const during = await expectErrorCode(store.buckets.list(scope, { productId }), 'STORAGE');
    const write = await expectErrorCode(
      store.buckets.insert(makeBucket({ orgId, productId, name: 'During' })),
      'STORAGE',
    );
    expect(Date.now() - started).toBeLessThan(1_000 + 10_000);
    expect([during.retryable, write.retryable]).toEqual([true, true]);
    expect(during.message).toMatch(/^The database connection failed/);

    await proxy.restore();
    await expectOk(store.buckets.insert(makeBucket({ orgId, productId, name: 'After' })));
    expect(
      (await expectOk(store.buckets.list(scope, { productId }))).map((bucket) => bucket.name),
    ).toEqual(['After', 'Before']);
    await store.close();
    await proxy.close();
  });
});

describe('a connection the server ends', () => {
  it('fails the running transaction with a retryable STORAGE error and recovers after it', async () => {
    const applicationName = uniqueApplicationName('terminate');
    // The test's own pool, lent to the store (the same connection handling as its own pool), so
    // the test can hear each connection's client side end.
    const pool = new pg.Pool({ connectionString: postgresUrl, application_name: applicationName });
    pool.on('error', () => {});
    const clientEnded = new Map<number, Promise<void>>();
    pool.on('connect', (client) => {
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      clientEnded.set((client as pg.PoolClient & { processID: number }).processID, ended);
    });
    const opened = await createPostgresStore({ pool, schema: schemaName() });
    if (opened.isErr()) throw opened.error;
    const store = opened.value;
    const { orgId, productId, scope } = makeTenant();
    const bucket = makeBucket({ orgId, productId });
    await expectOk(store.buckets.insert(bucket));
    const holding = gate();
    const terminated = gate();

    const transaction = store.transaction((tx) =>
      tx.buckets
        .get(scope, bucket.id)
        .map(async (found) => {
          holding.open();
          await terminated.opened;
          return found;
        })
        .andThen(() => tx.buckets.insert(makeBucket({ orgId, productId, name: 'Lost' }))),
    );
    await holding.opened;
    const [inTransaction] = await admin<{ pid: number }>(
      `select pid from pg_stat_activity where application_name = $1 and state = 'idle in transaction'`,
      [applicationName],
    );
    expect(inTransaction).toBeDefined();
    const ended = clientEnded.get(inTransaction!.pid);
    expect(ended).toBeDefined();
    await admin('select pg_terminate_backend($1)', [inTransaction!.pid]);
    // The client has read the server's notice and the closed socket before the transaction
    // sends more: waiting for that event orders the two steps, whatever the machine's speed.
    await ended;
    terminated.open();

    const error = await expectErrorCode(transaction, 'STORAGE');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^The database connection failed/);

    // The broken connection left the pool: the store goes on with a new one.
    await expectOk(store.buckets.insert(makeBucket({ orgId, productId, name: 'Next' })));
    expect(
      (await expectOk(store.buckets.list(scope, { productId }))).map((each) => each.name),
    ).toEqual([bucket.name, 'Next'].sort());
    await store.close();
    await pool.end();
  });

  it('replaces idle connections the server ended, so the next calls succeed', async () => {
    const applicationName = uniqueApplicationName('idle');
    const store = await openStore(schemaName(), { applicationName });
    const { orgId, productId, scope } = makeTenant();
    await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        expectOk(store.buckets.insert(makeBucket({ orgId, productId, name: `B${index}` }))),
      ),
    );
    const before = await sessionsOf(applicationName);
    expect(before.length).toBeGreaterThan(0);

    await admin(
      'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
      [applicationName],
    );
    // Wait until the server has really ended them: the store must then notice on its own.
    expect(await eventually(async () => (await sessionsOf(applicationName)).length === 0)).toBe(
      true,
    );

    expect(await expectOk(store.buckets.list(scope, { productId }))).toHaveLength(4);
    await expectOk(store.buckets.insert(makeBucket({ orgId, productId, name: 'B4' })));
    const after = await sessionsOf(applicationName);
    expect(after.every((session) => !before.some((old) => old.pid === session.pid))).toBe(true);
    await store.close();
  });
});

describe('a full pool', () => {
  it('fails a call that waited connectTimeoutMs for a connection with a retryable STORAGE error', async () => {
    const store = await openStore(schemaName(), { maxConnections: 1, connectTimeoutMs: 500 });
    const { orgId, productId, scope } = makeTenant();
    const holding = gate();
    const release = gate();
    const transaction = store.transaction((tx) =>
      tx.buckets.list(scope, { productId }).map(async (buckets) => {
        holding.open();
        await release.opened;
        return buckets;
      }),
    );
    await holding.opened;
    const started = Date.now();

    const error = await expectErrorCode(
      store.buckets.insert(makeBucket({ orgId, productId })),
      'STORAGE',
    );

    expect(Date.now() - started).toBeLessThan(500 + 10_000);
    expect(error.retryable).toBe(true);
    release.open();
    await expectOk(transaction);
    await expectOk(store.buckets.insert(makeBucket({ orgId, productId })));
    await store.close();
  });
});

describe('constraint violations', () => {
  it('gives the codes the SQLite store gives, with plain messages, the adapter in a field, and no SQL', async () => {
    const store = await openStore(schemaName());
    const { orgId, productId } = makeTenant();
    const bucket = makeBucket({ orgId, productId, name: 'Taken' });
    await expectOk(store.buckets.insert(bucket));
    const session = makeSession({ orgId, productId });
    await expectOk(store.categorizationSessions.insert(session));
    const row = makeCategorization({ orgId, productId, sessionId: session.id });
    await expectOk(store.categorizations.insert(row));
    const video = makeVideo({ orgId });
    await expectOk(store.videos.insert(video));

    const errors = [
      await expectErrorCode(
        store.buckets.insert(makeBucket({ orgId, productId, name: ' TAKEN ' })),
        'CONFLICT',
      ),
      await expectErrorCode(
        store.buckets.insert(makeBucket({ orgId, productId, id: bucket.id, name: 'Other' })),
        'CONFLICT',
      ),
      await expectErrorCode(store.categorizations.insert({ ...row }), 'CONFLICT'),
      await expectErrorCode(store.videos.insert({ ...video }), 'CONFLICT'),
      await expectErrorCode(store.categorizationSessions.insert({ ...session }), 'CONFLICT'),
      await expectErrorCode(
        store.categorizations.insert(
          makeCategorization({ orgId, productId, sessionId: 'no-such-session' }),
        ),
        'NOT_FOUND',
      ),
    ];

    for (const error of errors) {
      expect(error.message).not.toMatch(/^\[/);
      expect(error.adapter).toBe('postgres');
      expect(error.operation).toMatch(/^[a-zA-Z]+\.[a-zA-Z]+$/);
      expect(error.message).not.toMatch(/insert into|violates|constraint/i);
      expect(error.retryable).toBe(false);
    }
    expect(errors[0]?.details?.driverCode).toBe('23505');
    await store.close();
  });
});

describe('NUL characters, which PostgreSQL text cannot hold', () => {
  it('refuses them in text and in JSON with a VALIDATION error', async () => {
    const store = await openStore(schemaName());
    const { orgId, productId, scope } = makeTenant();
    const session = makeSession({ orgId, productId });
    await expectOk(store.categorizationSessions.insert(session));

    const inText = await expectErrorCode(
      store.buckets.insert(makeBucket({ orgId, productId, name: 'nul\u0000inside' })),
      'VALIDATION',
    );
    await expectErrorCode(
      store.buckets.insert(makeBucket({ orgId, productId, painPoints: ['\u0000'] })),
      'VALIDATION',
    );
    await expectErrorCode(
      store.categorizations.insert(
        makeCategorization({
          orgId,
          productId,
          sessionId: session.id,
          analysis: { 'key\u0000': 'value' },
        }),
      ),
      'VALIDATION',
    );
    await expectErrorCode(store.videos.get(scope, 'id\u0000'), 'VALIDATION');

    expect(inText.message).toBe(
      'A text or JSON value holds a character the database cannot store (NUL, \\u0000)',
    );
    expect(inText.retryable).toBe(false);
    expect(await expectOk(store.buckets.list(scope, { productId }))).toEqual([]);
    await store.close();
  });

  it('leaves a transaction usable after a refused write', async () => {
    const store = await openStore(schemaName());
    const { orgId, productId, scope } = makeTenant();
    const kept = makeBucket({ orgId, productId, name: 'Kept' });

    const result = await store.transaction((tx) =>
      tx.buckets
        .insert(makeBucket({ orgId, productId, name: '\u0000' }))
        .orElse((error) =>
          error.code === 'VALIDATION' ? tx.buckets.insert(kept) : tx.buckets.get(scope, 'x'),
        ),
    );

    expect(await expectOk(Promise.resolve(result))).toEqual(kept);
    expect(await expectOk(store.buckets.list(scope, { productId }))).toEqual([kept]);
    await store.close();
  });
});

describe('close', () => {
  it('closes every connection of its pool, and refuses calls afterwards', async () => {
    const applicationName = uniqueApplicationName('close');
    const store = await openStore(schemaName(), { applicationName });
    const { orgId, productId, scope } = makeTenant();
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        expectOk(store.buckets.insert(makeBucket({ orgId, productId, name: `B${index}` }))),
      ),
    );
    expect((await sessionsOf(applicationName)).length).toBeGreaterThan(1);

    await store.close();

    expect(await sessionsOf(applicationName)).toEqual([]);
    await store.close();
    const error = await expectErrorCode(store.buckets.list(scope), 'STORAGE');
    expect(error.message).toBe('The store is closed');
  });

  it('waits for calls under way before it ends the pool', async () => {
    const applicationName = uniqueApplicationName('drain');
    const schema = schemaName();
    const store = await openStore(schema, { applicationName });
    const { orgId, productId, scope } = makeTenant();
    const writes = Array.from({ length: 20 }, (_, index) =>
      store.buckets.insert(makeBucket({ orgId, productId, name: `B${index}` })),
    );

    await store.close();

    const settled = await Promise.all(writes);
    expect(settled.filter((result) => result.isErr())).toEqual([]);
    expect(await sessionsOf(applicationName)).toEqual([]);
    const reopened = await openStore(schema);
    expect(await expectOk(reopened.buckets.list(scope, { productId }))).toHaveLength(20);
    await reopened.close();
  });
});
