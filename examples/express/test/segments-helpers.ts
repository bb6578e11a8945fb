import type { Segment, SegmentCreateInput, SocialUsageInput, VBucketsError } from '@vbuckets/core';
import { createMemoryBlobStore } from '@vbuckets/core/testing';
import type { Result } from 'neverthrow';
import { MATRIX_ORG } from './auth-matrix';
import type { TestHost } from './host';
import { realMediaOptions } from './tasks-media';

/** A host whose blob store presigns (`https://blobs.example/…`) and that has the real ffmpeg. */
export function segmentHostOptions(extra: Record<string, unknown> = {}) {
  return {
    vbucketsOptions: {
      blobs: createMemoryBlobStore({ presignBaseUrl: 'https://blobs.example' }),
      ...realMediaOptions(),
      ...extra,
    },
  };
}

let counter = 0;

/** Registers a video of `ana` in the matrix org (distinct bytes, so a distinct video). */
export async function registerVideo(host: TestHost, bytes?: Uint8Array): Promise<string> {
  counter += 1;
  const body = bytes ?? mp4Like(`video ${counter} ${Math.random()}`);
  const registered = await host.vbuckets.videos.register(
    { orgId: MATRIX_ORG },
    { filename: `clip-${counter}.mp4`, body: () => body, ownerId: 'ana', mimeType: 'video/mp4' },
  );
  return unwrapped(registered).video.id;
}

/** Adds a segment to a video of the matrix org through the SDK (the routes under test read it). */
export async function addSegment(
  host: TestHost,
  videoId: string,
  fields: Partial<Omit<SegmentCreateInput, 'videoId' | 'body'>> = {},
): Promise<Segment> {
  const created = await host.vbuckets.segments.create(
    { orgId: MATRIX_ORG },
    {
      videoId,
      body: () => new TextEncoder().encode('segment bytes'),
      durationSec: 4,
      ...fields,
    },
  );
  return unwrapped(created);
}

/** A video with one segment: what most matrix rows start from. */
export async function segmentOfNewVideo(host: TestHost): Promise<Segment> {
  return addSegment(host, await registerVideo(host));
}

/** The value of an SDK result, or a throw carrying the SDK's message. */
function unwrapped<Value>(result: Result<Value, VBucketsError>): Value {
  if (result.isErr()) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Bytes that sniff as MP4 (an `ftyp` box) and differ by `tail`: a registry entry, not a playable clip. */
export function mp4Like(tail: string): Uint8Array {
  const text = new TextEncoder();
  return new Uint8Array([
    ...[0, 0, 0, 0x18],
    ...text.encode('ftypisom'),
    ...[0, 0, 2, 0],
    ...text.encode('isomiso2'),
    ...text.encode(tail),
  ]);
}

/** Writes one platform's usage row of a segment of the matrix org through the SDK. */
export async function recordUsage(
  host: TestHost,
  segmentId: string,
  usage: SocialUsageInput,
): Promise<Segment> {
  return unwrapped(
    await host.vbuckets.segments.update({ orgId: MATRIX_ORG }, segmentId, { usage: [usage] }),
  );
}
