// Issue 10: `vbuckets videos add race.mp4 & vbuckets videos add race.mp4` registered the same
// content twice. The store's unique content key decides, across real OS processes.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectOk, makeTenant } from '@vbuckets/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli } from './built-cli';
import {
  openSharedWorld,
  releaseTogether,
  type StoreKind,
  startChild,
  videoBytes,
  type Worker,
} from './fixtures/upload-processes';

const script = fileURLToPath(new URL('./fixtures/register-worker.mjs', import.meta.url));
const PROCESSES = 4;
const CALLS_PER_PROCESS = 50;

type Registered =
  | { ok: true; owner: string; videoId: string; created: boolean }
  | { ok: false; owner: string; error: { code: string; message: string } };

beforeAll(ensureBuiltCli, 240_000);

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe.each<StoreKind>(['sqlite', 'postgres'])(
  'video registration across processes on %s',
  (kind) => {
    it(`${PROCESSES * CALLS_PER_PROCESS} concurrent registrations of one file in ${PROCESSES} processes → one video, every caller told which`, async () => {
      const world = await openSharedWorld(kind);
      const dir = mkdtempSync(join(tmpdir(), 'vbuckets-register-race-'));
      const workers: Worker[] = [];
      try {
        const { orgId, scope } = makeTenant();
        const filePath = join(dir, 'race.mp4');
        writeFileSync(filePath, videoBytes(300_000));
        for (let index = 0; index < PROCESSES; index++) {
          workers.push(
            startChild(script, {
              store: world.where,
              blobRoot: world.blobRoot,
              orgId,
              worker: `register-${index}`,
              filePath,
              calls: CALLS_PER_PROCESS,
              waitForGo: true,
            }),
          );
        }
        await releaseTogether(workers);
        const results = (
          await Promise.all(workers.map((worker) => worker.done))
        ).flat() as unknown as Registered[];

        expect(results).toHaveLength(PROCESSES * CALLS_PER_PROCESS);
        expect(results.filter((result) => !result.ok)).toEqual([]);
        const ok = results.filter((result) => result.ok);
        expect(ok.filter((result) => result.created)).toHaveLength(1);
        const videos = await expectOk(world.vb.videos.list(scope));
        expect(videos).toHaveLength(1);
        expect(new Set(ok.map((result) => result.videoId))).toEqual(new Set([videos[0]?.id]));
        // Every loser deleted the copy it had stored: one blob (and its metadata sidecar) is left.
        const files = filesUnder(world.blobRoot);
        expect(files.filter((file) => !file.includes('.vbuckets'))).toHaveLength(1);
        expect(files.filter((file) => file.endsWith('.json'))).toHaveLength(1);
      } finally {
        await Promise.all(workers.map((worker) => worker.exited));
        rmSync(dir, { recursive: true, force: true });
        await world.dispose();
      }
    }, 240_000);
  },
);
