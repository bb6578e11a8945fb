import { expect } from 'vitest';
import type { TestHost } from './host';

/** The leading bytes of an mp4 (an `ftyp` box), enough for the content sniffing. */
const MP4_HEAD = Uint8Array.from([
  ...[0x00, 0x00, 0x00, 0x20],
  ...Buffer.from('ftypisom'),
  ...[0x00, 0x00, 0x02, 0x00],
  ...Buffer.from('isomiso2avc1mp41'),
]);

/** Bytes that sniff as mp4, of `size` bytes, different for each seed (so a different SHA-256). */
export function mp4Bytes(seed: number, size = 4096): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(MP4_HEAD);
  for (let index = MP4_HEAD.length; index < size; index += 1) {
    bytes[index] = (index * 31 + seed * 17 + 7) % 251;
  }
  return bytes;
}

/** The register form: text fields first, then the `video` part, in the order given. */
export function videoForm(
  bytes: Uint8Array,
  options: { filename?: string; fields?: Record<string, string>; fieldsAfter?: boolean } = {},
): FormData {
  const form = new FormData();
  const file = new Blob([bytes], { type: 'video/mp4' });
  const fields = Object.entries(options.fields ?? {});
  if (options.fieldsAfter !== true) for (const [name, value] of fields) form.append(name, value);
  form.append('video', file, options.filename ?? 'clip.mp4');
  if (options.fieldsAfter === true) for (const [name, value] of fields) form.append(name, value);
  return form;
}

export interface VideoJson {
  id: string;
  orgId: string;
  ownerId: string;
  title: string;
  filename: string;
  sizeBytes: number;
  sha256: string;
  duplicateAllowed: boolean;
  visibility: 'public' | 'private';
}

/** Registers a video over HTTP as the token's user and returns it (201 expected). */
export async function registerVideo(
  host: TestHost,
  token: string,
  seed: number,
  fields: Record<string, string> = {},
): Promise<VideoJson> {
  const response = await host.call('/api/v1/videos', {
    method: 'POST',
    token,
    body: videoForm(mp4Bytes(seed), { fields }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { video: VideoJson }).video;
}

let seedCounter = 1000;
/** A fresh seed, so each registration is new content. */
export function nextSeed(): number {
  seedCounter += 1;
  return seedCounter;
}
