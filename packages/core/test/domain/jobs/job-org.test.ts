import { describe, expect, it } from 'vitest';
import { isJobOfOrg, jobOrgId } from '../../../src/domain/jobs/job-org';
import { BUILTIN_JOB_SCHEMAS } from '../../../src/services/jobs/job-kinds';

describe('the org of a job', () => {
  it('is the orgId of the payload, and nothing else', () => {
    expect(jobOrgId({ payload: { orgId: 'acme', taskId: 't1' } })).toBe('acme');
    for (const payload of [
      null,
      undefined,
      'acme',
      42,
      ['acme'],
      {},
      { orgId: 7 },
      { orgId: '' },
    ]) {
      expect(jobOrgId({ payload })).toBeNull();
    }
  });

  it("keeps a job to its own org's scope, and one naming no org to nobody", () => {
    const job = { payload: { orgId: 'acme', videoId: 'v1' } };
    expect(isJobOfOrg(job, { orgId: 'acme' })).toBe(true);
    expect(isJobOfOrg(job, { orgId: 'globex' })).toBe(false);
    expect(isJobOfOrg({ payload: { report: 'weekly' } }, { orgId: 'acme' })).toBe(false);
    expect(isJobOfOrg({ payload: { orgId: '' } }, { orgId: '' })).toBe(false);
  });

  it('finds the org in a payload of every built-in job kind', () => {
    // The rule holds only while every SDK kind names its org: a new kind without it would leak.
    for (const [kind, schema] of Object.entries(BUILTIN_JOB_SCHEMAS)) {
      expect(Object.keys(schema.shape), kind).toContain('orgId');
    }
  });
});
