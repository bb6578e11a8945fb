import type { SqlMigration } from '@vbuckets/storage-sql';
import {
  createSqliteDialectAdapter,
  jobsMigration,
  listIndexesMigration,
  marketMigration,
  segmentsMigration,
  tasksMigration,
  videoContentKeyMigration,
} from '@vbuckets/storage-sql';
import { initialMigration } from './0001-initial';
import { uploadsMigration } from './0002-uploads';
import { videoVisibilityMigration } from './0003-video-visibility';
import { categorizationLeasesMigration } from './0005-categorization-leases';

/** Every SQLite migration, in version order. Append; never edit one that has shipped. */
export const sqliteMigrations: readonly SqlMigration[] = [
  initialMigration,
  uploadsMigration,
  videoVisibilityMigration,
  videoContentKeyMigration,
  categorizationLeasesMigration,
  listIndexesMigration(createSqliteDialectAdapter()),
  marketMigration(createSqliteDialectAdapter()),
  tasksMigration(createSqliteDialectAdapter()),
  segmentsMigration(createSqliteDialectAdapter()),
  jobsMigration(createSqliteDialectAdapter()),
];
