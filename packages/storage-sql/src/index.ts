export { createSqlAuditEventRepository } from './sql-audit-event-repository';
export { createSqlBucketRepository } from './sql-bucket-repository';
export { createSqlCategorizationRepository } from './sql-categorization-repository';
export { createSqlCategorizationSessionRepository } from './sql-categorization-session-repository';
export { createSqlCreativeRepository } from './sql-creative-repository';
export type {
  SqlColumnTypes,
  SqlDialectAdapter,
  SqlDialectName,
  SqlErrorClassification,
  SqlErrorContext,
  SqlErrorKind,
} from './sql-dialect-adapter';
export {
  classifyPostgresError,
  createPostgresDialectAdapter,
  type PostgresDialectAdapterOptions,
} from './sql-dialect-postgres';
export {
  classifySqliteError,
  createSqliteDialectAdapter,
  type SqliteDialectAdapterOptions,
} from './sql-dialect-sqlite';
export { type RetryWhileBusyOptions, retryWhileBusy, toSqlVBucketsError } from './sql-errors';
export type { SqlExecutor } from './sql-executor';
export { createSqlJobRepository } from './sql-job-repository';
export { jobsMigration } from './sql-migration-jobs';
export { listIndexesMigration } from './sql-migration-list-indexes';
export { marketMigration } from './sql-migration-market';
export { segmentsMigration } from './sql-migration-segments';
export { tasksMigration } from './sql-migration-tasks';
export { videoContentKeyMigration } from './sql-migration-video-content-key';
export { applySqlMigrations, type SqlMigration, type SqlMigrationReport } from './sql-migrations';
export { keysetPage, orderKey, type SqlOrderKey } from './sql-page';
export { createSqlPatternRepository } from './sql-pattern-repository';
export type {
  AuditEventsTable,
  BucketsTable,
  CategorizationSessionsTable,
  CategorizationsTable,
  CreativePerformanceKeysTable,
  CreativesTable,
  GenerationTasksTable,
  JobSchedulesTable,
  JobsTable,
  MigrationsTable,
  PatternPerformanceTable,
  SegmentsTable,
  SegmentTagsTable,
  SocialUsageTable,
  SqlBoolean,
  SqlDatabase,
  SqlFloat,
  SqlInteger,
  SqlJson,
  SqlTimestamp,
  ThumbnailsTable,
  UploadAttemptsTable,
  UploadsTable,
  VideosTable,
} from './sql-schema';
export { createSqlSegmentRepository } from './sql-segment-repository';
export { type CreateSqlStoreOptions, createSqlRepositories, createSqlStore } from './sql-store';
export { createSqlGenerationTaskRepository } from './sql-task-repository';
export { createSqlThumbnailRepository } from './sql-thumbnail-repository';
export { createSqlUploadRepository } from './sql-upload-repository';
export { createSqlVideoRepository } from './sql-video-repository';
