import type { Upload } from '../../schemas/upload';

/**
 * True when an IN_PROGRESS claim may be taken over because its worker is presumed dead.
 * A lease is live strictly before its expiry instant. A row without a readable expiry
 * counts as expired: every claim sets a lease, and treating such a row as live would strand
 * it forever, since not even a manual override may take a live upload.
 */
export function isLeaseExpired(upload: Pick<Upload, 'leaseExpiresAt'>, now: number): boolean {
  if (upload.leaseExpiresAt === null) return true;
  const expiresAt = Date.parse(upload.leaseExpiresAt);
  if (Number.isNaN(expiresAt)) return true;
  return expiresAt <= now;
}
