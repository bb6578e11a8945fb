import { err, ok, type Result } from 'neverthrow';
import { conflictError, type VBucketsError, validationError } from '../../errors';
import type { UploadClaimRefusal, UploadCompletion } from '../../ports/upload-outcome';
import {
  PlatformSchema,
  type Upload,
  type UploadAttempt,
  type UploadCheckpoint,
  UploadCheckpointSchema,
} from '../../schemas/upload';
import { evaluateDuplicateGuard } from './duplicate-guard';
import { isUploadDue } from './retry-policy';
import { isLeaseExpired } from './upload-lease';
import { checkUploadTransition, type UploadTransitionKind } from './upload-state-machine';

/** What a store needs to decide a claim; `UploadClaimInput` of the Store port fits. */
export interface UploadClaimRequest {
  readonly videoId: string;
  readonly platform: string;
  readonly owner: string;
  readonly now: string;
  readonly leaseMs: number;
  readonly force?: boolean;
  readonly duplicateAllowed: boolean;
  readonly uploadId: string;
  readonly attemptId: string;
}

/**
 * The writes a claim makes. `closed` is the previous attempt when a claim takes over an
 * expired lease: it ends FAILED, because its worker never reported.
 */
export type UploadClaimPlan =
  | {
      readonly claimed: true;
      readonly kind: UploadTransitionKind;
      readonly upload: Upload;
      readonly attempt: UploadAttempt;
      readonly reclaimedOwner: string | null;
    }
  | {
      readonly claimed: false;
      readonly refusal: UploadClaimRefusal;
      readonly reason: string;
      /** The row to write (BLOCKED) when the refusal is recorded, else null. */
      readonly blocked: Upload | null;
    };

function parseInstant(value: string, path: string): Result<number, VBucketsError> {
  const instant = Date.parse(value);
  return Number.isNaN(instant)
    ? err(validationError(`Invalid ${path}: not an ISO-8601 time`, { path }))
    : ok(instant);
}

function checkLease(leaseMs: number): Result<void, VBucketsError> {
  return Number.isSafeInteger(leaseMs) && leaseMs > 0
    ? ok(undefined)
    : err(validationError('Invalid leaseMs: must be a positive integer', { path: 'leaseMs' }));
}

function checkOwner(owner: string): Result<void, VBucketsError> {
  return owner.length > 0
    ? ok(undefined)
    : err(validationError('Invalid owner: must not be empty', { path: 'owner' }));
}

const leaseEnd = (now: number, leaseMs: number) => new Date(now + leaseMs).toISOString();

/**
 * Whether an attempt over a pair's current row may start now: the move it makes, or why not
 * and whether that is a duplicate refusal.
 */
export type ClaimDecision =
  | { readonly allowed: true; readonly kind: UploadTransitionKind }
  | {
      readonly allowed: false;
      readonly refusal: UploadClaimRefusal;
      readonly reason: string;
      /** Refused by the duplicate guard (which may record BLOCKED), not by timing or the state machine. */
      readonly duplicate: boolean;
    };

/**
 * Whether an attempt to post over `current` (null for a pair never attempted) may start at
 * `now`, using the domain's rules in order: the duplicate guard, then whether a FAILED or
 * RATE_LIMITED retry is due (force skips the wait), then the state machine (FAILED_FINAL needs
 * force). What a claim and `canUpload` both answer from.
 */
export function decideClaim(
  current: Pick<
    Upload,
    | 'platform'
    | 'status'
    | 'platformPostId'
    | 'leaseOwner'
    | 'leaseExpiresAt'
    | 'updatedAt'
    | 'nextAttemptAt'
  > | null,
  { duplicateAllowed, force, now }: { duplicateAllowed: boolean; force: boolean; now: number },
): ClaimDecision {
  if (current !== null) {
    const guard = evaluateDuplicateGuard({
      video: { duplicateAllowed },
      current,
      force,
      now,
    });
    if (!guard.allowed) {
      return { allowed: false, refusal: guard.refusal, reason: guard.reason, duplicate: true };
    }
    const retrying = current.status === 'FAILED' || current.status === 'RATE_LIMITED';
    if (!force && retrying && !isUploadDue(current, now)) {
      return {
        allowed: false,
        refusal: 'not-due',
        reason: `the next automatic attempt is not due until ${current.nextAttemptAt} (force to retry now)`,
        duplicate: false,
      };
    }
  }
  const transition = checkUploadTransition(current?.status ?? 'PENDING', 'IN_PROGRESS', {
    force,
    duplicateAllowed,
    leaseExpired:
      current !== null && current.status === 'IN_PROGRESS' && isLeaseExpired(current, now),
  });
  return transition.isErr()
    ? {
        allowed: false,
        refusal: 'transition-refused',
        reason: transition.error.message,
        duplicate: false,
      }
    : { allowed: true, kind: transition.value.kind };
}

