import { err, ok, type Result } from 'neverthrow';
import { conflictError, type VBucketsError, validationError } from '../../errors';
import { type UploadStatus, UploadStatusSchema } from '../../schemas/upload';

/** What must hold for a transition to be legal. */
export type UploadTransitionCondition =
  | 'always'
  | 'lease-expired'
  | 'force'
  | 'duplicate-allowed-or-force'
  | 'duplicate-refused';

/** Why a row moves, named so the audit trail can say it. */
export type UploadTransitionKind =
  | 'start'
  | 'succeed'
  | 'fail'
  | 'fail-final'
  | 'rate-limit'
  | 'reclaim'
  | 'retry'
  | 'resume'
  | 'manual-override'
  | 'repeat'
  | 'unblock'
  | 'block';

/** One legal move of an upload's status and what it requires. */
export interface UploadTransition {
  readonly from: UploadStatus;
  readonly to: UploadStatus;
  readonly kind: UploadTransitionKind;
  readonly requires: UploadTransitionCondition;
}

/** The facts a conditional transition depends on; every flag defaults to false. */
export interface UploadTransitionContext {
  /** A person explicitly asked for this attempt (manual override). */
  force?: boolean;
  /** The video allows being posted to the same platform more than once. */
  duplicateAllowed?: boolean;
  /** The current IN_PROGRESS lease has run out (see `isLeaseExpired`). */
  leaseExpired?: boolean;
  /** The move is the record of a new attempt that the duplicate guard refused. */
  duplicateRefused?: boolean;
}

/**
 * Every legal transition. IN_PROGRESS -> BLOCKED is deliberately absent: the guard refuses a
 * new attempt while one is live, and overwriting the live row would make its worker's
 * SUCCESS or FAILED illegal, losing the result of a post that really happened.
 */
export const uploadTransitions: readonly UploadTransition[] = Object.freeze([
  { from: 'PENDING', to: 'IN_PROGRESS', kind: 'start', requires: 'always' },
  { from: 'PENDING', to: 'BLOCKED', kind: 'block', requires: 'always' },
  { from: 'IN_PROGRESS', to: 'SUCCESS', kind: 'succeed', requires: 'always' },
  { from: 'IN_PROGRESS', to: 'FAILED', kind: 'fail', requires: 'always' },
  { from: 'IN_PROGRESS', to: 'FAILED_FINAL', kind: 'fail-final', requires: 'always' },
  { from: 'IN_PROGRESS', to: 'RATE_LIMITED', kind: 'rate-limit', requires: 'always' },
  { from: 'IN_PROGRESS', to: 'IN_PROGRESS', kind: 'reclaim', requires: 'lease-expired' },
  { from: 'FAILED', to: 'IN_PROGRESS', kind: 'retry', requires: 'always' },
  { from: 'RATE_LIMITED', to: 'IN_PROGRESS', kind: 'resume', requires: 'always' },
  { from: 'FAILED_FINAL', to: 'IN_PROGRESS', kind: 'manual-override', requires: 'force' },
  { from: 'SUCCESS', to: 'IN_PROGRESS', kind: 'repeat', requires: 'duplicate-allowed-or-force' },
  { from: 'BLOCKED', to: 'IN_PROGRESS', kind: 'unblock', requires: 'duplicate-allowed-or-force' },
  { from: 'SUCCESS', to: 'BLOCKED', kind: 'block', requires: 'duplicate-refused' },
  { from: 'FAILED', to: 'BLOCKED', kind: 'block', requires: 'duplicate-refused' },
  { from: 'FAILED_FINAL', to: 'BLOCKED', kind: 'block', requires: 'duplicate-refused' },
  { from: 'RATE_LIMITED', to: 'BLOCKED', kind: 'block', requires: 'duplicate-refused' },
  { from: 'BLOCKED', to: 'BLOCKED', kind: 'block', requires: 'duplicate-refused' },
] satisfies UploadTransition[]);

function conditionHolds(
  condition: UploadTransitionCondition,
  context: UploadTransitionContext,
): boolean {
  switch (condition) {
    case 'always':
      return true;
    case 'lease-expired':
      return context.leaseExpired === true;
    case 'force':
      return context.force === true;
    case 'duplicate-allowed-or-force':
      return context.duplicateAllowed === true || context.force === true;
    case 'duplicate-refused':
      return context.duplicateRefused === true;
  }
}

function unmetConditionMessage(transition: UploadTransition): string {
  const move = `Cannot move an upload from ${transition.from} to ${transition.to}`;
  switch (transition.requires) {
    case 'lease-expired':
      return `${move}: its lease has not expired, so another worker may still be posting it`;
    case 'force':
      return `${move} without a manual override (force): automatic retries are exhausted`;
    case 'duplicate-allowed-or-force':
      return `${move}: the video does not allow duplicate uploads (allow duplicates or force)`;
    case 'duplicate-refused':
      return `${move} unless the duplicate guard refused a new attempt`;
    case 'always':
      return move;
  }
}

function parseStatus(value: string, field: 'from' | 'to'): Result<UploadStatus, VBucketsError> {
  const parsed = UploadStatusSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  return err(
    validationError(
      `Invalid ${field}: unknown upload status "${value}" (expected one of ${UploadStatusSchema.options.join(', ')})`,
      { path: field, cause: parsed.error },
    ),
  );
}

/**
 * Checks one status change. Returns the matched transition (its `kind` names the move for the
 * audit trail), a VALIDATION error for an unknown status, or a CONFLICT error that says why
 * the move is illegal or what would make it legal.
 */
export function checkUploadTransition(
  from: UploadStatus,
  to: UploadStatus,
  context: UploadTransitionContext = {},
): Result<UploadTransition, VBucketsError> {
  return parseStatus(from, 'from').andThen((fromStatus) =>
    parseStatus(to, 'to').andThen((toStatus) => {
      const transition = uploadTransitions.find(
        (candidate) => candidate.from === fromStatus && candidate.to === toStatus,
      );
      if (transition === undefined) {
        const targets = uploadTransitions
          .filter((candidate) => candidate.from === fromStatus)
          .map((candidate) => candidate.to);
        return err(
          conflictError(
            `An upload cannot move from ${fromStatus} to ${toStatus} (from ${fromStatus} it may move to ${[...new Set(targets)].join(', ')})`,
            { details: { from: fromStatus, to: toStatus } },
          ),
        );
      }
      if (!conditionHolds(transition.requires, context)) {
        return err(
          conflictError(unmetConditionMessage(transition), {
            details: { from: fromStatus, to: toStatus, requires: transition.requires },
          }),
        );
      }
      return ok(transition);
    }),
  );
}

/** True when `checkUploadTransition` would accept the move. */
export function canTransitionUpload(
  from: UploadStatus,
  to: UploadStatus,
  context: UploadTransitionContext = {},
): boolean {
  return checkUploadTransition(from, to, context).isOk();
}

/** The statuses an upload in `from` may move to under `context`, in table order. */
export function nextUploadStatuses(
  from: UploadStatus,
  context: UploadTransitionContext = {},
): UploadStatus[] {
  const statuses = uploadTransitions
    .filter(
      (transition) => transition.from === from && conditionHolds(transition.requires, context),
    )
    .map((transition) => transition.to);
  return [...new Set(statuses)];
}
