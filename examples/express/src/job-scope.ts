import {
  isJobOfOrg,
  type JobInfo,
  notFoundError,
  type Scope,
  type VBucketsError,
} from '@vbuckets/core';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';

/** The job when it is the org's (`isJobOfOrg`); NOT_FOUND otherwise, as for a job that does not exist. */
export function orgJob(
  job: ResultAsync<JobInfo, VBucketsError>,
  scope: Scope,
): ResultAsync<JobInfo, VBucketsError> {
  return job.andThen((found) =>
    isJobOfOrg(found, scope)
      ? okAsync(found)
      : errAsync(notFoundError(`No ${found.kind} job ${found.id}`)),
  );
}
