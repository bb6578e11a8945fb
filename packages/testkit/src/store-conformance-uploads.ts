import type { AuditEvent, UploadAttempt } from '@vbuckets/core';
import type { Store, UploadClaimInput, UploadClaimResult } from '@vbuckets/core/adapter-kit';
import { describe, expect, it } from 'vitest';
import { makeTenant, makeVideo, type Tenant, timestamp, uniqueId } from './builders';
import { expectErrorCode, expectOk } from './result-assertions';
import type { StoreConformanceContext } from './store-conformance-context';
import { HOSTILE_STRINGS } from './store-conformance-hostile-strings';

const LEASE_MS = 60_000;

interface Pair extends Tenant {
  videoId: string;
}

async function makePair(store: Store, duplicateAllowed = false): Promise<Pair> {
  const tenant = makeTenant();
  const video = makeVideo({ orgId: tenant.orgId, duplicateAllowed });
  await expectOk(store.videos.insert(video));
  return { ...tenant, videoId: video.id };
}

function claimInput(
  pair: Pair,
  fields: Partial<UploadClaimInput> & { owner: string; now: string },
): UploadClaimInput {
  return {
    videoId: pair.videoId,
    platform: 'youtube',
    leaseMs: LEASE_MS,
    duplicateAllowed: false,
    uploadId: uniqueId('upload'),
    attemptId: uniqueId('attempt'),
    ...fields,
  };
}

function expectClaimed(result: UploadClaimResult) {
  if (!result.claimed) throw new Error(`Expected a claim, refused: ${result.reason}`);
  return result;
}

function expectRefused(result: UploadClaimResult) {
  if (result.claimed) throw new Error('Expected a refusal, but the claim was granted');
  return result;
}

async function claim(store: Store, pair: Pair, fields: Parameters<typeof claimInput>[1]) {
  return expectOk(store.uploads.claim(pair.scope, claimInput(pair, fields)));
}

/** Claims and fails an attempt, leaving FAILED due at `nextAttemptAt`. */
async function claimAndFail(
  store: Store,
  pair: Pair,
  at: number,
  outcome: { status?: 'FAILED' | 'FAILED_FINAL' | 'RATE_LIMITED'; nextAttemptAt: string | null },
) {
  const claimed = expectClaimed(
    await claim(store, pair, { owner: 'worker-a', now: timestamp(at) }),
  );
  return expectOk(
    store.uploads.complete(pair.scope, {
      uploadId: claimed.upload.id,
      attemptId: claimed.attempt.id,
      owner: 'worker-a',
      now: timestamp(at + 1),
      outcome: {
        status: outcome.status ?? 'FAILED',
        errorMessage: `failed at ${at}`,
        retryCount: claimed.upload.retryCount + 1,
        nextAttemptAt: outcome.nextAttemptAt,
      },
    }),
  );
}

