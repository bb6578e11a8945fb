import type { SqlMigration } from '@vbuckets/storage-sql';
import { sql } from 'kysely';

/**
 * Video visibility (issue 6): a public video is a market benchmark every org may list, filed
 * under a product category; a private one is a client's own. Videos stored before this
 * migration were all client videos, so the default makes them private.
 */
export const videoVisibilityMigration: SqlMigration = {
  version: 3,
  name: 'video-visibility',
  async up(db) {
    // SQLite checks a new column's CHECK constraint against the rows already stored.
    await sql`
      alter table videos add column visibility text not null default 'private'
        check (visibility in ('public', 'private'))
    `.execute(db);
    await sql`alter table videos add column product_category text`.execute(db);
    // listPublic: public videos of one category (or of all), newest first.
    await sql`
      create index videos_visibility_category_created
        on videos (visibility, product_category, created_at)
    `.execute(db);
  },
};
