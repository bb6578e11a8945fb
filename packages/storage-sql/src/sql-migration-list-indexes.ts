import { sql } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlMigration } from './sql-migrations';

/**
 * Migration 6 of both dialects (issue 10): indexes in the exact order of the lists that grow
 * with the table, so a keyset page reads only its rows, and one that covers a session
 * report's grouping, so counts come from the index. Text keys carry the dialect's code-point
 * order (`collate "C"` on PostgreSQL), as the queries do, or the index would not serve them.
 * The old single-column session index is dropped: both new ones start with `session_id`.
 */
export function listIndexesMigration(dialect: SqlDialectAdapter): SqlMigration {
  const text = (expression: string) => dialect.orderableText(sql.raw(`(${expression})`));
  return {
    version: 6,
    name: 'list-indexes',
    async up(db) {
      await db.schema
        .createIndex('categorizations_session_page')
        .on('categorizations')
        .expression(sql`session_id, created_at, ${text('filename')}, seq`)
        .execute();
      await db.schema
        .createIndex('categorizations_session_tally')
        .on('categorizations')
        .columns(['session_id', 'status', 'bucket_name', 'is_uploaded'])
        .execute();
      await db.schema.dropIndex('categorizations_session').execute();
      await db.schema
        .createIndex('categorizations_uploaded_page')
        .on('categorizations')
        .expression(
          sql`org_id, product_id, is_uploaded, ${text("coalesce(bucket_name, '')")}, ${text('filename')}, seq`,
        )
        .execute();
    },
  };
}
