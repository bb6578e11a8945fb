import { createPostgresStore } from '@vbuckets/storage-postgres';
import pg from 'pg';
import type { Benchmark } from './harness';
import { type RawStoreBaseline, rowColumns, runStoreWorkload, sampleRow } from './store-workload';

const defaultUrl = 'postgres://postgres@127.0.0.1:5432/test';

/** Raw `pg` prepared statements on a second, identically migrated schema. */
function rawPostgresBaseline(connectionString: string, schema: string): RawStoreBaseline {
  const client = new pg.Client({ connectionString, options: `-c search_path=${schema}` });
  const connected = client.connect();
  const columns = Object.keys(rowColumns(sampleRow(), Boolean));
  const insertRowText = `insert into categorizations (${columns.join(', ')}) values (${columns.map((_, index) => `$${index + 1}`).join(', ')})`;
  return {
    description:
      'raw pg prepared statements on an identically migrated schema, same rows and queries',
    async insertSession(session, rows) {
      await connected;
      await client.query('begin');
      await client.query({
        name: 'insert-session',
        text: 'insert into categorization_sessions (id, org_id, product_id, created_at) values ($1, $2, $3, $4)',
        values: [session.id, session.orgId, session.productId, session.createdAt],
      });
      for (const row of rows) {
        await client.query({
          name: 'insert-row',
          text: insertRowText,
          values: Object.values(rowColumns(row, Boolean)),
        });
      }
      await client.query('commit');
    },
    // Both schemas: VACUUM ANALYZE without a table covers every table of the database. In
    // production autovacuum keeps the visibility map current, which index-only scans (the
    // session tallies' covering index) need; a test server may run with autovacuum off, where
    // the tallies fell back to a sequential scan of the table (105 ms instead of 6 ms).
    async settle() {
      await connected;
      await client.query('vacuum analyze');
    },
    async getRow(orgId, id) {
      return (
        await client.query({
          name: 'get-row',
          text: 'select * from categorizations where org_id = $1 and id = $2',
          values: [orgId, id],
        })
      ).rows[0];
    },
    async listSession(orgId, sessionId) {
      return (
        await client.query({
          name: 'list-session',
          text: 'select * from categorizations where org_id = $1 and session_id = $2 order by created_at, filename collate "C", seq',
          values: [orgId, sessionId],
        })
      ).rows;
    },
    async sessionWithCounts(orgId, sessionId) {
      return (
        await client.query({
          name: 'session-counts',
          text: `select s.*, count(c.id) as total,
                        count(*) filter (where c.status = 'pending') as pending,
                        count(*) filter (where c.status = 'analyzed') as analyzed,
                        count(*) filter (where c.status = 'categorized') as categorized,
                        count(*) filter (where c.status = 'error') as error
                   from categorization_sessions s left join categorizations c on c.session_id = s.id
                  where s.org_id = $1 and s.id = $2 group by s.id`,
          values: [orgId, sessionId],
        })
      ).rows[0];
    },
    async resultsPage(orgId, sessionId, afterId, limit) {
      const cursor = (
        await client.query({
          name: 'results-cursor',
          text: 'select created_at, filename collate "C" as filename, seq from categorizations where org_id = $1 and session_id = $2 and id = $3',
          values: [orgId, sessionId, afterId],
        })
      ).rows[0] as { created_at: unknown; filename: string; seq: unknown };
      return (
        await client.query({
          name: 'results-page',
          text: `select * from categorizations where org_id = $1 and session_id = $2
                    and (created_at, filename collate "C", seq) > ($3, $4 collate "C", $5)
                  order by created_at, filename collate "C", seq limit $6`,
          values: [orgId, sessionId, cursor.created_at, cursor.filename, cursor.seq, limit],
        })
      ).rows;
    },
    async close() {
      await client.end();
    },
  };
}

export const storeThroughputPostgres: Benchmark = {
  name: 'store-throughput-postgres',
  description:
    'PostgreSQL store: insert throughput and get / list-by-session / session-with-counts latency over 100k categorization rows, against raw pg on the same schema',
  async run() {
    const connectionString = process.env.VBUCKETS_BENCH_DATABASE_URL ?? defaultUrl;
    const suffix = `${process.pid}_${Date.now()}`;
    const storeSchema = `vbuckets_bench_store_${suffix}`;
    const baselineSchema = `vbuckets_bench_raw_${suffix}`;
    const admin = new pg.Client({ connectionString });
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(
        `The PostgreSQL benchmark needs a server: set VBUCKETS_BENCH_DATABASE_URL (tried ${connectionString.replace(/\/\/[^@]*@/, '//…@')}): ${String(error)}`,
      );
    }
    try {
      const opened = await createPostgresStore({ connectionString, schema: storeSchema });
      if (opened.isErr()) throw opened.error;
      const migrated = await createPostgresStore({ connectionString, schema: baselineSchema });
      if (migrated.isErr()) throw migrated.error;
      await migrated.value.close();
      const baseline = rawPostgresBaseline(connectionString, baselineSchema);
      try {
        return await runStoreWorkload(opened.value, baseline, { store: 'postgres' });
      } finally {
        await baseline.close();
        await opened.value.close();
      }
    } finally {
      await admin.query(`drop schema if exists ${storeSchema} cascade`);
      await admin.query(`drop schema if exists ${baselineSchema} cascade`);
      await admin.end();
    }
  },
};
