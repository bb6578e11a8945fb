import { type JobInfo, notFoundError, type Scope, type VBucketsError } from '@vbuckets/core';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';

/**
 * Whether a job's payload belongs to the org. The queue is shared by every org of the host and
 * every SDK job kind names its org in the payload, so an org's admins see their own jobs only.
 */
export function isOrgJob(job: { payload: unknown }, scope: Scope): boolean {
  const payload = job.payload;
  return (
    typeof payload === 'object' &&
    payload !== null &&
    (payload as { orgId?: unknown }).orgId === scope.orgId
  );
}

/** The job when it is the org's; NOT_FOUND otherwise, as for a job that does not exist. */
export function orgJob(
  job: ResultAsync<JobInfo, VBucketsError>,
  scope: Scope,
): ResultAsync<JobInfo, VBucketsError> {
  return job.andThen((found) =>
    isOrgJob(found, scope)
      ? okAsync(found)
      : errAsync(notFoundError(`No ${found.kind} job ${found.id}`)),
  );
}
