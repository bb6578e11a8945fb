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
    await db.schema
      .alterTable('videos')
      .addColumn('visibility', 'text', (column) => column.notNull().defaultTo('private'))
      .execute();
    await db.schema
      .alterTable('videos')
      .addCheckConstraint('videos_visibility', sql`visibility in ('public', 'private')`)
      .execute();
    await db.schema.alterTable('videos').addColumn('product_category', 'text').execute();
    // listPublic: public videos of one category (or of all), newest first.
    await db.schema
      .createIndex('videos_visibility_category_created')
      .on('videos')
      .columns(['visibility', 'product_category', 'created_at'])
      .execute();
  },
};
