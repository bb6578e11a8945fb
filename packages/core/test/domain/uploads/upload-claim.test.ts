import { describe, expect, it } from 'vitest';
import {
  abandonedAttempt,
  planLeaseRenewal,
  planUploadClaim,
  planUploadCompletion,
  type UploadClaimRequest,
} from '../../../src/domain/uploads/upload-claim';
import type { Upload, UploadAttempt } from '../../../src/schemas/upload';

const request: UploadClaimRequest = {
  videoId: 'video-1',
  platform: 'youtube',
  owner: 'worker-a',
  now: '2026-02-11T08:00:00.000Z',
  leaseMs: 60_000,
  duplicateAllowed: false,
  uploadId: 'upload-1',
  attemptId: 'attempt-2',
};

const row = (fields: Partial<Upload>): Upload => ({
  id: 'upload-1',
  orgId: 'org-1',
  videoId: 'video-1',
  platform: 'youtube',
  status: 'FAILED',
  retryCount: 1,
  platformPostId: null,
  errorMessage: 'boom',
  nextAttemptAt: null,
  leaseOwner: null,
  leaseExpiresAt: null,
  checkpoint: { sessionId: 'session-1', offset: 10 },
  createdAt: '2026-02-11T07:00:00.000Z',
  updatedAt: '2026-02-11T07:30:00.000Z',
  ...fields,
});

const attempt: UploadAttempt = {
  id: 'attempt-1',
  orgId: 'org-1',
  uploadId: 'upload-1',
  videoId: 'video-1',
  platform: 'youtube',
  attemptNumber: 1,
  owner: 'worker-a',
  status: 'IN_PROGRESS',
  startedAt: '2026-02-11T07:59:00.000Z',
  finishedAt: null,
  errorMessage: null,
  platformPostId: null,
};

describe('planUploadClaim', () => {
  it('starts a first attempt with a lease', () => {
    const plan = planUploadClaim('org-1', null, 0, request)._unsafeUnwrap();
    expect(plan).toMatchObject({
      claimed: true,
      kind: 'start',
      upload: { id: 'upload-1', status: 'IN_PROGRESS', leaseExpiresAt: '2026-02-11T08:01:00.000Z' },
      attempt: { id: 'attempt-2', attemptNumber: 1 },
    });
  });

  it('retries a due FAILED row, keeping its id, retry count and checkpoint', () => {
    const plan = planUploadClaim('org-1', row({ id: 'upload-0' }), 1, request)._unsafeUnwrap();
    expect(plan).toMatchObject({
      claimed: true,
      kind: 'retry',
      upload: { id: 'upload-0', retryCount: 1, checkpoint: { sessionId: 'session-1' } },
      attempt: { uploadId: 'upload-0', attemptNumber: 2 },
    });
  });

  it('refuses a FAILED row that is not due unless forced', () => {
    const waiting = row({ nextAttemptAt: '2026-02-11T08:00:00.001Z' });
    expect(planUploadClaim('org-1', waiting, 1, request)._unsafeUnwrap()).toMatchObject({
      claimed: false,
      refusal: 'not-due',
      blocked: null,
    });
    expect(
      planUploadClaim('org-1', waiting, 1, { ...request, force: true })._unsafeUnwrap().claimed,
    ).toBe(true);
  });

  it('keeps SUCCESS on a refused repeat, records BLOCKED over an earlier BLOCKED, never over a live IN_PROGRESS', () => {
    const success = planUploadClaim(
      'org-1',
      row({ status: 'SUCCESS' }),
      1,
      request,
    )._unsafeUnwrap();
    expect(success).toMatchObject({ claimed: false, refusal: 'already-uploaded' });
    expect(success).toMatchObject({ blocked: null });
    const blocked = planUploadClaim('org-1', row({ status: 'BLOCKED' }), 1, request);
    expect(blocked._unsafeUnwrap()).toMatchObject({
      claimed: false,
      refusal: 'blocked',
      blocked: { status: 'BLOCKED', updatedAt: request.now },
    });

    const live = row({
      status: 'IN_PROGRESS',
      leaseOwner: 'worker-b',
      leaseExpiresAt: '2026-02-11T08:00:30.000Z',
    });
    const refused = planUploadClaim('org-1', live, 1, { ...request, force: true })._unsafeUnwrap();
    expect(refused).toMatchObject({ claimed: false, refusal: 'in-progress', blocked: null });
  });

  it('reclaims an expired lease and names the previous owner', () => {
    const expired = row({
      status: 'IN_PROGRESS',
      leaseOwner: 'worker-b',
      leaseExpiresAt: '2026-02-11T08:00:00.000Z',
    });
    expect(planUploadClaim('org-1', expired, 1, request)._unsafeUnwrap()).toMatchObject({
      claimed: true,
      kind: 'reclaim',
      reclaimedOwner: 'worker-b',
    });
  });

  it('needs force after FAILED_FINAL', () => {
    const final = row({ status: 'FAILED_FINAL' });
    expect(planUploadClaim('org-1', final, 4, request)._unsafeUnwrap()).toMatchObject({
      claimed: false,
      refusal: 'transition-refused',
    });
    expect(
      planUploadClaim('org-1', final, 4, { ...request, force: true })._unsafeUnwrap(),
    ).toMatchObject({ claimed: true, kind: 'manual-override' });
  });

  it('refuses malformed input with VALIDATION', () => {
    for (const bad of [{ now: 'later' }, { leaseMs: -1 }, { owner: '' }, { platform: 'a b' }]) {
      const result = planUploadClaim('org-1', null, 0, { ...request, ...bad });
      expect(result._unsafeUnwrapErr().code).toBe('VALIDATION');
    }
  });
});

describe('planUploadCompletion and planLeaseRenewal', () => {
  const running = row({
    status: 'IN_PROGRESS',
    leaseOwner: 'worker-a',
    leaseExpiresAt: '2026-02-11T08:01:00.000Z',
  });
  const input = {
    attemptId: 'attempt-1',
    owner: 'worker-a',
    now: request.now,
    outcome: { status: 'SUCCESS' as const, platformPostId: 'post-1' },
  };

  it('ends the running attempt and clears the checkpoint on SUCCESS', () => {
    const done = planUploadCompletion(running, attempt, input)._unsafeUnwrap();
    expect(done.upload).toMatchObject({ status: 'SUCCESS', leaseOwner: null, checkpoint: null });
    expect(done.attempt).toMatchObject({ status: 'SUCCESS', finishedAt: request.now });
  });

  it('answers CONFLICT to anyone but the owner of the running attempt', () => {
    expect(
      planUploadCompletion(running, attempt, { ...input, owner: 'worker-b' })._unsafeUnwrapErr()
        .code,
    ).toBe('CONFLICT');
    const closed = abandonedAttempt(attempt, request.now, 'worker-b');
    expect(planUploadCompletion(running, closed, input)._unsafeUnwrapErr().code).toBe('CONFLICT');
    expect(
      planLeaseRenewal(running, {
        owner: 'worker-b',
        now: request.now,
        leaseMs: 1,
      })._unsafeUnwrapErr().code,
    ).toBe('CONFLICT');
  });
});
