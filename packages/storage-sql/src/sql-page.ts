import { type PageRequest, pageRequestError, unknownAfterError } from '@vbuckets/core';
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
 * The condition repeats the first key as a plain range, which any index led by it can use.
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
    const beyond = (index: number) => sql.raw(keys[index]!.descending === true ? '<' : '>');
    const alternatives = keys.map((key, index) => {
      const equalBefore = keys
        .slice(0, index)
        .map((earlier, position) => sql`${earlier.expression} = ${values[position]}`);
      return sql.join(
        [...equalBefore, sql`${key.expression} ${beyond(index)} ${values[index]}`],
        sql` and `,
      );
    });
    const first = keys[0]!;
    const within = sql.raw(first.descending === true ? '<=' : '>=');
    query = query.where(
      sql<SqlBool>`${first.expression} ${within} ${values[0]} and (${sql.join(alternatives, sql` or `)})`,
    );
  }
  for (const key of keys) {
    query = query.orderBy(key.expression, key.descending === true ? 'desc' : 'asc');
  }
  return page?.limit === undefined ? query : query.limit(page.limit);
}
