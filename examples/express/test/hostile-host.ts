import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJwtActorResolver, createVBuckets, type VBuckets } from '@vbuckets/core';
import { nodeSha256 } from '@vbuckets/core/node';
import { createLocalBlobStore } from '@vbuckets/fs';
import { createPostgresStore } from '@vbuckets/storage-postgres';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp } from '../src/app';
import { AUDIENCE, ISSUER, SECRET, type StoreKind } from './host';

/** The parts of better-sqlite3 the snapshot uses (the package is storage-sqlite's, not the host's). */
interface ReadOnlyDatabase {
  prepare(sql: string): {
    all(): Record<string, unknown>[];
    raw(toggle: boolean): { all(): unknown[][] };
  };
  close(): void;
}
type DatabaseConstructor = new (
  path: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => ReadOnlyDatabase;

const sqliteDriver = createRequire(
  fileURLToPath(new URL('../../../packages/storage-sqlite/package.json', import.meta.url)),
)('better-sqlite3') as DatabaseConstructor;

/** The hostile host has the development token route too, so the pass attacks it. */
export const HOSTILE_DEV_TOKENS = async () => 'a-development-token';

/** Every table's row count and a hash of its rows, plus the blob folder's listing: equal snapshots, nothing written. */
export type StoreSnapshot = Record<string, string>;

/** A host over real HTTP whose store can be snapshotted from outside the SDK. */
export interface HostileHost {
  url: string;
  vbuckets: VBuckets;
  dataDir: string;
  snapshot(): Promise<StoreSnapshot>;
  close(): Promise<void>;
}

const hashOf = (rows: unknown) =>
  createHash('sha256')
    .update(
      JSON.stringify(rows, (_key, value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
      ),
    )
    .digest('hex');

/** Every file of the data dir (blobs, spooled uploads) but the database's own. */
function fileListing(root: string): StoreSnapshot {
  const listing: StoreSnapshot = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.startsWith('vbuckets.db')) {
        listing[`file ${relative(root, path)}`] = String(statSync(path).size);
      }
    }
  };
  walk(root);
  return listing;
}

/** Opens the SQLite file read-only, beside the store's own connection. */
function sqliteSnapshot(path: string): StoreSnapshot {
  const database = new sqliteDriver(path, { readonly: true, fileMustExist: true });
  try {
    const tables = database
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all()
      .map((row) => String(row.name));
    const snapshot: StoreSnapshot = {};
    for (const table of tables) {
      const rows = database.prepare(`select * from "${table}"`).raw(true).all();
      const sorted = rows.map((row) => hashOf(row)).sort();
      snapshot[`table ${table}`] = `${rows.length} rows ${hashOf(sorted)}`;
    }
    return snapshot;
  } finally {
    database.close();
  }
}

async function postgresSnapshot(schema: string): Promise<StoreSnapshot> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
      [schema],
    );
    const snapshot: StoreSnapshot = {};
    for (const { table_name: table } of tables.rows) {
      const summary = await client.query<{ count: string; digest: string | null }>(
        `select count(*) as count, md5(string_agg(md5(t::text), '' order by md5(t::text))) as digest
           from "${schema}"."${table}" as t`,
      );
      const row = summary.rows[0];
      snapshot[`table ${table}`] = `${row?.count} rows ${row?.digest ?? 'empty'}`;
    }
    return snapshot;
  } finally {
    await client.end();
  }
}

/** Starts the host on SQLite in a temporary folder or on a fresh PostgreSQL schema (dropped on close). */
export async function startHostileHost(kind: StoreKind): Promise<HostileHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vbuckets-hostile-'));
  const schema = `${inject('postgresSchemaPrefix')}_hostile_${randomBytes(4).toString('hex')}`;
  const databasePath = join(dataDir, 'vbuckets.db');
  const store = (
    kind === 'sqlite'
      ? await createSqliteStore({ path: databasePath })
      : await createPostgresStore({ connectionString: inject('postgresUrl'), schema })
  )._unsafeUnwrap();
  mkdirSync(join(dataDir, 'blobs'));
  const blobs = createLocalBlobStore({ root: join(dataDir, 'blobs') });
  const vbuckets = createVBuckets({ store, blobs, sha256: nodeSha256 })._unsafeUnwrap();
  const auth = createJwtActorResolver({
    secret: SECRET,
    issuer: ISSUER,
    audience: AUDIENCE,
  })._unsafeUnwrap();
  const app = createApp({ vbuckets, auth, blobs, tempDir: dataDir, devTokens: HOSTILE_DEV_TOKENS });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    vbuckets,
    dataDir,
    async snapshot() {
      const tables =
        kind === 'sqlite' ? sqliteSnapshot(databasePath) : await postgresSnapshot(schema);
      return { ...tables, ...fileListing(dataDir) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vbuckets.close();
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: inject('postgresUrl') });
        await client.connect();
        await client.query(`drop schema if exists "${schema}" cascade`).finally(() => client.end());
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A raw HTTP exchange: the path is sent as written (no URL normalisation), the body as given. */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends one request on its own connection; a reset before any answer rejects. */
export function sendRaw(url: string, raw: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: hostname,
      port,
      method: raw.method,
      path: raw.path,
      agent: false,
      headers: {
        ...(raw.body === undefined
          ? {}
          : { 'content-length': String(Buffer.byteLength(raw.body)) }),
        ...raw.headers,
      },
    });
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      // A live stream never ends by itself: its status and type are the answer.
      if (String(response.headers['content-type']).startsWith('text/event-stream')) {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: '' });
        request.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    // The server may answer (413, 415) and close before the whole body is written: that is fine.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    request.end(raw.body);
  });
}
