import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, vbucketsError } from '../errors';
import { type Scope, ScopeSchema } from '../schemas/common';
import { parseInput } from './parse-input';

/** A scope for reads; `allOrgs` is kept for the list methods that honour it. */
export function readScope(value: unknown): Result<Scope, VBucketsError> {
  return parseInput(ScopeSchema, value, 'scope');
}

/** A scope for writes: cross-org scopes are read-only, so `allOrgs` is refused. */
export function writeScope(value: unknown): Result<Scope, VBucketsError> {
  return readScope(value).andThen((scope) =>
    scope.allOrgs
      ? err(
          vbucketsError('FORBIDDEN', 'A cross-organisation scope (allOrgs) is read-only', {
            path: 'scope.allOrgs',
          }),
        )
      : ok({ orgId: scope.orgId }),
  );
}

/** A scope for single-record reads: a record is only ever looked up inside one org. */
export function recordScope(value: unknown): Result<Scope, VBucketsError> {
  return readScope(value).map((scope) => ({ orgId: scope.orgId }));
}
