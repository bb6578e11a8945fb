import type { JobProcessor, JobQueue, JobRun, JobWorker } from '@vbuckets/core/adapter-kit';
import { expect } from 'vitest';
import { expectOk } from './result-assertions';

export interface JobQueueConformanceOptions {
  /** Shown in the suite's title, e.g. `embedded (sqlite)` or `bullmq`. */
  name: string;
  /**
   * A queue on the suite's backend. Called more than once: every queue it returns must share
   * one backend (as two processes would), so that a job enqueued on one is seen by the other.
   * The cases use kinds of their own, so a backend shared with other suites works.
   */
  createQueue: () => Promise<JobQueue> | JobQueue;
  /** Called once after the cases (drop a schema, delete a key prefix). */
  cleanup?: () => Promise<void>;
}

/** A promise with its resolve at hand. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** How long a case waits for something the engine must do before it gives up: room for a busy machine. */
export const PATIENCE_MS = 60_000;

/** Resolves when `condition` holds, checking every 20 ms; fails after PATIENCE_MS naming `what`. */
export async function eventually(condition: () => Promise<boolean> | boolean, what: string) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > PATIENCE_MS) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A kind no other case (or run) uses. */
export function uniqueKind(label: string): string {
  return `conformance.k${Math.random().toString(36).slice(2, 10)}.${label}`;
}

/** Runs that a processor saw, and a way to wait for N of them. */
export function recorder() {
  const runs: JobRun[] = [];
  const waiters: Array<{ count: number; done: Deferred }> = [];
  return {
    runs,
    record(run: JobRun) {
      runs.push(run);
      for (const waiter of waiters) if (runs.length >= waiter.count) waiter.done.resolve();
    },
    /** Resolves once `count` runs were recorded. */
    async waitFor(count: number, what = `${count} runs`) {
      if (runs.length >= count) return;
      const done = deferred();
      waiters.push({ count, done });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Timed out waiting for ${what} (saw ${runs.length})`)),
          PATIENCE_MS,
        );
      });
      try {
        await Promise.race([done.promise, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Starts a worker and fails the case when the engine refuses it. */
export function startWorker(
  queue: JobQueue,
  processor: JobProcessor,
  kinds: readonly string[],
  concurrency = 1,
): JobWorker {
  const worker = queue.work(processor, { kinds, concurrency });
  if (worker.isErr()) throw new Error(`work() failed: ${worker.error.message}`);
  return worker.value;
}

/** Waits until the job reaches `state` (as `get` reports it) and returns it. */
export async function waitForState(
  queue: JobQueue,
  kind: string,
  id: string,
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed',
) {
  await eventually(async () => {
    const job = await queue.get(kind, id);
    return job.isOk() && job.value.state === state;
  }, `job ${kind}/${id} to be ${state}`);
  return expectOk(queue.get(kind, id));
}

/** The count of `kind` jobs in `state`, 0 when the engine lists none. */
export async function countOf(queue: JobQueue, kind: string, state: string): Promise<number> {
  const counts = await expectOk(queue.counts());
  return counts.find((each) => each.kind === kind && each.state === state)?.count ?? 0;
}

export function expectNoDuplicates(ids: readonly string[]) {
  expect(new Set(ids).size).toBe(ids.length);
}
