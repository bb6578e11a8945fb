import { errAsync } from 'neverthrow';
import { createVBuckets, type VBucketsOptions } from '../../../src/create-vbuckets';
import { storageError } from '../../../src/errors';
import type { TaskCreateInput } from '../../../src/services/tasks/tasks-types';
import {
  createFakePlatformUploader,
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
  type MemoryBlobStore,
} from '../../../src/testing/index';

export const acme = { orgId: 'acme' };
export const globex = { orgId: 'globex' };
export const START = '2026-03-01T10:00:00.000Z';

/** Seed 002's example task. */
export const summerVibes: TaskCreateInput = {
  id: 'task_abc123',
  userId: 'user_1',
  projectName: 'Summer Vibes 2025',
  songTitle: 'Electric Dreams',
  musicFile: 'https://drive.google.com/file/123',
  genre: 'Electronic',
  bpm: 128,
  engine: 'runway_gen3',
  prompt: 'Cinematic neon city at night',
};

/** A memory blob store whose deletes fail while `failDeletes` is true. */
export function createFlakyBlobStore(): MemoryBlobStore & { failDeletes: boolean } {
  const blobs = createMemoryBlobStore();
  const flaky = {
    ...blobs,
    failDeletes: false,
    delete: (key: string) =>
      flaky.failDeletes
        ? errAsync(storageError(`[memory] delete of ${key} failed`, { retryable: true }))
        : blobs.delete(key),
  };
  return flaky;
}

export function setup(options: Partial<VBucketsOptions> & { blobs?: MemoryBlobStore } = {}) {
  const store = options.store ?? createMemoryStore();
  const blobs = options.blobs ?? createMemoryBlobStore();
  const clock = createManualClock(START);
  const uploader = createFakePlatformUploader({
    platform: 'youtube',
    fallback: { platformPostId: 'yt-1' },
  });
  const tiktok = createFakePlatformUploader({
    platform: 'tiktok',
    fallback: { platformPostId: 'tt-1' },
  });
  const warnings: string[] = [];
  const vb = createVBuckets({
    clock,
    ids: createSequentialIdGenerator('id'),
    uploaders: [uploader, tiktok],
    onWarning: (warning) => warnings.push(warning.message),
    ...options,
    store,
    blobs,
  })._unsafeUnwrap();
  return { vb, store, blobs, clock, uploader, tiktok, warnings };
}
