import type { Scope } from '../../schemas/common';

/**
 * The org a job's payload names, or null when it names none. Every SDK job kind carries its
 * org as `orgId`, so this is how one org's jobs are told apart on a queue all orgs share.
 */
export function jobOrgId(job: { readonly payload: unknown }): string | null {
  const { payload } = job;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const orgId = (payload as { orgId?: unknown }).orgId;
  return typeof orgId === 'string' && orgId !== '' ? orgId : null;
}

/** Whether a job (or a schedule) belongs to the scope's org; one that names no org belongs to none. */
export function isJobOfOrg(job: { readonly payload: unknown }, scope: Scope): boolean {
  return scope.orgId !== '' && jobOrgId(job) === scope.orgId;
}
