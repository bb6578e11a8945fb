import type { VBucketsError } from '@vbuckets/core';
import {
  type CategorizationRepository,
  planRowLease,
  rowLeaseLost,
} from '@vbuckets/core/adapter-kit';
import type { Kysely } from 'kysely';
import type { Result } from 'neverthrow';
import { fromRow, patchToRow } from './sql-categorization-rows';
import type { SqlExecutor } from './sql-executor';
import type { SqlDatabase } from './sql-schema';

type ClaimMethods = Pick<CategorizationRepository, 'claimRow' | 'renewRowClaim' | 'updateClaimed'>;

/** The value of a domain Result, or its error thrown for the executor to pass through. */
function unwrap<T>(result: Result<T, VBucketsError>): T {
  if (result.isErr()) throw result.error;
  return result.value;
}

/**
 * Row claims on SQL: the lease_owner/lease_expires_at columns (migration 5). Each claim is
 * one conditional UPDATE, so the database decides: PostgreSQL re-checks the WHERE on the
 * row it waited for, SQLite runs one writer at a time. Timestamps are canonical ISO text
 * (or timestamptz), so `lease_expires_at <= now` compares instants in both dialects.
 */
export function createSqlCategorizationClaims(
  executor: SqlExecutor,
  missing: (operation: string, id: string) => VBucketsError,
): ClaimMethods {
  const { dialect } = executor;

  const leaseOf = async (db: Kysely<SqlDatabase>, orgId: string, id: string, operation: string) => {
    const row = await db
      .selectFrom('categorizations')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw missing(operation, id);
    return {
      row,
      owner: row.lease_owner,
      expiresAt:
        row.lease_expires_at === null ? null : dialect.decodeTimestamp(row.lease_expires_at),
    };
  };

  return {
    claimRow: (scope, input) =>
      executor.write({ operation: 'categorizations.claimRow' }, async (db) => {
        const lease = unwrap(planRowLease(input));
        const now = dialect.encodeTimestamp(lease.now);
        const claimed = await db
          .updateTable('categorizations')
          .set({
            lease_owner: lease.owner,
            lease_expires_at: dialect.encodeTimestamp(lease.expiresAt),
          })
          .where('org_id', '=', scope.orgId)
          .where('id', '=', input.id)
          .where('status', '=', 'pending')
          .where((where) =>
            where.or([
              where('lease_owner', 'is', null),
              where('lease_owner', '=', lease.owner),
              where('lease_expires_at', 'is', null),
              where('lease_expires_at', '<=', now),
            ]),
          )
          .returningAll()
          .executeTakeFirst();
        if (claimed !== undefined)
          return { claimed: true as const, row: fromRow(claimed, dialect) };
        const current = await leaseOf(db, scope.orgId, input.id, 'categorizations.claimRow');
        const row = fromRow(current.row, dialect);
        return row.status !== 'pending'
          ? { claimed: false as const, row, reason: 'not-pending' as const, heldBy: null }
          : { claimed: false as const, row, reason: 'held' as const, heldBy: current.owner };
      }),

    renewRowClaim: (scope, input) =>
      executor.write({ operation: 'categorizations.renewRowClaim' }, async (db) => {
        const lease = unwrap(planRowLease(input));
        const renewed = await db
          .updateTable('categorizations')
          .set({ lease_expires_at: dialect.encodeTimestamp(lease.expiresAt) })
          .where('org_id', '=', scope.orgId)
          .where('id', '=', input.id)
          .where('lease_owner', '=', lease.owner)
          .executeTakeFirst();
        if (Number(renewed.numUpdatedRows) === 1) return;
        const current = await leaseOf(db, scope.orgId, input.id, 'categorizations.renewRowClaim');
        throw rowLeaseLost(input.id, input.owner, current.owner);
      }),

    updateClaimed: (scope, id, owner, patch) =>
      executor.write({ operation: 'categorizations.updateClaimed' }, async (db) => {
        // A row that leaves `pending` is finished: its claim ends with it.
        const releases = patch.status !== undefined && patch.status !== 'pending';
        const updated = await db
          .updateTable('categorizations')
          .set({
            ...patchToRow(patch, dialect),
            ...(releases ? { lease_owner: null, lease_expires_at: null } : {}),
          })
          .where('org_id', '=', scope.orgId)
          .where('id', '=', id)
          .where('lease_owner', '=', owner)
          .returningAll()
          .executeTakeFirst();
        if (updated !== undefined) return fromRow(updated, dialect);
        const current = await leaseOf(db, scope.orgId, id, 'categorizations.updateClaimed');
        throw rowLeaseLost(id, owner, current.owner);
      }),
  };
}
