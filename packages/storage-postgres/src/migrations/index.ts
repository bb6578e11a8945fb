import type { SqlMigration } from '@vbuckets/storage-sql';
import {
  createPostgresDialectAdapter,
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

/** Every PostgreSQL migration, in version order. Append; never edit one that has shipped. */
export const postgresMigrations: readonly SqlMigration[] = [
  initialMigration,
  uploadsMigration,
  videoVisibilityMigration,
  videoContentKeyMigration,
  categorizationLeasesMigration,
  listIndexesMigration(createPostgresDialectAdapter()),
  marketMigration(createPostgresDialectAdapter()),
  tasksMigration(createPostgresDialectAdapter()),
  segmentsMigration(createPostgresDialectAdapter()),
  jobsMigration(createPostgresDialectAdapter()),
];
