import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { SqlDatabase } from '../src/index';

/** A statement as the database would have received it. */
export interface RecordedQuery {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * A Kysely database that runs nothing: it records each compiled statement and answers
 * with the rows `answer` gives, so tests can see the SQL a dialect really produces.
 */
export function createRecordingDatabase(
  flavour: 'postgres' | 'sqlite',
  answer: (query: RecordedQuery) => unknown[] = () => [],
): { db: Kysely<SqlDatabase>; queries: RecordedQuery[] } {
  const queries: RecordedQuery[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
      const query = { sql: compiled.sql, parameters: compiled.parameters };
      queries.push(query);
      return { rows: answer(query) as R[], numAffectedRows: 0n };
    },
    // biome-ignore lint/correctness/useYield: streaming is never used by the store
    async *streamQuery() {
      throw new Error('not supported');
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  const dialect: Dialect =
    flavour === 'postgres'
      ? {
          createAdapter: () => new PostgresAdapter(),
          createDriver: () => driver,
          createIntrospector: (db) => new PostgresIntrospector(db),
          createQueryCompiler: () => new PostgresQueryCompiler(),
        }
      : {
          createAdapter: () => new SqliteAdapter(),
          createDriver: () => driver,
          createIntrospector: (db) => new SqliteIntrospector(db),
          createQueryCompiler: () => new SqliteQueryCompiler(),
        };
  return { db: new Kysely<SqlDatabase>({ dialect }), queries };
}
