import { createVBuckets, type VBucketsOptions } from '../../../src/create-vbuckets';
import type { Store } from '../../../src/ports/store';
import type { Scope } from '../../../src/schemas/common';
import type { SocialUsageInput } from '../../../src/services/segments/segments-types';
import {
  createFakePlatformUploader,
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
  type MemoryBlobStore,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

export const acme = { orgId: 'acme' };
export const globex = { orgId: 'globex' };
export const START = '2026-04-01T09:00:00.000Z';

export const bytes = (...values: number[]) => new Uint8Array(values);

/** The SDK on the memory store, with a presigning blob store and a sleep that moves the clock. */
export function setup(
  options: Partial<VBucketsOptions> & { blobs?: MemoryBlobStore; store?: Store } = {},
) {
  const clock = createManualClock(START);
  const store = options.store ?? createMemoryStore();
  const blobs =
    options.blobs ??
    createMemoryBlobStore({ presignBaseUrl: 'https://blobs.example/signed', clock });
  const slept: number[] = [];
  const youtube = createFakePlatformUploader({
    platform: 'youtube',
    fallback: { platformPostId: 'yt-1', url: 'https://youtu.be/yt-1' },
  });
  const tiktok = createFakePlatformUploader({
    platform: 'tiktok',
    fallback: { platformPostId: 'tt-1' },
  });
  const warnings: string[] = [];
  const vb = createVBuckets({
    clock,
    ids: createSequentialIdGenerator('id'),
    uploaders: [youtube, tiktok],
    onWarning: (warning) => warnings.push(warning.message),
    sleep: async (milliseconds) => {
      slept.push(milliseconds);
      clock.advance(milliseconds);
    },
    ...options,
    store,
    blobs,
  })._unsafeUnwrap();
  return { vb, store, blobs, clock, youtube, tiktok, warnings, slept };
}

export type Context = ReturnType<typeof setup>;

/** Registers a video owned by `ownerId` (distinct bytes per `seed`). */
export async function registerVideo(
  context: Context,
  options: { scope?: Scope; ownerId?: string; seed?: number } = {},
) {
  const registered = await context.vb.videos.register(options.scope ?? acme, {
    filename: `clip-${options.seed ?? 0}.mp4`,
    body: () => sampleVideoBytes('mp4', options.seed ?? 0),
    ownerId: options.ownerId ?? 'user_1',
  });
  return registered._unsafeUnwrap().video;
}

/** Creates a segment of the video with these bytes (and fields). */
export async function createSegment(
  context: Context,
  videoId: string,
  fields: Partial<Parameters<Context['vb']['segments']['create']>[1]> = {},
  scope: Scope = acme,
) {
  const created = await context.vb.segments.create(scope, {
    videoId,
    body: () => bytes(1, 2, 3),
    durationSec: 5,
    ...fields,
  });
  return created._unsafeUnwrap();
}

/** Sets the segment's usage on these platforms (through `update`). */
export async function setUsage(
  context: Context,
  segmentId: string,
  usage: SocialUsageInput[],
  scope: Scope = acme,
) {
  return (await context.vb.segments.update(scope, segmentId, { usage }))._unsafeUnwrap();
}
