import type { JobInfo, JobQueue } from '@vbuckets/core/adapter-kit';
import { Redis } from 'ioredis';
import { type BullMqJobQueueSettings, createBullMqJobQueue } from '../src/index';

/** The test Redis: `REDIS_URL`, or the local server. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test (or run) uses. */
export function uniquePrefix(label: string): string {
  return `vbuckets-test:${label}:${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Every key under `prefix`, and with `remove` deletes them. */
async function scanKeys(prefix: string, remove: boolean): Promise<string[]> {
  const client = new Redis(REDIS_URL);
  const found: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      found.push(...keys);
      if (remove && keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
  return found.sort();
}

/** Every key under `prefix`. */
export const keysUnder = (prefix: string) => scanKeys(prefix, false);

/** Deletes every key under `prefix`. */
export async function deleteKeys(prefix: string): Promise<void> {
  await scanKeys(prefix, true);
}

/** Queues on one test prefix, closed and wiped by `cleanup`. */
export function bullMqFixture(label: string, settings: BullMqJobQueueSettings = {}) {
  const prefix = uniquePrefix(label);
  const opened: JobQueue[] = [];
  return {
    prefix,
    createQueue(extra: BullMqJobQueueSettings = {}): JobQueue {
      const queue = createBullMqJobQueue({ redisUrl: REDIS_URL, prefix, ...settings, ...extra });
      opened.push(queue);
      return queue;
    },
    async cleanup() {
      for (const queue of opened.splice(0)) await queue.close();
      await deleteKeys(prefix);
    },
  };
}

/** Room for a busy machine: how long a test waits for something the engine must do. */
export const PATIENCE_MS = 60_000;

/** Resolves when `condition` holds (checked every 25 ms); fails after PATIENCE_MS naming `what`. */
export async function eventually(
  condition: () => Promise<boolean> | boolean,
  what: string,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > PATIENCE_MS) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until `get` reports the job in `state`, and returns it. */
export async function waitForJobState(
  queue: JobQueue,
  kind: string,
  id: string,
  state: JobInfo['state'],
): Promise<JobInfo> {
  let last: JobInfo | undefined;
  await eventually(async () => {
    const job = await queue.get(kind, id);
    if (job.isOk()) last = job.value;
    return last?.state === state;
  }, `job ${kind}/${id} to be ${state}`);
  return last as JobInfo;
}

/** A promise with its resolve at hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** A kind no other test uses. */
export function uniqueKind(label: string): string {
  return `test.k${Math.random().toString(36).slice(2, 10)}.${label}`;
}