export function describeUploadConformance(context: StoreConformanceContext): void {
  describe('uploads', () => {
    it('grants the first claim and refuses a second while the lease is live', async () => {
      const store = context.store();
      const pair = await makePair(store);
      const first = expectClaimed(
        await claim(store, pair, { owner: 'worker-a', now: timestamp(0) }),
      );

      expect(first.upload).toMatchObject({
        orgId: pair.orgId,
        videoId: pair.videoId,
        platform: 'youtube',
        status: 'IN_PROGRESS',
        retryCount: 0,
        leaseOwner: 'worker-a',
        leaseExpiresAt: timestamp(60),
        checkpoint: null,
        createdAt: timestamp(0),
        updatedAt: timestamp(0),
      });
      expect(first.attempt).toMatchObject({
        uploadId: first.upload.id,
        attemptNumber: 1,
        owner: 'worker-a',
        status: 'IN_PROGRESS',
        startedAt: timestamp(0),
        finishedAt: null,
      });
      expect(await expectOk(store.uploads.get(pair.scope, pair.videoId, 'youtube'))).toEqual(
        first.upload,
      );

      const second = expectRefused(
        await claim(store, pair, { owner: 'worker-b', now: timestamp(59), force: true }),
      );
      expect(second.refusal).toBe('in-progress');
      expect(second.reason).toMatch(/in progress/);
      expect(second.upload).toEqual(first.upload);
      expect(await expectOk(store.uploads.getById(pair.scope, first.upload.id))).toEqual(
        first.upload,
      );
    });

    it('grants exactly one of 50 concurrent claims of one (video, platform)', async () => {
      const store = context.store();
      const pair = await makePair(store, true);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          expectOk(
            store.uploads.claim(
              pair.scope,
              claimInput(pair, {
                owner: `worker-${index}`,
                now: timestamp(0),
                duplicateAllowed: true,
              }),
            ),
          ),
        ),
      );
      const winners = results.filter((result) => result.claimed);
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (!result.claimed) expect(result.refusal).toBe('in-progress');
      }
      const uploads = await expectOk(store.uploads.listByVideo(pair.scope, pair.videoId));
      expect(uploads).toHaveLength(1);
      expect(uploads[0]?.leaseOwner).toBe(winners[0]?.upload.leaseOwner);
      const uploadId = uploads[0]?.id ?? '';
      expect(await expectOk(store.uploads.listAttempts(pair.scope, uploadId))).toHaveLength(1);
    });

    // Without the row lock, concurrent claims of an existing row all read it as claimable.
    it('grants exactly one of 50 concurrent claims of an existing, due row', async () => {
      const store = context.store();
      const pair = await makePair(store);
      await claimAndFail(store, pair, 0, { nextAttemptAt: timestamp(10) });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          expectOk(
            store.uploads.claim(
              pair.scope,
              claimInput(pair, { owner: `worker-${index}`, now: timestamp(20) }),
            ),
          ),
        ),
      );
      expect(results.filter((result) => result.claimed)).toHaveLength(1);
      const upload = await expectOk(store.uploads.get(pair.scope, pair.videoId, 'youtube'));
      const attempts = await expectOk(store.uploads.listAttempts(pair.scope, upload?.id ?? ''));
      expect(attempts.map((attempt) => attempt.attemptNumber)).toEqual([1, 2]);
    });

    it('lets another worker reclaim an expired lease, keeping the first attempt', async () => {
      const store = context.store();
      const pair = await makePair(store);
      const first = expectClaimed(
        await claim(store, pair, { owner: 'worker-a', now: timestamp(0) }),
      );
      expect(
        expectRefused(await claim(store, pair, { owner: 'worker-b', now: timestamp(59) })).refusal,
      ).toBe('in-progress');

      const second = expectClaimed(
        await claim(store, pair, { owner: 'worker-b', now: timestamp(60) }),
      );
      expect(second.upload.id).toBe(first.upload.id);
      expect(second.upload.leaseOwner).toBe('worker-b');
      expect(second.attempt.attemptNumber).toBe(2);

      const attempts = await expectOk(store.uploads.listAttempts(pair.scope, first.upload.id));
      expect(
        attempts.map((attempt) => [attempt.attemptNumber, attempt.owner, attempt.status]),
      ).toEqual([
        [1, 'worker-a', 'FAILED'],
        [2, 'worker-b', 'IN_PROGRESS'],
      ]);
      expect(attempts[0]?.finishedAt).toBe(timestamp(60));
      expect(attempts[0]?.errorMessage).toMatch(/lease expired/);

      // The dead worker comes back: its lease is lost.
      await expectErrorCode(
        store.uploads.complete(pair.scope, {
          uploadId: first.upload.id,
          attemptId: first.attempt.id,
          owner: 'worker-a',
          now: timestamp(61),
          outcome: { status: 'SUCCESS', platformPostId: 'post-a' },
        }),
        'CONFLICT',
      );
      const done = await expectOk(
        store.uploads.complete(pair.scope, {
          uploadId: first.upload.id,
          attemptId: second.attempt.id,
          owner: 'worker-b',
          now: timestamp(62),
          outcome: { status: 'SUCCESS', platformPostId: 'post-b' },
        }),
      );
      expect(done.upload).toMatchObject({
        status: 'SUCCESS',
        platformPostId: 'post-b',
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: timestamp(62),
      });
      expect(done.attempt).toMatchObject({
        status: 'SUCCESS',
        platformPostId: 'post-b',
        finishedAt: timestamp(62),
      });
    });

    it('refuses a repeat after SUCCESS (the row stays SUCCESS) unless duplicates are allowed or forced', async () => {
      const store = context.store();
      const pair = await makePair(store);
      const first = expectClaimed(
        await claim(store, pair, { owner: 'worker-a', now: timestamp(0) }),
      );
      await expectOk(
        store.uploads.complete(pair.scope, {
          uploadId: first.upload.id,
          attemptId: first.attempt.id,
          owner: 'worker-a',
          now: timestamp(1),
          outcome: { status: 'SUCCESS', platformPostId: 'post-1' },
        }),
      );

      const refused = expectRefused(
        await claim(store, pair, { owner: 'worker-b', now: timestamp(2) }),
      );
      expect(refused.refusal).toBe('already-uploaded');
      expect(refused.reason).toMatch(/already uploaded/);
      expect(refused.upload).toMatchObject({ status: 'SUCCESS', platformPostId: 'post-1' });
      expect(await expectOk(store.uploads.get(pair.scope, pair.videoId, 'youtube'))).toMatchObject({
        status: 'SUCCESS',
        platformPostId: 'post-1',
        updatedAt: timestamp(1),
      });
      expect(
        expectRefused(await claim(store, pair, { owner: 'worker-b', now: timestamp(3) })).refusal,
      ).toBe('already-uploaded');

      const allowed = expectClaimed(
        await claim(store, pair, { owner: 'worker-b', now: timestamp(4), duplicateAllowed: true }),
      );
      expect(allowed.attempt.attemptNumber).toBe(2);

      const other = await makePair(store);
      const done = expectClaimed(
        await claim(store, other, { owner: 'worker-a', now: timestamp(0) }),
      );
      await expectOk(
        store.uploads.complete(other.scope, {
          uploadId: done.upload.id,
          attemptId: done.attempt.id,
          owner: 'worker-a',
          now: timestamp(1),
          outcome: { status: 'SUCCESS', platformPostId: 'post-2' },
        }),
      );
      expect(
        (await claim(store, other, { owner: 'worker-b', now: timestamp(2), force: true })).claimed,
      ).toBe(true);
    });

    it('refuses a FAILED upload before its nextAttemptAt and grants it after (or forced)', async () => {
      const store = context.store();
      const pair = await makePair(store);
      const failed = await claimAndFail(store, pair, 0, { nextAttemptAt: timestamp(100) });
      expect(failed.upload).toMatchObject({
        status: 'FAILED',
        retryCount: 1,
        errorMessage: 'failed at 0',
        nextAttemptAt: timestamp(100),
        leaseOwner: null,
      });
      expect(failed.attempt).toMatchObject({ status: 'FAILED', errorMessage: 'failed at 0' });

      const early = expectRefused(
        await claim(store, pair, { owner: 'worker-b', now: timestamp(99) }),
      );
      expect(early.refusal).toBe('not-due');
      expect(early.upload).toEqual(failed.upload);
      expect(await expectOk(store.uploads.get(pair.scope, pair.videoId, 'youtube'))).toEqual(
        failed.upload,
      );

      const due = expectClaimed(
        await claim(store, pair, { owner: 'worker-b', now: timestamp(100) }),
      );
      expect(due.upload).toMatchObject({
        status: 'IN_PROGRESS',
        retryCount: 1,
        nextAttemptAt: null,
      });
      expect(due.attempt.attemptNumber).toBe(2);

      const other = await makePair(store);
      await claimAndFail(store, other, 0, {
        status: 'RATE_LIMITED',
        nextAttemptAt: timestamp(100),
      });
      expect(
        expectRefused(await claim(store, other, { owner: 'worker-b', now: timestamp(50) })).refusal,
      ).toBe('not-due');
      expect(
        (await claim(store, other, { owner: 'worker-b', now: timestamp(50), force: true })).claimed,
      ).toBe(true);
    });

    it('grants a FAILED_FINAL upload only with force', async () => {
      const store = context.store();
      const pair = await makePair(store, true);
      await claimAndFail(store, pair, 0, { status: 'FAILED_FINAL', nextAttemptAt: null });

      const refused = expectRefused(
        await claim(store, pair, {
          owner: 'worker-b',
          now: timestamp(500),
          duplicateAllowed: true,
        }),
      );
      expect(refused.refusal).toBe('transition-refused');
      expect(refused.reason).toMatch(/force/);
      expect(refused.upload?.status).toBe('FAILED_FINAL');

      const forced = expectClaimed(
        await claim(store, pair, { owner: 'worker-b', now: timestamp(501), force: true }),
      );
      expect(forced.upload.status).toBe('IN_PROGRESS');
      expect(forced.attempt.attemptNumber).toBe(2);
    });

    it('answers CONFLICT when anyone but the lease owner completes, and leaves the row alone', async () => {
      const store = context.store();
      const pair = await makePair(store);
      const claimed = expectClaimed(
        await claim(store, pair, { owner: 'worker-a', now: timestamp(0) }),
      );
      const base = {
        uploadId: claimed.upload.id,
        attemptId: claimed.attempt.id,
        now: timestamp(1),
        outcome: { status: 'SUCCESS' as const, platformPostId: 'post-1' },
      };

      const error = await expectErrorCode(
        store.uploads.complete(pair.scope, { ...base, owner: 'worker-b' }),
        'CONFLICT',
      );
      expect(error.message).toMatch(/lease lost/);
      await expectErrorCode(
        store.uploads.complete(pair.scope, {
          ...base,
          owner: 'worker-a',
          attemptId: uniqueId('attempt'),
        }),
        'CONFLICT',
      );
      expect(await expectOk(store.uploads.getById(pair.scope, claimed.upload.id))).toEqual(
        claimed.upload,
      );

      await expectOk(store.uploads.complete(pair.scope, { ...base, owner: 'worker-a' }));
      // A second report of the same attempt must not overwrite the first.
      await expectErrorCode(
        store.uploads.complete(pair.scope, {
          ...base,
          owner: 'worker-a',
          outcome: { status: 'FAILED', errorMessage: 'late', retryCount: 1, nextAttemptAt: null },
        }),
        'CONFLICT',
      );
      expect((await expectOk(store.uploads.getById(pair.scope, claimed.upload.id))).status).toBe(
        'SUCCESS',
      );
    });

    it('keeps checkpoints across a reclaim and a retry, and renews the lease with them', async () => {
      const store = context.store();
      const pair = await makePair(store);
      const first = expectClaimed(
        await claim(store, pair, { owner: 'worker-a', now: timestamp(0) }),
      );
      const checkpoint = {
        sessionId: `https://upload.example/session?id=${HOSTILE_STRINGS[0]}`,
        offset: 5_242_880,
        data: { endOffset: 10_485_760, note: HOSTILE_STRINGS[5] ?? '', nested: { ok: true } },
      };

      await expectErrorCode(
        store.uploads.saveCheckpoint(pair.scope, {
          uploadId: first.upload.id,
          owner: 'worker-b',
          now: timestamp(10),
          leaseMs: LEASE_MS,
          checkpoint,
        }),
        'CONFLICT',
      );
      const saved = await expectOk(
        store.uploads.saveCheckpoint(pair.scope, {
          uploadId: first.upload.id,
          owner: 'worker-a',
          now: timestamp(30),
          leaseMs: LEASE_MS,
          checkpoint,
        }),
      );
      expect(saved).toMatchObject({ checkpoint, leaseExpiresAt: timestamp(90) });
      expect(
        (await expectOk(store.uploads.getById(pair.scope, first.upload.id))).checkpoint,
      ).toEqual(checkpoint);
      // The renewed lease is live past the original expiry.
      expect(
        expectRefused(await claim(store, pair, { owner: 'worker-b', now: timestamp(60) })).refusal,
      ).toBe('in-progress');

      const reclaimed = expectClaimed(
        await claim(store, pair, { owner: 'worker-b', now: timestamp(90) }),
      );
      expect(reclaimed.upload.checkpoint).toEqual(checkpoint);

      const renewed = await expectOk(
        store.uploads.renewLease(pair.scope, {
          uploadId: first.upload.id,
          owner: 'worker-b',
          now: timestamp(100),
          leaseMs: 120_000,
        }),
      );
      expect(renewed).toMatchObject({ leaseExpiresAt: timestamp(220), checkpoint });
      await expectErrorCode(
        store.uploads.renewLease(pair.scope, {
          uploadId: first.upload.id,
          owner: 'worker-a',
          now: timestamp(101),
          leaseMs: LEASE_MS,
        }),
        'CONFLICT',
      );

      await expectOk(
        store.uploads.complete(pair.scope, {
          uploadId: first.upload.id,
          attemptId: reclaimed.attempt.id,
          owner: 'worker-b',
          now: timestamp(110),
          outcome: { status: 'FAILED', errorMessage: 'reset', retryCount: 1, nextAttemptAt: null },
        }),
      );
      const retry = expectClaimed(
        await claim(store, pair, { owner: 'worker-c', now: timestamp(111) }),
      );
      expect(retry.upload.checkpoint).toEqual(checkpoint);
      const done = await expectOk(
        store.uploads.complete(pair.scope, {
          uploadId: first.upload.id,
          attemptId: retry.attempt.id,
          owner: 'worker-c',
          now: timestamp(112),
          outcome: { status: 'SUCCESS', platformPostId: 'post-1' },
        }),
      );
      expect(done.upload.checkpoint).toBeNull();
    });

    it('keeps every attempt, in order, with its own end', async () => {
      const store = context.store();
      const pair = await makePair(store);
      await claimAndFail(store, pair, 0, { nextAttemptAt: null });
      await claimAndFail(store, pair, 10, { nextAttemptAt: null });
      await claimAndFail(store, pair, 20, { status: 'FAILED_FINAL', nextAttemptAt: null });
      const upload = await expectOk(store.uploads.get(pair.scope, pair.videoId, 'youtube'));
      expect(upload).toMatchObject({ status: 'FAILED_FINAL', retryCount: 3 });

      const attempts = await expectOk(store.uploads.listAttempts(pair.scope, upload?.id ?? ''));
      expect(
        attempts.map((attempt: UploadAttempt) => [
          attempt.attemptNumber,
          attempt.status,
          attempt.startedAt,
          attempt.finishedAt,
          attempt.errorMessage,
        ]),
      ).toEqual([
        [1, 'FAILED', timestamp(0), timestamp(1), 'failed at 0'],
        [2, 'FAILED', timestamp(10), timestamp(11), 'failed at 10'],
        [3, 'FAILED_FINAL', timestamp(20), timestamp(21), 'failed at 20'],
      ]);
    });

    it('lists due uploads: retries whose time has come and expired leases, earliest first', async () => {
      const store = context.store();
      const tenant = makeTenant();
      const pairs: Pair[] = [];
      for (let index = 0; index < 7; index += 1) {
        const video = makeVideo({ orgId: tenant.orgId });
        await expectOk(store.videos.insert(video));
        pairs.push({ ...tenant, videoId: video.id });
      }
      const [failedDue, failedLater, rateLimitedDue, expired, live, succeeded, final] = pairs as [
        Pair,
        Pair,
        Pair,
        Pair,
        Pair,
        Pair,
        Pair,
      ];
      await claimAndFail(store, failedDue, 0, { nextAttemptAt: timestamp(300) });
      await claimAndFail(store, failedLater, 0, { nextAttemptAt: timestamp(2000) });
      await claimAndFail(store, rateLimitedDue, 0, {
        status: 'RATE_LIMITED',
        nextAttemptAt: timestamp(200),
      });
      await claim(store, expired, { owner: 'worker-a', now: timestamp(0) });
      await claim(store, live, { owner: 'worker-a', now: timestamp(990) });
      const success = expectClaimed(
        await claim(store, succeeded, { owner: 'worker-a', now: timestamp(0) }),
      );
      await expectOk(
        store.uploads.complete(tenant.scope, {
          uploadId: success.upload.id,
          attemptId: success.attempt.id,
          owner: 'worker-a',
          now: timestamp(1),
          outcome: { status: 'SUCCESS', platformPostId: 'post' },
        }),
      );
      await claimAndFail(store, final, 0, { status: 'FAILED_FINAL', nextAttemptAt: null });

      const due = await expectOk(store.uploads.listDue(tenant.scope, { now: timestamp(1000) }));
      expect(due.map((upload) => upload.videoId)).toEqual([
        expired.videoId,
        rateLimitedDue.videoId,
        failedDue.videoId,
      ]);
      const first = await expectOk(
        store.uploads.listDue(tenant.scope, { now: timestamp(1000), limit: 1 }),
      );
      expect(first.map((upload) => upload.videoId)).toEqual([expired.videoId]);
      expect(
        await expectOk(store.uploads.listDue(makeTenant().scope, { now: timestamp(1000) })),
      ).toEqual([]);

      expect(
        (await expectOk(store.uploads.list(tenant.scope, { status: 'FAILED' })))
          .map((upload) => upload.videoId)
          .sort(),
      ).toEqual([failedDue.videoId, failedLater.videoId].sort());
      expect(await expectOk(store.uploads.list(tenant.scope))).toHaveLength(7);
      expect(await expectOk(store.uploads.list(tenant.scope, { limit: 2 }))).toHaveLength(2);
    });

    it('lists a video\u2019s uploads by platform, one row per platform', async () => {
      const store = context.store();
      const pair = await makePair(store);
      for (const platform of ['youtube', 'meta', 'tiktok']) {
        await claim(store, pair, { owner: 'worker-a', now: timestamp(0), platform });
      }
      const uploads = await expectOk(store.uploads.listByVideo(pair.scope, pair.videoId));
      expect(uploads.map((upload) => upload.platform)).toEqual(['meta', 'tiktok', 'youtube']);
      expect(
        (await expectOk(store.uploads.list(pair.scope, { platform: 'tiktok' }))).map(
          (upload) => upload.platform,
        ),
      ).toEqual(['tiktok']);
    });

    it('keeps uploads inside their org', async () => {
      const store = context.store();
      const pair = await makePair(store);
      const claimed = expectClaimed(
        await claim(store, pair, { owner: 'worker-a', now: timestamp(0) }),
      );
      const stranger = makeTenant().scope;
      const { id } = claimed.upload;

      await expectErrorCode(store.uploads.getById(stranger, id), 'NOT_FOUND');
      expect(await expectOk(store.uploads.get(stranger, pair.videoId, 'youtube'))).toBeNull();
      await expectErrorCode(store.uploads.listAttempts(stranger, id), 'NOT_FOUND');
      expect(await expectOk(store.uploads.listByVideo(stranger, pair.videoId))).toEqual([]);
      expect(await expectOk(store.uploads.list(stranger))).toEqual([]);
      expect(await expectOk(store.uploads.list({ ...stranger, allOrgs: true }))).toEqual([]);
      await expectErrorCode(
        store.uploads.complete(stranger, {
          uploadId: id,
          attemptId: claimed.attempt.id,
          owner: 'worker-a',
          now: timestamp(1),
          outcome: { status: 'SUCCESS', platformPostId: 'post' },
        }),
        'NOT_FOUND',
      );
      await expectErrorCode(
        store.uploads.renewLease(stranger, {
          uploadId: id,
          owner: 'worker-a',
          now: timestamp(1),
          leaseMs: LEASE_MS,
        }),
        'NOT_FOUND',
      );
      // Another org's video cannot be claimed, and an unknown one neither.
      await expectErrorCode(
        store.uploads.claim(
          stranger,
          claimInput(pair, { owner: 'worker-b', now: timestamp(120), platform: 'meta' }),
        ),
        'NOT_FOUND',
      );
      await expectErrorCode(
        store.uploads.claim(
          pair.scope,
          claimInput(
            { ...pair, videoId: uniqueId('video') },
            { owner: 'worker-b', now: timestamp(0) },
          ),
        ),
        'NOT_FOUND',
      );
      expect(await expectOk(store.uploads.getById(pair.scope, id))).toEqual(claimed.upload);
    });

    it('refuses invalid claim input with VALIDATION and writes nothing', async () => {
      const store = context.store();
      const pair = await makePair(store);
      await expectErrorCode(
        store.uploads.claim(pair.scope, claimInput(pair, { owner: 'w', now: 'not a time' })),
        'VALIDATION',
      );
      await expectErrorCode(
        store.uploads.claim(
          pair.scope,
          claimInput(pair, { owner: 'w', now: timestamp(0), leaseMs: 0 }),
        ),
        'VALIDATION',
      );
      await expectErrorCode(
        store.uploads.claim(
          pair.scope,
          claimInput(pair, { owner: 'w', now: timestamp(0), platform: "you'tube" }),
        ),
        'VALIDATION',
      );
      expect(await expectOk(store.uploads.listByVideo(pair.scope, pair.videoId))).toEqual([]);
    });

    it('rolls a claim back with its transaction', async () => {
      const store = context.store();
      const pair = await makePair(store);
      await expectErrorCode(
        store.transaction((tx) =>
          tx.uploads
            .claim(pair.scope, claimInput(pair, { owner: 'worker-a', now: timestamp(0) }))
            .andThen(() => tx.uploads.getById(pair.scope, uniqueId('missing'))),
        ),
        'NOT_FOUND',
      );
      expect(await expectOk(store.uploads.get(pair.scope, pair.videoId, 'youtube'))).toBeNull();
    });

    it('deletes a video\u2019s uploads with the video', async () => {
      const store = context.store();
      const pair = await makePair(store);
      const claimed = expectClaimed(
        await claim(store, pair, { owner: 'worker-a', now: timestamp(0) }),
      );
      await expectOk(store.videos.delete(pair.scope, pair.videoId));
      await expectErrorCode(store.uploads.getById(pair.scope, claimed.upload.id), 'NOT_FOUND');
    });
  });

  describe('audit events', () => {
    const makeEvent = (tenant: Tenant, fields: Partial<AuditEvent> = {}): AuditEvent => ({
      id: uniqueId('event'),
      at: timestamp(0),
      orgId: tenant.orgId,
      videoId: 'video-1',
      platform: 'youtube',
      status: 'IN_PROGRESS',
      uploadId: null,
      retryCount: 0,
      errorMessage: null,
      metadata: {},
      ...fields,
    });

    it('appends events and lists them oldest first, ties in insertion order', async () => {
      const store = context.store();
      const tenant = makeTenant();
      const late = makeEvent(tenant, { at: timestamp(10), status: 'SUCCESS' });
      const tieA = makeEvent(tenant, { at: timestamp(5), id: uniqueId('z-event') });
      const tieB = makeEvent(tenant, { at: timestamp(5), id: uniqueId('a-event') });
      const early = makeEvent(tenant, {
        at: timestamp(1),
        status: 'FAILED',
        uploadId: 'upload-1',
        retryCount: 2,
        errorMessage: 'quota',
        metadata: { attempt: 2, nested: { list: [1, 'two', null] } },
      });
      for (const event of [late, tieA, tieB, early]) {
        expect(await expectOk(store.auditEvents.append(event))).toEqual(event);
      }
      expect(await expectOk(store.auditEvents.list(tenant.scope))).toEqual([
        early,
        tieA,
        tieB,
        late,
      ]);
      expect(await expectOk(store.auditEvents.list(tenant.scope, { limit: 2 }))).toEqual([
        early,
        tieA,
      ]);
      await expectErrorCode(store.auditEvents.append({ ...early, status: 'SUCCESS' }), 'CONFLICT');
      expect(await expectOk(store.auditEvents.list(makeTenant().scope))).toEqual([]);
    });

    it('filters by video and platform', async () => {
      const store = context.store();
      const tenant = makeTenant();
      const events = [
        makeEvent(tenant, { videoId: 'video-1', platform: 'youtube', at: timestamp(1) }),
        makeEvent(tenant, { videoId: 'video-1', platform: 'tiktok', at: timestamp(2) }),
        makeEvent(tenant, { videoId: 'video-2', platform: 'youtube', at: timestamp(3) }),
      ];
      for (const event of events) await expectOk(store.auditEvents.append(event));
      expect(await expectOk(store.auditEvents.list(tenant.scope, { videoId: 'video-1' }))).toEqual([
        events[0],
        events[1],
      ]);
      expect(
        await expectOk(
          store.auditEvents.list(tenant.scope, { videoId: 'video-1', platform: 'youtube' }),
        ),
      ).toEqual([events[0]]);
    });

    it('keeps hostile strings in messages and metadata', async () => {
      const store = context.store();
      const tenant = makeTenant();
      const events = HOSTILE_STRINGS.map((text, index) =>
        makeEvent(tenant, {
          at: timestamp(index),
          errorMessage: text,
          metadata: { text, [text]: [text] },
        }),
      );
      for (const event of events) await expectOk(store.auditEvents.append(event));
      expect(await expectOk(store.auditEvents.list(tenant.scope))).toEqual(events);
    });
  });
}
