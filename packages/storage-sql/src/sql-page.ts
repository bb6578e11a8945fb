import type { PageRequest } from '@vbuckets/core';
import { pageRequestError, unknownAfterError } from '@vbuckets/core/adapter-kit';
import { type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';

/** One key of a list's order: a column or expression that is never NULL, and its direction. */
export interface SqlOrderKey {
  readonly expression: RawBuilder<unknown>;
  readonly descending?: boolean;
}

/** A key on a plain column. */
export const orderKey = (column: string, descending = false): SqlOrderKey => ({
  expression: sql.ref(column),
  descending,
});

/**
 * Orders `list` by `keys` and cuts the page `page` asks for, by keyset: the keys of the row
 * whose id is `page.after` are read from the same list (so an id outside it is refused), and
 * the page is the rows after them. The keys must end with one that is unique in the list
 * (the row's id or sequence), so the order is total and no row is skipped or repeated.
 * Keys all in one direction compare as one row value, `(k1, k2, …) > (v1, v2, …)`, which an
 * index in the list's order turns into a single range (both databases); mixed directions fall
 * back to the expanded form with the first key repeated as a plain range.
 */
export async function keysetPage<DB, TB extends keyof DB, O>(
  list: SelectQueryBuilder<DB, TB, O>,
  options: {
    readonly dialect: SqlDialectAdapter;
    readonly operation: string;
    readonly keys: readonly SqlOrderKey[];
    readonly page: PageRequest | undefined;
    /** The list's id column, which `page.after` names. */
    readonly idColumn?: string;
  },
): Promise<SelectQueryBuilder<DB, TB, O>> {
  const { dialect, operation, keys, page } = options;
  const context = { adapter: dialect.name, operation };
  const invalid = pageRequestError(page, context);
  if (invalid !== undefined) throw invalid;
  let query = list;
  if (page?.after !== undefined) {
    const cursor = (await list
      .clearSelect()
      .select(keys.map((key, index) => key.expression.as(`k${index}`)) as never)
      .where(sql<SqlBool>`${sql.ref(options.idColumn ?? 'id')} = ${page.after}`)
      .executeTakeFirst()) as Record<string, unknown> | undefined;
    if (cursor === undefined) throw unknownAfterError(page.after, context);
    const values = keys.map((_, index) => cursor[`k${index}`]);
    query = query.where(after(keys, values));
  }
  for (const key of keys) {
    query = query.orderBy(key.expression, key.descending === true ? 'desc' : 'asc');
  }
  return page?.limit === undefined ? query : query.limit(page.limit);
}

/** The rows after the cursor's key values, in the order of `keys`. */
function after(keys: readonly SqlOrderKey[], values: readonly unknown[]): RawBuilder<SqlBool> {
  const descending = keys[0]!.descending === true;
  const beyond = (key: SqlOrderKey) => sql.raw(key.descending === true ? '<' : '>');
  if (keys.every((key) => (key.descending === true) === descending)) {
    const columns = sql.join(keys.map((key) => key.expression));
    const bounds = sql.join(values.map((value) => sql`${value}`));
    return sql<SqlBool>`(${columns}) ${beyond(keys[0]!)} (${bounds})`;
  }
  const alternatives = keys.map((key, index) => {
    const equalBefore = keys
      .slice(0, index)
      .map((earlier, position) => sql`${earlier.expression} = ${values[position]}`);
    return sql.join(
      [...equalBefore, sql`${key.expression} ${beyond(key)} ${values[index]}`],
      sql` and `,
    );
  });
  const within = sql.raw(descending ? '<=' : '>=');
  return sql<SqlBool>`${keys[0]!.expression} ${within} ${values[0]} and (${sql.join(alternatives, sql` or `)})`;
}
