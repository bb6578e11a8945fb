import { sql } from 'kysely';
import type { SqlMigration } from './sql-migrations';

/**
 * Migration 4 of both dialects (written once with the query builder, which puts PostgreSQL's
 * tables in their schema): one video per content in an org (issue 10). `content_sha256`
 * carries the SHA-256 of the org's canonical video with that content and is unique per org,
 * so of N concurrent registrations of one file the database lets exactly one insert.
 * Databases from before may already hold several videos with one content (the race this
 * closes): the oldest becomes canonical, the others keep their history (uploads, rows) with a
 * null key, which a unique index never compares, so nothing is lost or rewritten.
 */
export const videoContentKeyMigration: SqlMigration = {
  version: 4,
  name: 'video-content-key',
  async up(db) {
    await db.schema.alterTable('videos').addColumn('content_sha256', 'text').execute();
    await db
      .updateTable('videos')
      .set({ content_sha256: sql<string>`sha256` })
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('videos as older')
              .select(sql<number>`1`.as('one'))
              .whereRef('older.org_id', '=', 'videos.org_id')
              .whereRef('older.sha256', '=', 'videos.sha256')
              .where((eb) =>
                eb.or([
                  eb('older.created_at', '<', eb.ref('videos.created_at')),
                  eb.and([
                    eb('older.created_at', '=', eb.ref('videos.created_at')),
                    eb('older.id', '<', eb.ref('videos.id')),
                  ]),
                ]),
              ),
          ),
        ),
      )
      .execute();
    await db.schema
      .createIndex('videos_org_content_sha256')
      .unique()
      .on('videos')
      .columns(['org_id', 'content_sha256'])
      .execute();
  },
};
