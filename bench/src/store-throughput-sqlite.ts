import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import Database from 'better-sqlite3';
import type { Benchmark } from './harness';
import { type RawStoreBaseline, rowColumns, runStoreWorkload, sampleRow } from './store-workload';

/** Raw better-sqlite3 prepared statements on a second, identically migrated file. */
function rawSqliteBaseline(path: string): RawStoreBaseline {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const columns = Object.keys(rowColumns(sampleRow(), Number));
  const insertRow = raw.prepare(
    `insert into categorizations (${columns.join(', ')}) values (${columns.map((column) => `@${column}`).join(', ')})`,
  );
  const insertSession = raw.prepare(
    'insert into categorization_sessions (id, org_id, product_id, created_at) values (?, ?, ?, ?)',
  );
  const getRow = raw.prepare('select * from categorizations where org_id = ? and id = ?');
  const listRows = raw.prepare(
    'select * from categorizations where org_id = ? and session_id = ? order by created_at, filename, seq',
  );
  const sessionCounts = raw.prepare(
    `select s.*, count(c.id) as total, sum(c.status = 'pending') as pending, sum(c.status = 'analyzed') as analyzed,
            sum(c.status = 'categorized') as categorized, sum(c.status = 'error') as error
       from categorization_sessions s left join categorizations c on c.session_id = s.id
      where s.org_id = ? and s.id = ? group by s.id`,
  );
  const resultsCursor = raw.prepare(
    'select created_at, filename, seq from categorizations where org_id = ? and session_id = ? and id = ?',
  );
  const resultsPage = raw.prepare(
    `select * from categorizations where org_id = ? and session_id = ?
        and (created_at, filename, seq) > (?, ?, ?)
      order by created_at, filename, seq limit ?`,
  );
  const parse = (row: Record<string, unknown>) => ({
    ...row,
    analysis: JSON.parse(String(row.analysis)),
  });
  return {
    description:
      'raw better-sqlite3 prepared statements on an identically migrated file, same rows and queries',
    async insertSession(session, rows) {
      raw.transaction(() => {
        insertSession.run(session.id, session.orgId, session.productId, session.createdAt);
        for (const row of rows) insertRow.run(rowColumns(row, Number));
      })();
    },
    async getRow(orgId, id) {
      return parse(getRow.get(orgId, id) as Record<string, unknown>);
    },
    async listSession(orgId, sessionId) {
      return (listRows.all(orgId, sessionId) as Record<string, unknown>[]).map(parse);
    },
    async sessionWithCounts(orgId, sessionId) {
      return sessionCounts.get(orgId, sessionId);
    },
    async resultsPage(orgId, sessionId, afterId, limit) {
      const cursor = resultsCursor.get(orgId, sessionId, afterId) as {
        created_at: string;
        filename: string;
        seq: number;
      };
      return (
        resultsPage.all(
          orgId,
          sessionId,
          cursor.created_at,
          cursor.filename,
          cursor.seq,
          limit,
        ) as Record<string, unknown>[]
      ).map(parse);
    },
    async close() {
      raw.close();
    },
  };
}

export const storeThroughputSqlite: Benchmark = {
  name: 'store-throughput-sqlite',
  description:
    'SQLite store: insert throughput and get / list-by-session / session-with-counts latency over 100k categorization rows, against raw better-sqlite3 on the same schema',
  async run() {
    const directory = mkdtempSync(join(tmpdir(), 'vbuckets-bench-'));
    try {
      const opened = await createSqliteStore({ path: join(directory, 'store.db') });
      if (opened.isErr()) throw opened.error;
      const migrated = await createSqliteStore({ path: join(directory, 'baseline.db') });
      if (migrated.isErr()) throw migrated.error;
      await migrated.value.close();
      const baseline = rawSqliteBaseline(join(directory, 'baseline.db'));
      try {
        return await runStoreWorkload(opened.value, baseline, { store: 'sqlite' });
      } finally {
        await baseline.close();
        await opened.value.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
