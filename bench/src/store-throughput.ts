import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Categorization, Store, VBucketsError } from '@vbuckets/core';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import Database from 'better-sqlite3';
import { okAsync, type ResultAsync } from 'neverthrow';
import { type Benchmark, integerFromEnvironment, measureLatency, round } from './harness';

const orgId = 'bench-org';
const productId = 'bench-product';
const scope = { orgId };

function makeRow(sessionId: string, sessionIndex: number, index: number): Categorization {
  const at = new Date(Date.UTC(2026, 0, 1) + sessionIndex * 60_000 + index).toISOString();
  return {
    id: `c-${sessionIndex}-${index}`,
    orgId,
    productId,
    sessionId,
    videoId: null,
    filename: `video-${String(index).padStart(5, '0')}.mp4`,
    bucketId: null,
    bucketName: index % 3 === 0 ? null : `Bucket ${index % 7}`,
    confidence: (index % 100) / 100,
    reasoning: 'The hook names the pain point in the first three seconds.',
    summary: 'A creator talks about bloating after meals and shows the product.',
    transcript: 'So I used to feel bloated every single afternoon until…',
    analysis: { hook: 'bloating', topics: ['gut', 'digestion'], index },
    status: index % 3 === 0 ? 'analyzed' : 'categorized',
    errorMessage: null,
    isUploaded: index % 10 === 0,
    createdAt: at,
    updatedAt: at,
  };
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The same row as raw SQLite parameters: JSON as text, booleans as 0/1. */
function toSqliteParameters(row: Categorization): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    parameters[snakeCase(key)] =
      typeof value === 'boolean'
        ? Number(value)
        : value !== null && typeof value === 'object'
          ? JSON.stringify(value)
          : value;
  }
  return parameters;
}

async function unwrap<T>(result: ResultAsync<T, Error>): Promise<T> {
  const settled = await result;
  if (settled.isErr()) throw settled.error;
  return settled.value;
}

