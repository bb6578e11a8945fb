import type { VBucketsError } from '@vbuckets/core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { safeReporter, toStorageError } from './bullmq-error';
import type { ResolvedBullMqSettings } from './bullmq-settings';

/**
 * What the parts of one BullMQ job queue share: the Redis client, one BullMQ `Queue` per job
 * kind (workers cannot filter a queue by job name), and the registries of kinds and schedules
 * under the prefix (`$` cannot occur in a kind, so these keys never meet a queue's).
 */
export interface BullMqContext {
  readonly settings: ResolvedBullMqSettings;
  /** The client of producers and listings; workers run on duplicates of it. */
  readonly client: Redis;
  /** The set of every kind that ever had a job or a schedule. */
  readonly kindsKey: string;
  /** The hash of schedule name → kind. */
  readonly schedulesKey: string;
  /**
   * Adds a kind to the registry of kinds, once per kind for this queue: the registry only
   * grows, so later enqueues of the kind skip the round trip (a failed add is tried again).
   * Answers `undefined` once the kind is known to be registered, so callers need not wait.
   */
  registerKind(kind: string): Promise<void> | undefined;
  /** The BullMQ queue of a kind, made on first use. */
  queueOf(kind: string): Queue;
  /** Reports an engine failure no call answers. */
  report(error: VBucketsError): void;
  /** Closes the queues, and the client when this context made it. */
  close(): Promise<void>;
}

/** Opens the shared parts: the given client, or a new one on `redisUrl`. */
export function createBullMqContext(settings: ResolvedBullMqSettings): BullMqContext {
  const report = safeReporter(settings.onError);
  const ownsClient = settings.connection === undefined;
  const client = settings.connection ?? new Redis(settings.redisUrl, { lazyConnect: false });
  // ioredis throws an 'error' event without listeners; reconnects are its own business.
  const onClientError = (error: unknown) => report(toStorageError(error, 'connection'));
  client.on('error', onClientError);
  const queues = new Map<string, Queue>();
  const registered = new Map<string, Promise<void>>();
  const done = new Set<string>();
  const kindsKey = `${settings.prefix}:$kinds`;

  return {
    settings,
    client,
    kindsKey,
    schedulesKey: `${settings.prefix}:$schedules`,
    report,
    registerKind(kind) {
      if (done.has(kind)) return undefined;
      let registering = registered.get(kind);
      if (registering === undefined) {
        registering = client.sadd(kindsKey, kind).then(() => {
          done.add(kind);
        });
        registering.catch(() => registered.delete(kind));
        registered.set(kind, registering);
      }
      return registering;
    },
    queueOf(kind) {
      let queue = queues.get(kind);
      if (queue === undefined) {
        queue = new Queue(kind, { connection: client, prefix: settings.prefix });
        queue.on('error', (error: unknown) => report(toStorageError(error, 'queue')));
        queues.set(kind, queue);
      }
      return queue;
    },
    async close() {
      const open = [...queues.values()];
      queues.clear();
      await Promise.allSettled(open.map((queue) => queue.close()));
      if (ownsClient) {
        await client.quit().catch(() => client.disconnect());
      }
      client.off('error', onClientError);
    },
  };
}
