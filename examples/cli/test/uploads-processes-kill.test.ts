// Issue 5: a worker process killed mid-upload loses nothing and posts nothing twice — its lease
// runs out, another process reclaims the row and resumes the platform session from the checkpoint.

import { expectOk, makeTenant, startFakeYouTubeServer } from '@vbuckets/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli } from './built-cli';
import {
  openSharedWorld,
  type StoreKind,
  startWorker,
  videoBytes,
  type Worker,
  waitFor,
} from './fixtures/upload-processes';

const KIB256 = 256 * 1024;
const CHUNK_BYTES = KIB256;
const SIZE = 3 * 1024 * 1024 + 12_345;
/** The first worker's PUT that starts here hangs: four chunks were accepted before it. */
const HELD_AT = 4 * CHUNK_BYTES;
const LEASE_MS = 1_500;

beforeAll(ensureBuiltCli, 240_000);

// The resuming worker enters through `upload` on one store and through `runDue` on the other.
describe.each<[StoreKind, 'upload' | 'runDue']>([
  ['sqlite', 'runDue'],
  ['postgres', 'upload'],
])('a worker killed mid-upload on %s (resumed by %s)', (kind, entry) => {
  it('lets its lease expire; another process resumes from the checkpoint and posts once', async () => {
    const world = await openSharedWorld(kind);
    const youtube = await startFakeYouTubeServer();
    const workers: Worker[] = [];
    try {
      const { orgId, scope } = makeTenant();
      const bytes = videoBytes(SIZE);
      const { video } = await expectOk(
        world.vb.videos.register(scope, {
          filename: 'long-take.mp4',
          body: () => bytes,
          ownerId: 'owner-kill',
          mimeType: 'video/mp4',
        }),
      );
      const common = {
        store: world.where,
        blobRoot: world.blobRoot,
        baseUrl: youtube.baseUrl,
        orgId,
        videoId: video.id,
        leaseMs: LEASE_MS,
        chunkBytes: CHUNK_BYTES,
      };
      // The fifth chunk never gets an answer: the first worker hangs in the middle of its PUT.
      youtube.script({ route: 'chunk', fromOffset: HELD_AT, failure: { kind: 'hold' } });

      const first = startWorker({ ...common, worker: 'first' });
      workers.push(first);
      const checkpointed = await waitFor(
        'the checkpoint of four chunks',
        async () => {
          if (first.process.exitCode !== null) throw new Error(first.output());
          const row = await expectOk(world.store.uploads.get(scope, video.id, 'youtube'));
          return row?.checkpoint?.offset === HELD_AT ? row : undefined;
        },
        45_000,
      );
      await waitFor(
        'the held PUT',
        () =>
          youtube.requests.some(
            (request) =>
              request.route === 'chunk' &&
              request.headers['content-range']?.startsWith(`bytes ${HELD_AT}-`),
          )
            ? true
            : undefined,
        45_000,
      );
      expect(checkpointed).toMatchObject({ status: 'IN_PROGRESS', leaseOwner: 'first' });
      const [session] = [...youtube.sessions.values()];
      expect(checkpointed.checkpoint).toEqual({ sessionId: session?.uri, offset: HELD_AT });

      first.process.kill('SIGKILL');
      await first.exited;
      expect(first.process.signalCode).toBe('SIGKILL');

      // The dead worker's row: still IN_PROGRESS, its lease running out (no one renews it).
      const orphan = await expectOk(world.store.uploads.get(scope, video.id, 'youtube'));
      expect(orphan).toMatchObject({
        status: 'IN_PROGRESS',
        leaseOwner: 'first',
        checkpoint: { sessionId: session?.uri, offset: HELD_AT },
      });
      const expiresAt = Date.parse(orphan?.leaseExpiresAt ?? '');
      expect(Number.isNaN(expiresAt)).toBe(false);
      await waitFor(
        'the lease to expire',
        () => (Date.now() > expiresAt + 50 ? true : undefined),
        LEASE_MS * 4,
      );

      const second = startWorker({ ...common, worker: 'second', entry });
      workers.push(second);
      const [result] = await second.done;
      expect(result?.ok).toBe(true);
      if (!result?.ok) throw new Error(second.output());

      // The platform: one session, never restarted; the second worker asked where it stood
      // and sent from the checkpoint on; one video with exactly the file's bytes.
      expect(youtube.requests.filter((request) => request.route === 'start')).toHaveLength(1);
      expect(youtube.sessions.size).toBe(1);
      const resumed = youtube.requests.filter(
        (request) => request.headers['x-vbuckets-worker'] === 'second',
      );
      expect(resumed.map((request) => request.route)[0]).toBe('status');
      expect(new Set(resumed.map((request) => request.sessionId))).toEqual(new Set([session?.id]));
      const resumedChunks = resumed.filter((request) => request.route === 'chunk');
      expect(resumedChunks[0]?.headers['content-range']).toBe(
        `bytes ${HELD_AT}-${HELD_AT + CHUNK_BYTES - 1}/${SIZE}`,
      );
      expect(resumedChunks).toHaveLength(Math.ceil((SIZE - HELD_AT) / CHUNK_BYTES));
      expect(youtube.videos.size).toBe(1);
      const [posted] = [...youtube.videos.values()];
      expect(posted?.sessionId).toBe(session?.id);
      expect(Buffer.from(posted?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
      expect(youtube.acceptedBytes()).toBe(SIZE);

      // The store: SUCCESS with the post id; two attempts, the killed one closed by the reclaim.
      const row = await expectOk(world.store.uploads.get(scope, video.id, 'youtube'));
      expect(row).toMatchObject({
        status: 'SUCCESS',
        platformPostId: posted?.id,
        leaseOwner: null,
        checkpoint: null,
      });
      expect(result.upload).toMatchObject({ id: row?.id, status: 'SUCCESS' });
      const attempts = await expectOk(world.store.uploads.listAttempts(scope, row?.id ?? ''));
      expect(
        attempts.map(({ attemptNumber, owner, status, errorMessage, platformPostId }) => ({
          attemptNumber,
          owner,
          status,
          errorMessage,
          platformPostId,
        })),
      ).toEqual([
        {
          attemptNumber: 1,
          owner: 'first',
          status: 'FAILED',
          errorMessage: 'lease expired; reclaimed by second',
          platformPostId: null,
        },
        {
          attemptNumber: 2,
          owner: 'second',
          status: 'SUCCESS',
          errorMessage: null,
          platformPostId: posted?.id,
        },
      ]);
      expect(Date.parse(attempts[0]?.finishedAt ?? '')).toBeGreaterThanOrEqual(expiresAt);

      // The audit trail: the first claim, the reclaim, the success — all of the same row.
      const audit = await expectOk(world.store.auditEvents.list(scope, { videoId: video.id }));
      expect(audit.map((event) => [event.status, event.uploadId])).toEqual([
        ['IN_PROGRESS', row?.id],
        ['IN_PROGRESS', row?.id],
        ['SUCCESS', row?.id],
      ]);
      expect(audit[2]?.errorMessage).toBeNull();
    } finally {
      for (const worker of workers) worker.process.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      await youtube.close();
      await world.dispose();
    }
  }, 120_000);
});
