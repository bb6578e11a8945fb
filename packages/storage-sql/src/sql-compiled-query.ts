import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { SqlDatabase } from './sql-schema';

const MARK = '\u0000vbuckets-parameter:';

/** A named value in a query built once: it stands for the value given at each run. */
export type QueryParameter = (name: string) => string;

/**
 * A query built and compiled on its first run and only re-bound after: Kysely builds an
 * immutable tree and compiles it on every call, which costs a short read (a bucket list) about
 * as much as SQLite takes to run it. `build` names the values that change with
 * `parameter(name)`; everything else must be fixed, since the SQL text is kept. The store's
 * connections share their plugins (the schema of PostgreSQL), so one text serves all of them.
 */
export function compiledOnce<Row, Values extends Record<string, unknown>>(
  build: (db: Kysely<SqlDatabase>, parameter: QueryParameter) => Compilable<Row>,
): (db: Kysely<SqlDatabase>, values: Values) => Promise<Row[]> {
  let template: { compiled: CompiledQuery<Row>; names: (string | undefined)[] } | undefined;
  return async (db, values) => {
    if (template === undefined) {
      const compiled = build(db, (name) => `${MARK}${name}`).compile();
      const names = compiled.parameters.map((value) =>
        typeof value === 'string' && value.startsWith(MARK) ? value.slice(MARK.length) : undefined,
      );
      template = { compiled, names };
    }
    const { compiled, names } = template;
    const parameters = compiled.parameters.map((value, index) => {
      const name = names[index];
      return name === undefined ? value : values[name];
    });
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
