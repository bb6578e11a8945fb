import { type Bucket, notFoundError, type Scope } from '@vbuckets/core';
import type { BucketPatch, BucketRepository } from '@vbuckets/core/adapter-kit';
import { bucketNameKey } from '@vbuckets/core/domain';
import type { Kysely, Updateable } from 'kysely';
import { compiledOnce } from './sql-compiled-query';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import type { BucketsTable, SqlDatabase } from './sql-schema';
import { toNumber, toStringArray } from './sql-values';

function toRow(bucket: Bucket, dialect: SqlDialectAdapter): BucketsTable {
  return {
    id: bucket.id,
    org_id: bucket.orgId,
    product_id: bucket.productId,
    name: bucket.name,
    name_key: bucketNameKey(bucket.name),
    best_for: bucket.bestFor,
    angle: bucket.angle,
    avatar: bucket.avatar,
    pain_points: dialect.encodeJson(bucket.painPoints),
    solution_mechanism: dialect.encodeJson(bucket.solutionMechanism),
    key_copy_hooks: dialect.encodeJson(bucket.keyCopyHooks),
    display_order: bucket.displayOrder,
    created_at: dialect.encodeTimestamp(bucket.createdAt),
    updated_at: dialect.encodeTimestamp(bucket.updatedAt),
  };
}

function fromRow(row: BucketsTable, dialect: SqlDialectAdapter): Bucket {
  return {
    id: row.id,
    orgId: row.org_id,
    productId: row.product_id,
    name: row.name,
    bestFor: row.best_for,
    angle: row.angle,
    avatar: row.avatar,
    painPoints: toStringArray(dialect.decodeJson(row.pain_points)),
    solutionMechanism: toStringArray(dialect.decodeJson(row.solution_mechanism)),
    keyCopyHooks: toStringArray(dialect.decodeJson(row.key_copy_hooks)),
    displayOrder: toNumber(row.display_order),
    createdAt: dialect.decodeTimestamp(row.created_at),
    updatedAt: dialect.decodeTimestamp(row.updated_at),
  };
}

function patchToRow(patch: BucketPatch, dialect: SqlDialectAdapter): Updateable<BucketsTable> {
  const row: Updateable<BucketsTable> = { updated_at: dialect.encodeTimestamp(patch.updatedAt) };
  if (patch.name !== undefined) {
    row.name = patch.name;
    row.name_key = bucketNameKey(patch.name);
  }
  if (patch.bestFor !== undefined) row.best_for = patch.bestFor;
  if (patch.angle !== undefined) row.angle = patch.angle;
  if (patch.avatar !== undefined) row.avatar = patch.avatar;
  if (patch.painPoints !== undefined) row.pain_points = dialect.encodeJson(patch.painPoints);
  if (patch.solutionMechanism !== undefined) {
    row.solution_mechanism = dialect.encodeJson(patch.solutionMechanism);
  }
  if (patch.keyCopyHooks !== undefined) row.key_copy_hooks = dialect.encodeJson(patch.keyCopyHooks);
  if (patch.displayOrder !== undefined) row.display_order = patch.displayOrder;
  return row;
}

/** Rows per multi-row INSERT: 15 columns each, well under both databases' parameter limits. */
const BUCKETS_PER_INSERT = 200;

/** Buckets on SQL: the unique index on (org_id, product_id, name_key) settles concurrent inserts. */
type ListQuery = (
  db: Kysely<SqlDatabase>,
  values: { orgId: string; productId: string | undefined },
) => Promise<BucketsTable[]>;

export function createSqlBucketRepository(executor: SqlExecutor): BucketRepository {
  const { dialect } = executor;
  // One compiled list per filter shape: [all orgs, all orgs + product, org, org + product].
  const listQueries: ListQuery[] = [false, true].flatMap((byOrg) =>
    [false, true].map((byProduct) =>
      compiledOnce<BucketsTable, { orgId: string; productId: string | undefined }>(
        (db, parameter) => {
          let query = db.selectFrom('buckets').selectAll();
          if (byOrg) query = query.where('org_id', '=', parameter('orgId'));
          if (byProduct) query = query.where('product_id', '=', parameter('productId'));
          return query
            .orderBy('display_order')
            .orderBy(dialect.orderableText('name_key'))
            .orderBy(dialect.orderableText('id'));
        },
      ),
    ),
  );
  const missing = (operation: string, id: string) =>
    notFoundError(`No bucket "${id}"`, {
      adapter: dialect.name,
      operation,
      details: { entity: 'bucket', id },
    });

  return {
    insert: (bucket) =>
      executor.write(
        {
          operation: 'buckets.insert',
          conflictMessage: `A bucket named "${bucket.name}" already exists in product "${bucket.productId}"`,
        },
        async (db) => {
          const row = await db
            .insertInto('buckets')
            .values(toRow(bucket, dialect))
            .returningAll()
            .executeTakeFirstOrThrow();
          return fromRow(row, dialect);
        },
      ),

    insertMany: (buckets) => {
      if (buckets.length === 0) {
        return executor.read({ operation: 'buckets.insertMany' }, async () => 0);
      }
      const first = buckets[0]!;
      return executor.write(
        {
          operation: 'buckets.insertMany',
          conflictMessage: `A bucket of this list is named like another one in product "${first.productId}", or its id exists`,
        },
        async (db) => {
          for (let start = 0; start < buckets.length; start += BUCKETS_PER_INSERT) {
            await db
              .insertInto('buckets')
              .values(
                buckets
                  .slice(start, start + BUCKETS_PER_INSERT)
                  .map((bucket) => toRow(bucket, dialect)),
              )
              .execute();
          }
          return buckets.length;
        },
      );
    },

    get: (scope: Scope, id: string) =>
      executor.read({ operation: 'buckets.get' }, async (db) => {
        const row = await executor
          .lockRows(
            db
              .selectFrom('buckets')
              .selectAll()
              .where('org_id', '=', scope.orgId)
              .where('id', '=', id),
          )
          .executeTakeFirst();
        if (row === undefined) throw missing('buckets.get', id);
        return fromRow(row, dialect);
      }),

    list: (scope, filter = {}) =>
      executor.read({ operation: 'buckets.list' }, async (db) => {
        const byOrg = scope.allOrgs !== true;
        const byProduct = filter.productId !== undefined;
        const query = listQueries[Number(byOrg) * 2 + Number(byProduct)] as ListQuery;
        const rows = await query(db, { orgId: scope.orgId, productId: filter.productId });
        return rows.map((row) => fromRow(row, dialect));
      }),

    update: (scope, id, patch) =>
      executor.write(
        {
          operation: 'buckets.update',
          conflictMessage: `another bucket of the product is already named "${patch.name ?? ''}"`,
        },
        async (db) => {
          const row = await db
            .updateTable('buckets')
            .set(patchToRow(patch, dialect))
            .where('org_id', '=', scope.orgId)
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirst();
          if (row === undefined) throw missing('buckets.update', id);
          return fromRow(row, dialect);
        },
      ),

    delete: (scope, id) =>
      executor.write({ operation: 'buckets.delete' }, async (db) => {
        const result = await db
          .deleteFrom('buckets')
          .where('org_id', '=', scope.orgId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (result.numDeletedRows === 0n) throw missing('buckets.delete', id);
      }),
  };
}
