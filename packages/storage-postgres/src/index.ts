export { initialMigration } from './migrations/0001-initial';
export { postgresMigrations } from './migrations/index';
export {
  type PgPool,
  type PostgresStoreConnectionStringOptions,
  type PostgresStoreOptions,
  PostgresStoreOptionsSchema,
  type PostgresStorePoolOptions,
} from './postgres-options';
export { createPostgresStore, type PostgresStore } from './postgres-store';
