import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStoreJobQueue, type JobQueue } from '@vbuckets/core';
import { buildPackagesIfStale, expectOk, uniqueJobKind } from '@vbuckets/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore, useTemporaryDirectory } from './helpers';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = join(packageDir, '..', '..');
const temporaryPath = useTemporaryDirectory();
/** Room for a busy 2-core machine; the cases wait on events, never on a duration. */
const PATIENCE_MS = 120_000;

/** The children import the built packages: this one and, through it, storage-sql and core. */
const buildIfStale = () =>
  buildPackagesIfStale({
    repositoryRoot,
    target: 'storage-sqlite',
    packages: ['core', 'storage-sql', 'storage-sqlite'],
  });

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves when the child printed this line (e.g. `ready`, `running <id>`). */
  said(line: string): Promise<void>;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

function startChild(settings: Record<string, unknown>): Child {
  const child = spawn(process.execPath, [join(packageDir, 'test', 'fixtures', 'job-worker.mjs')], {
    env: { ...process.env, VBUCKETS_CHILD: JSON.stringify(settings) },
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of [...listeners]) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    process: child,
    stderr: () => stderr,
    said: (line) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!stdout.split('\n').includes(line)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        void exited.then((status) =>
          reject(new Error(`the worker exited (${status}) before "${line}":\n${stderr}`)),
        );
      }),
    exited,
  };
}

async function stop(child: Child): Promise<void> {
  child.process.stdin.write('stop\n');
  expect(await child.exited, child.stderr()).toBe(0);
}

/** Resolves when `condition` holds, checking every 50 ms, failing after PATIENCE_MS. */
async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > PATIENCE_MS) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readRuns(path: string): Array<{ id: string; child: number; attempt: number }> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { id: string; child: number; attempt: number });
}

async function completedOf(queue: JobQueue, kind: string): Promise<number> {
  const counts = await expectOk(queue.counts());
  return counts.find((each) => each.kind === kind && each.state === 'completed')?.count ?? 0;
}

/** A fresh database file with a queue (no workers) on it, and an empty runs log. */
async function setUp(name: string) {
  const path = temporaryPath(`${name}.db`);
  const runsLog = temporaryPath(`${name}-runs.log`);
  writeFileSync(runsLog, '');
  const store = await openStore({ path });
  const queue = createStoreJobQueue(store);
  const close = async () => {
    await queue.close();
    await store.close();
  };
  return { path, runsLog, kind: uniqueJobKind(), queue, close };
}

describe('the embedded job queue across processes (SQLite)', () => {
  beforeAll(buildIfStale, 300_000);

  it(
    'runs each of 200 jobs exactly once with 3 worker processes on one file',
    async () => {
      const { path, runsLog, kind, queue, close } = await setUp('jobs');
      const ids = Array.from({ length: 200 }, (_, index) => `job-${index}`);
      for (const id of ids) await expectOk(queue.enqueue(kind, { id }, { jobId: id }));

      const children = [0, 1, 2].map((child) =>
        startChild({ path, runsLog, kind, leaseMs: 30_000, child }),
      );
      await Promise.all(children.map((child) => child.said('ready')));
      await eventually(async () => (await completedOf(queue, kind)) === 200, '200 completed jobs');
      await Promise.all(children.map(stop));

      const runs = readRuns(runsLog);
      expect(runs.map((run) => run.id).sort()).toEqual([...ids].sort());
      expect(runs.every((run) => run.attempt === 1)).toBe(true);
      await close();
    },
    PATIENCE_MS * 2,
  );

  it(
    'finishes in another process a job whose worker was killed mid-run, as attempt 2',
    async () => {
      const { path, runsLog, kind, queue, close } = await setUp('killed');
      await expectOk(queue.enqueue(kind, {}, { jobId: 'hang-me' }));

      const doomed = startChild({
        path,
        runsLog,
        kind,
        leaseMs: 1500,
        hangOn: 'hang-me',
        child: 0,
      });
      await doomed.said('running hang-me');
      doomed.process.kill('SIGKILL');
      await doomed.exited;
      expect((await expectOk(queue.get(kind, 'hang-me'))).state).toBe('active');

      const survivor = startChild({ path, runsLog, kind, leaseMs: 1500, child: 1 });
      await eventually(
        async () => (await expectOk(queue.get(kind, 'hang-me'))).state === 'completed',
        'the killed job to complete',
      );
      await stop(survivor);

      expect(await expectOk(queue.get(kind, 'hang-me'))).toMatchObject({
        state: 'completed',
        attemptsMade: 2,
      });
      expect(readRuns(runsLog)).toEqual([
        { id: 'hang-me', child: 0, attempt: 1 },
        { id: 'hang-me', child: 1, attempt: 2 },
      ]);
      await close();
    },
    PATIENCE_MS * 2,
  );
});
