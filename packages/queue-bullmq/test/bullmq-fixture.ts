import type { JobQueue } from '@vbuckets/core/adapter-kit';
import { Redis } from 'ioredis';
import { type BullMqJobQueueSettings, createBullMqJobQueue } from '../src/index';

/** The test Redis: `REDIS_URL`, or the local server. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test (or run) uses. */
export function uniquePrefix(label: string): string {
  return `vbuckets-test:${label}:${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
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
