import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildPackagesIfStale,
  expectOk,
  makeBucket,
  makeSession,
  makeTenant,
} from '@vbuckets/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { postgresMigrations } from '../src/index';
import { admin, openStore, postgresUrl, useTestSchemas } from './helpers';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = join(packageDir, '..', '..');
const fixture = (name: string) => join(packageDir, 'test', 'fixtures', name);
const schemaName = useTestSchemas();

/** The children import the built packages: this one and, through it, storage-sql and core. */
const buildIfStale = () =>
  buildPackagesIfStale({
    repositoryRoot,
    target: 'storage-postgres',
    packages: ['core', 'storage-sql', 'storage-postgres'],
  });

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly ready: Promise<void>;
  /** The last JSON line the child printed, once it exits with status 0. */
  readonly outcome: Promise<unknown>;
}

function startChild(script: string, settings: Record<string, unknown>): Child {
  const child = spawn(process.execPath, [fixture(script)], {
    env: { ...process.env, VBUCKETS_CHILD: JSON.stringify(settings) },
  });
  let stdout = '';
  let stderr = '';
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const outcome = new Promise<unknown>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (status !== 0 || !last.startsWith('{')) {
        reject(new Error(`${script} exited with ${status}:\n${stdout}\n${stderr}`));
        return;
      }
      resolve(JSON.parse(last));
    });
  });
  // A child that dies before it is ready must fail the test, not leave it waiting.
  const readyOrDead = Promise.race([ready, outcome.then(() => {})]);
  return { process: child, ready: readyOrDead, outcome };
}

/** Starts the children, waits until every one is ready, then lets them all go at once. */
async function runTogether(children: Child[]): Promise<unknown[]> {
  await Promise.all(children.map((child) => child.ready));
  for (const child of children) child.process.stdin.write('go\n');
  return Promise.all(children.map((child) => child.outcome));
}

beforeAll(buildIfStale, 180_000);

describe('several processes', () => {
  it('migrate a fresh schema exactly once when they all open it at the same moment', async () => {
    const schema = schemaName();
    const count = 8;

    const outcomes = await runTogether(
      Array.from({ length: count }, () =>
        startChild('open-store.mjs', { connectionString: postgresUrl, schema }),
      ),
    );

    expect(outcomes).toEqual(Array(count).fill({ schemaVersion: postgresMigrations.length }));
    expect(
      await admin(`select version, name from "${schema}".vbuckets_migrations order by version`),
    ).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'uploads' },
      { version: 3, name: 'video-visibility' },
      { version: 4, name: 'video-content-key' },
      { version: 5, name: 'categorization-leases' },
      { version: 6, name: 'list-indexes' },
      { version: 7, name: 'market' },
      { version: 8, name: 'generation-tasks' },
      { version: 9, name: 'segments' },
      { version: 10, name: 'jobs' },
    ]);
    expect(await admin('select 1 from pg_tables where schemaname = $1', [schema])).toHaveLength(18);
  }, 60_000);

  it('lose nothing and duplicate nothing when they write the same org at once', async () => {
    const schema = schemaName();
    const store = await openStore(schema);
    const { orgId, productId, scope } = makeTenant();
    const session = makeSession({ orgId, productId });
    const counter = makeBucket({ orgId, productId, name: 'Counter', displayOrder: 0 });
    await expectOk(store.categorizationSessions.insert(session));
    await expectOk(store.buckets.insert(counter));
    const processes = 4;
    const distinct = 100;
    const contended = 20;
    const increments = 25;

    const outcomes = (await runTogether(
      Array.from({ length: processes }, (_, child) =>
        startChild('concurrent-writer.mjs', {
          connectionString: postgresUrl,
          schema,
          orgId,
          productId,
          sessionId: session.id,
          counterId: counter.id,
          child,
          distinct,
          contended,
          increments,
        }),
      ),
    )) as Array<{
      errors: unknown[];
      won: string[];
      conflicts: number;
      bucketIds: string[];
      rowIds: string[];
      missingOnReadBack: number;
    }>;

    expect(outcomes.flatMap((outcome) => outcome.errors)).toEqual([]);
    expect(outcomes.map((outcome) => outcome.missingOnReadBack)).toEqual(Array(processes).fill(0));
    // Each contended name was won by exactly one process; every other attempt was a CONFLICT.
    const wins = outcomes.flatMap((outcome) => outcome.won).sort();
    expect(wins).toEqual(
      Array.from({ length: contended }, (_, index) => `Contended ${index}`).sort(),
    );
    expect(outcomes.reduce((sum, outcome) => sum + outcome.conflicts, 0)).toBe(
      contended * (processes - 1),
    );

    const buckets = await expectOk(store.buckets.list(scope, { productId }));
    const written = outcomes.flatMap((outcome) => outcome.bucketIds);
    expect(buckets).toHaveLength(processes * distinct + contended + 1);
    expect(new Set(buckets.map((bucket) => bucket.id)).size).toBe(buckets.length);
    expect(new Set(buckets.map((bucket) => bucket.name)).size).toBe(buckets.length);
    const storedIds = new Set(buckets.map((bucket) => bucket.id));
    expect(written.filter((id) => !storedIds.has(id))).toEqual([]);

    const rows = await expectOk(store.categorizations.listBySession(scope, session.id));
    const rowIds = outcomes.flatMap((outcome) => outcome.rowIds);
    expect(rows.map((row) => row.id).sort()).toEqual([...rowIds].sort());
    expect((await expectOk(store.categorizationSessions.get(scope, session.id))).counts.total).toBe(
      processes * distinct,
    );
    expect(await expectOk(store.categorizations.listUploaded(scope, { productId }))).toHaveLength(
      (processes * distinct) / 2,
    );

    // No read-modify-write transaction of any process lost another's increment.
    expect((await expectOk(store.buckets.get(scope, counter.id))).displayOrder).toBe(
      processes * increments,
    );
    const duplicates = await admin(
      `select name_key, count(*) from "${schema}".buckets group by org_id, product_id, name_key having count(*) > 1`,
    );
    expect(duplicates).toEqual([]);
    await store.close();
  }, 120_000);
});
