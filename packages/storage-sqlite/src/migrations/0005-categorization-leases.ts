import type { SqlMigration } from '@vbuckets/storage-sql';
import { sql } from 'kysely';

/**
 * Row claims (issue 10): a worker resuming a session claims each pending row with a lease
 * before analysing it, so two processes never both process a row, and a crashed worker's
 * rows become claimable again once its lease expires. Existing rows start unclaimed.
 */
export const categorizationLeasesMigration: SqlMigration = {
  version: 5,
  name: 'categorization-leases',
  async up(db) {
    await sql`alter table categorizations add column lease_owner text`.execute(db);
    await sql`alter table categorizations add column lease_expires_at text`.execute(db);
  },
};