/**
 * Plans a claim of (video, platform) from its current row, as `decideClaim` decides it. A
 * duplicate refusal over a row that is neither live nor SUCCESS records BLOCKED, as the state
 * machine's `duplicate-refused` moves allow; a refusal over SUCCESS keeps SUCCESS (the video is
 * posted), and one over a live IN_PROGRESS changes nothing, so its worker can still complete.
 * The claimed row keeps its retryCount, checkpoint (so the attempt resumes the platform's
 * session), errorMessage and platformPostId; `lastAttemptNumber` is 0 for a new pair.
 */
export function planUploadClaim(
  orgId: string,
  current: Upload | null,
  lastAttemptNumber: number,
  request: UploadClaimRequest,
): Result<UploadClaimPlan, VBucketsError> {
  const platform = PlatformSchema.safeParse(request.platform);
  if (!platform.success || platform.data !== request.platform) {
    return err(validationError('Invalid platform', { path: 'platform' }));
  }
  const checked = checkLease(request.leaseMs).andThen(() => checkOwner(request.owner));
  if (checked.isErr()) return err(checked.error);
  const parsedNow = parseInstant(request.now, 'now');
  if (parsedNow.isErr()) return err(parsedNow.error);
  const now = parsedNow.value;
  const nowIso = new Date(now).toISOString();
  const force = request.force === true;

  const decision = decideClaim(current, {
    duplicateAllowed: request.duplicateAllowed,
    force,
    now,
  });
  if (!decision.allowed) {
    // A posted video stays SUCCESS: the refused attempt is history (the audit trail), not
    // the pair's state, so listings and batches keep seeing it as uploaded.
    const records =
      decision.duplicate &&
      current !== null &&
      current.status !== 'SUCCESS' &&
      checkUploadTransition(current.status, 'BLOCKED', { duplicateRefused: true }).isOk();
    return ok({
      claimed: false,
      refusal: decision.refusal,
      reason: decision.reason,
      blocked:
        records && current !== null
          ? {
              ...current,
              status: 'BLOCKED',
              leaseOwner: null,
              leaseExpiresAt: null,
              updatedAt: nowIso,
            }
          : null,
    });
  }
  const upload: Upload = {
    id: current?.id ?? request.uploadId,
    orgId,
    videoId: request.videoId,
    platform: request.platform,
    status: 'IN_PROGRESS',
    retryCount: current?.retryCount ?? 0,
    platformPostId: current?.platformPostId ?? null,
    errorMessage: current?.errorMessage ?? null,
    nextAttemptAt: null,
    leaseOwner: request.owner,
    leaseExpiresAt: leaseEnd(now, request.leaseMs),
    checkpoint: current?.checkpoint ?? null,
    createdAt: current?.createdAt ?? nowIso,
    updatedAt: nowIso,
  };
  const attempt: UploadAttempt = {
    id: request.attemptId,
    orgId,
    uploadId: upload.id,
    videoId: request.videoId,
    platform: request.platform,
    attemptNumber: lastAttemptNumber + 1,
    owner: request.owner,
    status: 'IN_PROGRESS',
    startedAt: nowIso,
    finishedAt: null,
    errorMessage: null,
    platformPostId: null,
  };
  return ok({
    claimed: true,
    kind: decision.kind,
    upload,
    attempt,
    reclaimedOwner: current?.status === 'IN_PROGRESS' ? current.leaseOwner : null,
  });
}

/** The end a reclaim writes on the attempt whose lease ran out. */
export function abandonedAttempt(
  attempt: UploadAttempt,
  now: string,
  reclaimedBy: string,
): UploadAttempt {
  return {
    ...attempt,
    status: 'FAILED',
    finishedAt: new Date(Date.parse(now)).toISOString(),
    errorMessage: `lease expired; reclaimed by ${reclaimedBy}`,
  };
}

