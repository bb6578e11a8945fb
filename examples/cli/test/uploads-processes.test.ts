// Issue 5: the uploads service never double-posts, across real OS processes sharing one store.

import { randomUUID } from 'node:crypto';
import { expectOk, makeTenant, startFakeYouTubeServer } from '@vbuckets/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli } from './built-cli';
import {
  openSharedWorld,
  releaseTogether,
  type Settled,
  type StoreKind,
  startWorker,
  videoBytes,
  type Worker,
} from './fixtures/upload-processes';

const PROCESSES = 4;
const CALLS_PER_PROCESS = 50;
const TOTAL_CALLS = PROCESSES * CALLS_PER_PROCESS;
/** Calls of one more process, started after the post. */
const LATE_CALLS = 20;
const KIB256 = 256 * 1024;

beforeAll(ensureBuiltCli, 240_000);

/**
 * `fresh`: no row yet, so the claims race to insert it. `orphaned`: the row is IN_PROGRESS with
 * the lease of a worker that died long ago, so the claims race to reclaim one existing row
 * (what the row lock of the claim, not the unique key, must serialize).
 */
type Start = 'fresh' | 'orphaned';

describe.each<StoreKind>(['sqlite', 'postgres'])('uploads across processes on %s', (kind) => {
  it.each<Start>(['fresh', 'orphaned'])(
    `${TOTAL_CALLS} concurrent uploads of one (video, platform) in ${PROCESSES} processes, %s row → exactly one platform call`,
    async (start) => {
      const world = await openSharedWorld(kind);
      const youtube = await startFakeYouTubeServer();
      const workers: Worker[] = [];
      try {
        const { orgId, scope } = makeTenant();
        const bytes = videoBytes(2 * KIB256 + 1000);
        const { video } = await expectOk(
          world.vb.videos.register(scope, {
            filename: 'race.mp4',
            body: () => bytes,
            ownerId: 'owner-race',
            mimeType: 'video/mp4',
          }),
        );

        const orphan =
          start === 'orphaned'
            ? await expectOk(
                world.store.uploads.claim(scope, {
                  videoId: video.id,
                  platform: 'youtube',
                  owner: 'crashed-worker',
                  now: new Date(Date.now() - 60_000).toISOString(),
                  leaseMs: 1_000,
                  duplicateAllowed: false,
                  uploadId: randomUUID(),
                  attemptId: randomUUID(),
                }),
              )
            : undefined;
        if (orphan !== undefined && !orphan.claimed) throw new Error('the orphan was not claimed');

        // The winner's session start is held until every other call has been refused, so each
        // refusal meets the live claim (not a SUCCESS row) and the outcome does not hang on timing.
        let releaseStart = () => {};
        youtube.script({
          route: 'start',
          failure: {
            kind: 'hold',
            until: new Promise<void>((resolve) => {
              releaseStart = resolve;
            }),
          },
        });
        let settled = 0;
        const onSettled = () => {
          settled += 1;
          if (settled >= TOTAL_CALLS - 1) releaseStart();
        };
        for (let index = 0; index < PROCESSES; index++) {
          const worker = startWorker(
            {
              store: world.where,
              blobRoot: world.blobRoot,
              baseUrl: youtube.baseUrl,
              orgId,
              videoId: video.id,
              worker: `race-${index}`,
              leaseMs: 60_000,
              chunkBytes: KIB256,
              calls: CALLS_PER_PROCESS,
              waitForGo: true,
            },
            (event) => {
              if (event.event === 'settled') onSettled();
            },
          );
          workers.push(worker);
          // A worker that crashes must not leave the winner held forever (the test then fails).
          worker.done.catch(releaseStart);
        }
        await releaseTogether(workers);
        const results: Settled[] = (await Promise.all(workers.map((worker) => worker.done))).flat();

        // Every call answered: one posted, every other was refused by the live claim.
        expect(results).toHaveLength(TOTAL_CALLS);
        const succeeded = results.filter((result) => result.ok);
        const refused = results.filter((result) => !result.ok);
        expect(succeeded).toHaveLength(1);
        expect(refused.map((result) => [result.error.code, result.error.refusal])).toEqual(
          Array(TOTAL_CALLS - 1).fill(['DUPLICATE_UPLOAD', 'in-progress']),
        );
        const [winner] = succeeded;
        if (winner === undefined || !winner.ok) throw new Error('no winner');
        expect(winner.upload?.status).toBe('SUCCESS');

        // The platform saw one session and one finished video, with the file's bytes.
        const requests = youtube.requests;
        expect(requests.filter((request) => request.route === 'start')).toHaveLength(1);
        expect(youtube.sessions.size).toBe(1);
        expect(youtube.videos.size).toBe(1);
        const [posted] = [...youtube.videos.values()];
        expect(Buffer.from(posted?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
        expect(winner.upload?.platformPostId).toBe(posted?.id);
        // Every request to the platform came from the winner's process.
        const winnerProcess = winner.owner.replace(/-call-\d+$/u, '');
        expect(new Set(requests.map((request) => request.headers['x-vbuckets-worker']))).toEqual(
          new Set([winnerProcess]),
        );

        // The store: one row, SUCCESS with the post id, one attempt, and its audit trail.
        const rows = await expectOk(world.store.uploads.list(scope));
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          videoId: video.id,
          platform: 'youtube',
          status: 'SUCCESS',
          platformPostId: posted?.id,
          leaseOwner: null,
          checkpoint: null,
        });
        const attempts = await expectOk(world.store.uploads.listAttempts(scope, rows[0]?.id ?? ''));
        const won = { owner: winner.owner, status: 'SUCCESS', platformPostId: posted?.id };
        expect(
          attempts.map(({ attemptNumber, owner, status, platformPostId, errorMessage }) => ({
            attemptNumber,
            owner,
            status,
            platformPostId,
            errorMessage,
          })),
        ).toEqual(
          orphan === undefined
            ? [{ attemptNumber: 1, ...won, errorMessage: null }]
            : [
                {
                  attemptNumber: 1,
                  owner: 'crashed-worker',
                  status: 'FAILED',
                  platformPostId: null,
                  errorMessage: `lease expired; reclaimed by ${winner.owner}`,
                },
                { attemptNumber: 2, ...won, errorMessage: null },
              ],
        );
        if (orphan?.claimed) expect(rows[0]?.id).toBe(orphan.upload.id);
        // The service audits its claims and completions (the orphan was claimed on the store).
        const audit = await expectOk(world.store.auditEvents.list(scope, { videoId: video.id }));
        expect(audit.map((event) => [event.status, event.uploadId])).toEqual([
          ['IN_PROGRESS', rows[0]?.id],
          ['SUCCESS', rows[0]?.id],
        ]);

        // Late callers, after the post: refused without a platform call, each as 'already-uploaded';
        // the row stays SUCCESS with its post id, and each refusal is a BLOCKED audit event.
        const requestsBefore = youtube.requests.length;
        const late = startWorker({
          store: world.where,
          blobRoot: world.blobRoot,
          baseUrl: youtube.baseUrl,
          orgId,
          videoId: video.id,
          worker: 'late',
          leaseMs: 60_000,
          chunkBytes: KIB256,
          calls: LATE_CALLS,
        });
        workers.push(late);
        const lateResults = await late.done;
        expect(lateResults.map((result) => (result.ok ? 'posted' : result.error.code))).toEqual(
          Array(LATE_CALLS).fill('DUPLICATE_UPLOAD'),
        );
        expect(lateResults.map((result) => (result.ok ? null : result.error.refusal))).toEqual(
          Array(LATE_CALLS).fill('already-uploaded'),
        );
        expect(youtube.requests).toHaveLength(requestsBefore);
        expect(youtube.videos.size).toBe(1);
        const after = await expectOk(world.store.uploads.get(scope, video.id, 'youtube'));
        expect(after).toMatchObject({ status: 'SUCCESS', platformPostId: posted?.id });
        const trail = await expectOk(world.store.auditEvents.list(scope, { videoId: video.id }));
        expect(trail.map((event) => event.status)).toEqual([
          'IN_PROGRESS',
          'SUCCESS',
          ...Array(LATE_CALLS).fill('BLOCKED'),
        ]);
        expect(
          await expectOk(world.store.uploads.listAttempts(scope, after?.id ?? '')),
        ).toHaveLength(attempts.length);
      } finally {
        for (const worker of workers) worker.process.kill('SIGKILL');
        await Promise.all(workers.map((worker) => worker.exited));
        await youtube.close();
        await world.dispose();
      }
    },
    90_000,
  );
});