async function insertThroughStore(
  store: Store,
  sessions: number,
  rowsPerSession: number,
): Promise<number> {
  const started = process.hrtime.bigint();
  for (let sessionIndex = 0; sessionIndex < sessions; sessionIndex++) {
    const sessionId = `s-${sessionIndex}`;
    await unwrap(
      store.transaction((tx) => {
        let chain: ResultAsync<unknown, VBucketsError> = tx.categorizationSessions.insert({
          id: sessionId,
          orgId,
          productId,
          createdAt: new Date(Date.UTC(2026, 0, 1) + sessionIndex * 60_000).toISOString(),
        });
        for (let index = 0; index < rowsPerSession; index++) {
          chain = chain.andThen(() =>
            tx.categorizations.insert(makeRow(sessionId, sessionIndex, index)),
          );
        }
        return chain.andThen(() => okAsync(undefined));
      }),
    );
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export const storeThroughputSqlite: Benchmark = {
  name: 'store-throughput-sqlite',
  description:
    'Insert throughput and query latency of the SQLite store for 100k categorization rows, against raw better-sqlite3 prepared statements on the same schema',
  async run() {
    const sessions = integerFromEnvironment('BENCH_SESSIONS', 100);
    const rowsPerSession = integerFromEnvironment('BENCH_ROWS_PER_SESSION', 1000);
    const queryIterations = integerFromEnvironment('BENCH_QUERY_ITERATIONS', 2000);
    const totalRows = sessions * rowsPerSession;
    const directory = mkdtempSync(join(tmpdir(), 'vbuckets-bench-'));
    try {
      const store = await unwrap(createSqliteStore({ path: join(directory, 'store.db') }));
      const storeSeconds = await insertThroughStore(store, sessions, rowsPerSession);

      // Baseline: a second, identically migrated file written with raw prepared statements.
      const baselineStore = await unwrap(
        createSqliteStore({ path: join(directory, 'baseline.db') }),
      );
      await baselineStore.close();
      const raw = new Database(join(directory, 'baseline.db'));
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      const sample = toSqliteParameters(makeRow('s-0', 0, 0));
      const columns = Object.keys(sample);
      const insertRow = raw.prepare(
        `insert into categorizations (${columns.join(', ')}) values (${columns.map((column) => `@${column}`).join(', ')})`,
      );
      const insertSession = raw.prepare(
        'insert into categorization_sessions (id, org_id, product_id, created_at) values (?, ?, ?, ?)',
      );
      const rawStarted = process.hrtime.bigint();
      for (let sessionIndex = 0; sessionIndex < sessions; sessionIndex++) {
        raw.transaction(() => {
          const sessionId = `s-${sessionIndex}`;
          insertSession.run(
            sessionId,
            orgId,
            productId,
            new Date(Date.UTC(2026, 0, 1) + sessionIndex * 60_000).toISOString(),
          );
          for (let index = 0; index < rowsPerSession; index++) {
            insertRow.run(toSqliteParameters(makeRow(sessionId, sessionIndex, index)));
          }
        })();
      }
      const rawSeconds = Number(process.hrtime.bigint() - rawStarted) / 1e9;

      const pick = (iteration: number) => ({
        sessionId: `s-${(iteration * 7919) % sessions}`,
        rowId: `c-${(iteration * 7919) % sessions}-${(iteration * 104_729) % rowsPerSession}`,
      });
      const listIterations = Math.max(50, Math.floor(queryIterations / 20));
      const storeGet = await measureLatency(queryIterations, (iteration) =>
        unwrap(store.categorizations.get(scope, pick(iteration).rowId)),
      );
      const storeList = await measureLatency(listIterations, (iteration) =>
        unwrap(store.categorizations.listBySession(scope, pick(iteration).sessionId)),
      );
      const storeSession = await measureLatency(queryIterations, (iteration) =>
        unwrap(store.categorizationSessions.get(scope, pick(iteration).sessionId)),
      );
      const getRow = raw.prepare('select * from categorizations where org_id = ? and id = ?');
      const listRows = raw.prepare(
        'select * from categorizations where org_id = ? and session_id = ? order by created_at, filename',
      );
      const sessionCounts = raw.prepare(
        `select s.*, count(c.id) as total, sum(c.status = 'pending') as pending, sum(c.status = 'analyzed') as analyzed,
                sum(c.status = 'categorized') as categorized, sum(c.status = 'error') as error
           from categorization_sessions s left join categorizations c on c.session_id = s.id
          where s.org_id = ? and s.id = ? group by s.id`,
      );
      const parseRow = (row: Record<string, unknown>) => ({
        ...row,
        analysis: JSON.parse(String(row.analysis)),
      });
      const rawGet = await measureLatency(queryIterations, (iteration) =>
        parseRow(getRow.get(orgId, pick(iteration).rowId) as Record<string, unknown>),
      );
      const rawList = await measureLatency(listIterations, (iteration) =>
        (listRows.all(orgId, pick(iteration).sessionId) as Record<string, unknown>[]).map(parseRow),
      );
      const rawSession = await measureLatency(queryIterations, (iteration) =>
        sessionCounts.get(orgId, pick(iteration).sessionId),
      );
      raw.close();
      await store.close();

      const storeRate = totalRows / storeSeconds;
      const rawRate = totalRows / rawSeconds;
      return {
        parameters: { totalRows, sessions, rowsPerSession, queryIterations, listIterations },
        metrics: {
          insertRowsPerSecond: round(storeRate, 0),
          getP50Ms: round(storeGet.p50Ms),
          getP99Ms: round(storeGet.p99Ms),
          listSessionP50Ms: round(storeList.p50Ms),
          listSessionP99Ms: round(storeList.p99Ms),
          sessionWithCountsP50Ms: round(storeSession.p50Ms),
          sessionWithCountsP99Ms: round(storeSession.p99Ms),
        },
        baseline: {
          description:
            'raw better-sqlite3 prepared statements on an identically migrated file, same rows and queries',
          metrics: {
            insertRowsPerSecond: round(rawRate, 0),
            getP50Ms: round(rawGet.p50Ms),
            getP99Ms: round(rawGet.p99Ms),
            listSessionP50Ms: round(rawList.p50Ms),
            listSessionP99Ms: round(rawList.p99Ms),
            sessionWithCountsP50Ms: round(rawSession.p50Ms),
            sessionWithCountsP99Ms: round(rawSession.p99Ms),
          },
        },
        ratios: {
          insertThroughputVsRaw: round(storeRate / rawRate),
          getP50VsRaw: round(storeGet.p50Ms / rawGet.p50Ms),
          listSessionP50VsRaw: round(storeList.p50Ms / rawList.p50Ms),
          sessionWithCountsP50VsRaw: round(storeSession.p50Ms / rawSession.p50Ms),
        },
      };
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
