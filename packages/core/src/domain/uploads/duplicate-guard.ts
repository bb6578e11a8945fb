import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, vbucketsError } from '../../errors';
import type { DuplicateRefusal } from '../../ports/upload-outcome';
import type { Upload } from '../../schemas/upload';
import type { Video } from '../../schemas/video';
import { platformDisplayName } from './platform-display-name';
import { isLeaseExpired } from './upload-lease';

/** The fields of the current upload row the guard reads; a whole `Upload` fits. */
export type DuplicateGuardUpload = Pick<
  Upload,
  'platform' | 'status' | 'platformPostId' | 'leaseOwner' | 'leaseExpiresAt' | 'updatedAt'
>;

/** A new attempt to post a video to one platform. */
export interface DuplicateGuardInput {
  video: Pick<Video, 'duplicateAllowed'>;
  /** The current row of (video, platform), or null when it was never attempted. */
  current: DuplicateGuardUpload | null;
  /** A person explicitly asked to post again (manual override). */
  force?: boolean;
  /** Milliseconds since the Unix epoch; decides whether an IN_PROGRESS lease is live. */
  now: number;
}

export type DuplicateGuardDecision =
  | { allowed: true }
  | { allowed: false; refusal: DuplicateRefusal; reason: string };

function describeRefusal(current: DuplicateGuardUpload, refusal: DuplicateRefusal): string {
  const platform = platformDisplayName(current.platform);
  const postId = current.platformPostId === null ? '' : `, post id ${current.platformPostId}`;
  switch (refusal) {
    case 'already-uploaded':
      return `already uploaded to ${platform} at ${current.updatedAt}${postId}`;
    case 'in-progress': {
      const holder = current.leaseOwner === null ? '' : ` by ${current.leaseOwner}`;
      return `an upload to ${platform} has been in progress since ${current.updatedAt}, lease held${holder} until ${current.leaseExpiresAt}`;
    }
    case 'blocked':
      return current.platformPostId === null
        ? `an earlier attempt to upload to ${platform} was blocked as a duplicate at ${current.updatedAt}`
        : `already uploaded to ${platform}${postId}; a repeat attempt was blocked at ${current.updatedAt}`;
  }
}

function refusalOf(input: DuplicateGuardInput): DuplicateRefusal | null {
  const { current, now } = input;
  if (current === null) return null;
  // Not even force takes a live claim: two concurrent posts of one video is what the guard is for.
  if (current.status === 'IN_PROGRESS') return isLeaseExpired(current, now) ? null : 'in-progress';
  const mayRepeat = input.video.duplicateAllowed || input.force === true;
  if (current.status === 'SUCCESS') return mayRepeat ? null : 'already-uploaded';
  // BLOCKED means an earlier attempt was refused; refusing again keeps the guard in step
  // with the state machine, which only leaves BLOCKED when duplicates are allowed or forced.
  if (current.status === 'BLOCKED') return mayRepeat ? null : 'blocked';
  return null;
}

/**
 * Decides whether a new attempt to post a video to a platform may start. A SUCCESS (or a
 * BLOCKED row left by an earlier refusal) is refused unless the video allows duplicates or
 * the attempt is forced; a live IN_PROGRESS is always refused, even when duplicates are
 * allowed, because duplicates mean posting again later, never twice at once. PENDING, FAILED,
 * FAILED_FINAL, RATE_LIMITED and expired IN_PROGRESS rows are not duplicates; whether they
 * may move is the state machine's question.
 */
export function evaluateDuplicateGuard(input: DuplicateGuardInput): DuplicateGuardDecision {
  const refusal = refusalOf(input);
  if (refusal === null || input.current === null) return { allowed: true };
  return { allowed: false, refusal, reason: describeRefusal(input.current, refusal) };
}

/** Seed 001's `can_upload`: `[true, null]` or `[false, reason]`. */
export function canUpload(
  input: DuplicateGuardInput,
): readonly [allowed: boolean, reason: string | null] {
  const decision = evaluateDuplicateGuard(input);
  return decision.allowed ? [true, null] : [false, decision.reason];
}

/** The guard as a Result: a refusal is a DUPLICATE_UPLOAD error carrying the reason. */
export function checkDuplicateGuard(input: DuplicateGuardInput): Result<void, VBucketsError> {
  const decision = evaluateDuplicateGuard(input);
  if (decision.allowed) return ok(undefined);
  return err(
    vbucketsError('DUPLICATE_UPLOAD', `Upload refused: ${decision.reason}`, {
      retryable: false,
      details: {
        platform: input.current?.platform,
        refusal: decision.refusal,
        platformPostId: input.current?.platformPostId ?? null,
      },
    }),
  );
}
