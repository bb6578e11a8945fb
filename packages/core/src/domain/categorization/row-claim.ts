import { err, ok, type Result } from 'neverthrow';
import { conflictError, type VBucketsError, validationError } from '../../errors';

/** What a store needs to decide a row claim; `CategorizationClaimInput` of the Store port fits. */
export interface RowClaimRequest {
  readonly id: string;
  readonly owner: string;
  readonly now: string;
  readonly leaseMs: number;
}

/** A row's lease as stored: who holds it and until when (ISO-8601), or nobody. */
export interface RowLease {
  readonly owner: string | null;
  readonly expiresAt: string | null;
}

/**
 * Checks a claim or renewal before anything is read or written, and returns the lease it
 * would write: owner and `now + leaseMs` as canonical ISO text (so SQL compares it as text).
 */
export function planRowLease(
  request: RowClaimRequest,
): Result<{ owner: string; now: string; expiresAt: string }, VBucketsError> {
  if (typeof request.owner !== 'string' || request.owner.length === 0) {
    return err(validationError('Invalid owner: must not be empty', { path: 'owner' }));
  }
  if (!Number.isSafeInteger(request.leaseMs) || request.leaseMs <= 0) {
    return err(validationError('Invalid leaseMs: must be a positive integer', { path: 'leaseMs' }));
  }
  const now = Date.parse(request.now);
  if (Number.isNaN(now)) {
    return err(validationError('Invalid now: not an ISO-8601 time', { path: 'now' }));
  }
  return ok({
    owner: request.owner,
    now: new Date(now).toISOString(),
    expiresAt: new Date(now + request.leaseMs).toISOString(),
  });
}

/**
 * True when another worker may not take the row: someone else holds a lease that is live
 * strictly before its expiry. A row nobody holds, or held by `owner` itself, is free to it.
 */
export function isRowHeldByOther(lease: RowLease, owner: string, now: string): boolean {
  if (lease.owner === null || lease.owner === owner) return false;
  if (lease.expiresAt === null) return false;
  const expiresAt = Date.parse(lease.expiresAt);
  return !Number.isNaN(expiresAt) && expiresAt > Date.parse(now);
}

/** The refusal of a renewal or result write by a worker that no longer holds the row. */
export function rowLeaseLost(id: string, owner: string, heldBy: string | null): VBucketsError {
  return conflictError(
    `Categorization ${id}: lease lost (${owner} does not hold it; held by ${heldBy ?? 'nobody'})`,
    { details: { id, owner, leaseOwner: heldBy } },
  );
}
