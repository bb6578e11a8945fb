import { type AddressInfo, createServer, type Server, Socket } from 'node:net';
import { dropTestSchema, testSchemaName } from '@vbuckets/testkit';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import {
  createPostgresStore,
  type PostgresStore,
  type PostgresStoreConnectionStringOptions,
} from '../src/index';

/** The run's server (from the global setup). */
export const postgresUrl: string = inject('postgresUrl');

/**
 * Schema names for this test file: each call gives a new one (not created: the store creates
 * it). Every name handed out is dropped after the file, whether its tests passed or not.
 */
export function useTestSchemas(): () => string {
  const prefix = inject('postgresSchemaPrefix');
  const names: string[] = [];
  afterAll(async () => {
    for (const schema of names) {
      await dropTestSchema({ pg, connectionString: postgresUrl, schema });
    }
  });
  return () => {
    const name = testSchemaName(prefix);
    names.push(name);
    return name;
  };
}

/** Opens a store on the run's server, or fails the test with the error. */
export async function openStore(
  schema: string,
  options: Partial<Omit<PostgresStoreConnectionStringOptions, 'schema' | 'pool'>> = {},
): Promise<PostgresStore> {
  const result = await createPostgresStore({ connectionString: postgresUrl, schema, ...options });
  if (result.isErr()) throw result.error;
  return result.value;
}

/** Runs one statement on a connection of its own, as an administrator would. */
export async function admin<R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({
    connectionString: postgresUrl,
    application_name: 'vbuckets-admin',
  });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The server's sessions with this application_name (pg_stat_activity). */
export async function sessionsOf(
  applicationName: string,
): Promise<Array<{ pid: number; state: string | null }>> {
  return admin<{ pid: number; state: string | null }>(
    'select pid, state from pg_stat_activity where application_name = $1',
    [applicationName],
  );
}

/** A unique application_name, so a test can find its own connections in pg_stat_activity. */
export function uniqueApplicationName(label: string): string {
  return `vbuckets-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A TCP server that accepts connections and never answers: a server that hangs. */
export async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await listen(server, 0);
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return closeServer(server);
    },
  };
}

/**
 * A TCP proxy in front of the run's server that a test can cut: `cut()` destroys every open
 * connection (what a network failure or a server restart looks like to the client) and stops
 * accepting new ones until `restore()`.
 */
export async function startProxy(): Promise<{
  connectionString: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}> {
  const target = new URL(postgresUrl);
  const targetPort = Number(target.port || '5432');
  const sockets = new Set<Socket>();
  const makeServer = () =>
    createServer((client) => {
      const upstream = new Socket();
      sockets.add(client);
      sockets.add(upstream);
      const forget = () => {
        sockets.delete(client);
        sockets.delete(upstream);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', forget);
      upstream.on('error', forget);
      client.on('close', forget);
      upstream.on('close', forget);
      upstream.connect(targetPort, target.hostname, () => {
        client.pipe(upstream);
        upstream.pipe(client);
      });
    });
  let server: Server = makeServer();
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const proxied = new URL(postgresUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  let listening = true;
  const cut = async () => {
    if (listening) {
      listening = false;
      const closing = closeServer(server);
      for (const socket of sockets) socket.destroy();
      await closing;
    }
  };
  return {
    connectionString: proxied.toString(),
    cut,
    async restore() {
      if (!listening) {
        server = makeServer();
        await listen(server, port);
        listening = true;
      }
    },
    close: cut,
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Waits for `condition` to hold, checking every 25 ms, for at most `timeoutMs`. */
export async function eventually(
  condition: () => Promise<boolean>,
  timeoutMs = 2_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