function leaseLost(upload: Upload, owner: string): VBucketsError {
  return conflictError(
    `Upload ${upload.id}: lease lost (${owner} does not hold the running attempt; status ${upload.status}, held by ${upload.leaseOwner ?? 'nobody'})`,
    { details: { uploadId: upload.id, owner, leaseOwner: upload.leaseOwner } },
  );
}

/**
 * Checks that `owner` holds the row's claim. A lease that has run out but was not reclaimed
 * still belongs to its owner: nobody else has started, so its report is the truth.
 */
export function checkLeaseOwner(upload: Upload, owner: string): Result<void, VBucketsError> {
  return upload.status === 'IN_PROGRESS' && upload.leaseOwner === owner
    ? ok(undefined)
    : err(leaseLost(upload, owner));
}

/** What a lease renewal (with or without a checkpoint) writes. */
export function planLeaseRenewal(
  upload: Upload,
  input: { owner: string; now: string; leaseMs: number },
  checkpoint?: UploadCheckpoint,
): Result<Upload, VBucketsError> {
  return checkLease(input.leaseMs)
    .andThen(() => parseInstant(input.now, 'now'))
    .andThen((now) =>
      checkLeaseOwner(upload, input.owner).andThen(() => {
        if (checkpoint === undefined) return ok(now);
        const parsed = UploadCheckpointSchema.safeParse(checkpoint);
        return parsed.success
          ? ok(now)
          : err(validationError('Invalid checkpoint', { path: 'checkpoint', cause: parsed.error }));
      }),
    )
    .map((now) => ({
      ...upload,
      leaseExpiresAt: leaseEnd(now, input.leaseMs),
      checkpoint: checkpoint === undefined ? upload.checkpoint : checkpoint,
      updatedAt: new Date(now).toISOString(),
    }));
}

/**
 * What completing an attempt writes. Only the lease owner may complete, and only the running
 * attempt (a reclaimed one was closed). SUCCESS clears the checkpoint: a later repeat must
 * open a new platform session, not resume a finished one; a failure keeps it for the retry.
 */
export function planUploadCompletion(
  upload: Upload,
  attempt: UploadAttempt,
  input: { attemptId: string; owner: string; now: string; outcome: UploadCompletion },
): Result<{ upload: Upload; attempt: UploadAttempt }, VBucketsError> {
  const parsedNow = parseInstant(input.now, 'now');
  if (parsedNow.isErr()) return err(parsedNow.error);
  const nowIso = new Date(parsedNow.value).toISOString();
  const owned = checkLeaseOwner(upload, input.owner);
  if (owned.isErr()) return err(owned.error);
  if (
    attempt.id !== input.attemptId ||
    attempt.uploadId !== upload.id ||
    attempt.status !== 'IN_PROGRESS' ||
    attempt.owner !== input.owner
  ) {
    return err(leaseLost(upload, input.owner));
  }
  const { outcome } = input;
  const moved = checkUploadTransition('IN_PROGRESS', outcome.status);
  if (moved.isErr()) return err(moved.error);
  const released = { leaseOwner: null, leaseExpiresAt: null, updatedAt: nowIso };
  if (outcome.status === 'SUCCESS') {
    return ok({
      upload: {
        ...upload,
        ...released,
        status: 'SUCCESS',
        platformPostId: outcome.platformPostId,
        errorMessage: null,
        nextAttemptAt: null,
        checkpoint: null,
      },
      attempt: {
        ...attempt,
        status: 'SUCCESS',
        finishedAt: nowIso,
        platformPostId: outcome.platformPostId,
      },
    });
  }
  if (!Number.isSafeInteger(outcome.retryCount) || outcome.retryCount < 0) {
    return err(validationError('Invalid retryCount', { path: 'outcome.retryCount' }));
  }
  let nextAttemptAt: string | null = null;
  if (outcome.nextAttemptAt !== null) {
    const next = parseInstant(outcome.nextAttemptAt, 'outcome.nextAttemptAt');
    if (next.isErr()) return err(next.error);
    nextAttemptAt = new Date(next.value).toISOString();
  }
  return ok({
    upload: {
      ...upload,
      ...released,
      status: outcome.status,
      errorMessage: outcome.errorMessage,
      retryCount: outcome.retryCount,
      nextAttemptAt,
      ...(outcome.discardCheckpoint === true ? { checkpoint: null } : {}),
    },
    attempt: {
      ...attempt,
      status: outcome.status,
      finishedAt: nowIso,
      errorMessage: outcome.errorMessage,
    },
  });
}
