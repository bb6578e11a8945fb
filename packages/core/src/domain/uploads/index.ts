export {
  canUpload,
  checkDuplicateGuard,
  type DuplicateGuardDecision,
  type DuplicateGuardInput,
  type DuplicateGuardUpload,
  type DuplicateRefusal,
  evaluateDuplicateGuard,
} from './duplicate-guard';
export { platformDisplayName } from './platform-display-name';
export {
  createRetryPolicy,
  isUploadDue,
  type ManualRetryPlan,
  planManualRetry,
  type RetryDecision,
  type RetryFailure,
  type RetryPolicy,
  type RetryPolicyOptions,
  RetryPolicyOptionsSchema,
} from './retry-policy';
export {
  abandonedAttempt,
  checkLeaseOwner,
  planLeaseRenewal,
  planUploadClaim,
  planUploadCompletion,
  type UploadClaimPlan,
  type UploadClaimRefusal,
  type UploadClaimRequest,
  type UploadCompletion,
} from './upload-claim';
export { isLeaseExpired } from './upload-lease';
export {
  canTransitionUpload,
  checkUploadTransition,
  nextUploadStatuses,
  type UploadTransition,
  type UploadTransitionCondition,
  type UploadTransitionContext,
  type UploadTransitionKind,
  uploadTransitions,
} from './upload-state-machine';
