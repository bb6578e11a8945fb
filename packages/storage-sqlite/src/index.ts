export { initialMigration } from './migrations/0001-initial';
export { sqliteMigrations } from './migrations/index';
export {
  type BetterSqliteDatabase,
  type SqliteStoreDatabaseOptions,
  type SqliteStoreOptions,
  SqliteStoreOptionsSchema,
  type SqliteStorePathOptions,
} from './sqlite-options';
export { createSqliteStore, type SqliteStore } from './sqlite-store';
