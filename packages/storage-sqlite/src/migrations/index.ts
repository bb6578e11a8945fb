import type { SqlMigration } from '@vbuckets/storage-sql';
import { initialMigration } from './0001-initial';
import { uploadsMigration } from './0002-uploads';
import { videoVisibilityMigration } from './0003-video-visibility';
import { categorizationLeasesMigration } from './0005-categorization-leases';

/** Every SQLite migration, in version order. Append; never edit one that has shipped. */
export const sqliteMigrations: readonly SqlMigration[] = [
  initialMigration,
  uploadsMigration,
  videoVisibilityMigration,
  // MERGE: stands in for the 0004 migration another branch of issue 10 adds (versions must be
  // contiguous); replace this line with that migration when merging, never ship it.
  { version: 4, name: 'reserved-for-0004', up: async () => {} },
  categorizationLeasesMigration,
];
