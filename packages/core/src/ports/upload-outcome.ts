/** Why the duplicate guard stopped an attempt. */
export type DuplicateRefusal = 'already-uploaded' | 'in-progress' | 'blocked';

/** Why a claim was refused: the duplicate guard's reasons, a retry not yet due, or a move the state machine forbids. */
export type UploadClaimRefusal = DuplicateRefusal | 'not-due' | 'transition-refused';

/** How an attempt ended; the `UploadOutcome` of the Store port. */
export type UploadCompletion =
  | { readonly status: 'SUCCESS'; readonly platformPostId: string }
  | {
      readonly status: 'FAILED' | 'FAILED_FINAL' | 'RATE_LIMITED';
      readonly errorMessage: string;
      readonly retryCount: number;
      readonly nextAttemptAt: string | null;
      /** Drop the platform session checkpoint: what it holds must not be resumed (damaged bytes were sent). */
      readonly discardCheckpoint?: boolean;
    };
