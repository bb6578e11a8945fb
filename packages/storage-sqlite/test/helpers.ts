import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll } from 'vitest';
import { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from '../src/index';

/** A temporary directory for this test file, removed after it. */
export function useTemporaryDirectory(): (name: string) => string {
  const directory = mkdtempSync(join(tmpdir(), 'vbuckets-sqlite-test-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  let counter = 0;
  return (name) => {
    counter += 1;
    return join(directory, `${counter}-${name}`);
  };
}

/** Opens a store or fails the test with the error. */
export async function openStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const result = await createSqliteStore(options);
  if (result.isErr()) throw result.error;
  return result.value;
}

/**
 * Another connection on its own thread takes the write lock of `path` and holds it: what a
 * second process writing to the same file looks like. Resolves once the lock is held.
 */
export async function holdWriteLock(
  path: string,
  holdMs: number,
): Promise<{ released: Promise<void> }> {
  const worker = new Worker(new URL('./fixtures/hold-write-lock.mjs', import.meta.url), {
    workerData: { path, holdMs },
  });
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message) => {
      if (message === 'locked') resolve();
      if (message === 'released') release();
    });
  });
  return { released: released.then(() => worker.terminate().then(() => undefined)) };
}
