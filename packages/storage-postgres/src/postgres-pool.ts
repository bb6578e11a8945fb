import os from 'node:os';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { ParsedPostgresStoreOptions, PgPool } from './postgres-options';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_CONNECTIONS = 10;
export const DEFAULT_APPLICATION_NAME = 'vbuckets';

/** The connections a store runs on, as Kysely's PostgresDialect wants them. */
export interface PostgresConnections {
  /** What Kysely checks connections out of. */
  readonly pool: PostgresPool;
  /** `host:port/database`, for messages; never the password. */
  readonly label: string;
  /** Ends an owned pool and waits until every connection is closed; a borrowed pool stays open. */
  end(): Promise<void>;
}

type PgClient = pg.PoolClient;

const ignore = () => {};

/** Where a connection string points, without credentials. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const database = url.pathname.replace(/^\//, '');
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${decodeURIComponent(database)}`;
  } catch {
    return 'the PostgreSQL server';
  }
}

/**
 * The user libpq would connect as when the URL names none: `PGUSER`, then the OS user. pg
 * falls back to `PGUSER` and `USER` but never asks the OS, so where `USER` is unset (services,
 * containers) the server answered "no PostgreSQL user name specified in startup packet".
 */
export function withDefaultUser(
  connectionString: string,
  environment: Record<string, string | undefined> = process.env,
  osUser: () => string = () => os.userInfo().username,
): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return connectionString;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return connectionString;
  if (url.username !== '' || url.searchParams.has('user')) return connectionString;
  let user = environment.PGUSER ?? '';
  if (user === '') {
    try {
      user = osUser();
    } catch {
      // No passwd entry for this uid (some containers): leave it to the server's message.
      return connectionString;
    }
  }
  if (user === '') return connectionString;
  url.username = encodeURIComponent(user);
  return url.toString();
}

/** SQL texts given a statement name, process-wide; past this many, new texts run unnamed. */
export const NAMED_STATEMENTS = 1000;
const statementNames = new Map<string, string>();
/** Texts PostgreSQL refused to run as a named statement (a table altered under a cached plan). */
const unnamedTexts = new Set<string>();

/**
 * The statement name of a SQL text: the same text gets the same name in every store of the
 * process, so two stores borrowing one pool never give one name two texts. Only texts with
 * parameters are named (a statement without any goes as a simple query, which may hold several
 * commands); texts past `NAMED_STATEMENTS` are not.
 */
export function statementNameOf(text: string, parameterCount: number): string | undefined {
  if (parameterCount === 0 || unnamedTexts.has(text)) return undefined;
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < NAMED_STATEMENTS) {
    name = `vbuckets_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/** PostgreSQL's "cached plan must not change result type" (a `select *` whose table changed). */
function isStalePlan(error: unknown): boolean {
  const { code, routine } = (error ?? {}) as { code?: unknown; routine?: unknown };
  return code === '0A000' && routine === 'RevalidateCachedQuery';
}

type ClientQuery = (text: string, values?: unknown[]) => Promise<unknown>;

/**
 * Runs the queries Kysely sends as named statements: pg parses a name once per connection,
 * then only binds and executes it, so PostgreSQL neither parses nor plans a repeated query
 * again (a 20-bucket list: raw pg took 209 µs unnamed and 164 µs named). A text whose cached
 * plan PostgreSQL rejects after its table was altered runs again unnamed, and stays so.
 */
function namingStatements(client: PgClient): void {
  const query = client.query.bind(client) as unknown as ClientQuery;
  const named: ClientQuery = (text, values) => {
    const name =
      typeof text === 'string' && Array.isArray(values)
        ? statementNameOf(text, values.length)
        : undefined;
    if (name === undefined) return query(text, values);
    return (query as unknown as (config: object) => Promise<unknown>)({ name, text, values }).catch(
      (error: unknown) => {
        if (!isStalePlan(error)) throw error;
        unnamedTexts.add(text);
        return query(text, values);
      },
    );
  };
  (client as unknown as { query: ClientQuery }).query = named;
}

/**
 * Kysely's view of a pg pool, with two additions. While the store holds a connection it listens
 * for the connection's `error` event: pg emits one when the server ends a checked-out
 * connection between two queries (`pg_terminate_backend`, a restart); unheard, it would crash
 * the process. The next query on that connection then fails, and the store reports it. And the
 * store's queries run as named statements (`namingStatements`); the client is given back to
 * the pool as it came.
 */
function borrowConnections(pool: PgPool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client: PgClient = await pool.connect();
      client.on('error', ignore);
      const release = client.release;
      const query = client.query;
      namingStatements(client);
      client.release = (error?: Error | boolean) => {
        client.removeListener('error', ignore);
        client.release = release;
        client.query = query;
        release.call(client, error);
      };
      return client as unknown as PostgresPoolClient;
    },
    // Kysely's destroy() ends its pool: the store ends its own pool itself, and never the caller's.
    end: async () => {},
  };
}

function waitUntil(promises: Iterable<Promise<void>>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  return Promise.race([Promise.all(promises).then(() => undefined), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

/** Creates the store's pool from a connection string, or borrows the caller's. */
export function openConnections(options: ParsedPostgresStoreOptions): PostgresConnections {
  if (options.pool !== undefined) {
    const pool = options.pool;
    return {
      pool: borrowConnections(pool),
      label: 'the given pool',
      end: async () => {},
    };
  }
  const connectionString = options.connectionString ?? '';
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: withDefaultUser(connectionString),
    max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: options.applicationName ?? DEFAULT_APPLICATION_NAME,
    // Notices a peer that vanished without closing the socket (a cable pulled, a VM gone).
    keepAlive: true,
  });
  // An idle connection the server ended is dropped by the pool; the next call opens another.
  pool.on('error', ignore);
  // pool.end() resolves before the sockets are closed: close() waits for each connection's end.
  const closing = new Set<Promise<void>>();
  pool.on('connect', (client) => {
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    closing.add(ended);
    void ended.then(() => closing.delete(ended));
  });
  let ending: Promise<void> | undefined;
  return {
    pool: borrowConnections(pool),
    label: describeTarget(connectionString),
    end() {
      ending ??= (async () => {
        await pool.end();
        await waitUntil(closing, connectTimeoutMs);
      })();
      return ending;
    },
  };
}
