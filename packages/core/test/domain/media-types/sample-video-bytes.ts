import type { VideoType } from '../../../src/domain/media-types/sniff-content';

// Minimal leading bytes of each format, for tests of this package (not exported publicly).

const text = (value: string): number[] => Array.from(value, (character) => character.charCodeAt(0));

/** An EBML header as ffmpeg writes it, with the given DocType. */
export function ebmlHeader(docType: string): number[] {
  const docTypeBytes = text(docType);
  const children = [
    ...[0x42, 0x86, 0x81, 0x01],
    ...[0x42, 0xf7, 0x81, 0x01],
    ...[0x42, 0xf2, 0x81, 0x04],
    ...[0x42, 0xf3, 0x81, 0x08],
    ...[0x42, 0x82, 0x80 | docTypeBytes.length, ...docTypeBytes],
    ...[0x42, 0x87, 0x81, 0x04],
    ...[0x42, 0x85, 0x81, 0x02],
  ];
  return [0x1a, 0x45, 0xdf, 0xa3, 0x80 | children.length, ...children];
}

const HEADS: Record<VideoType, number[]> = {
  mp4: [
    0x00,
    0x00,
    0x00,
    0x20,
    ...text('ftypisom'),
    0x00,
    0x00,
    0x02,
    0x00,
    ...text('isomiso2avc1mp41'),
  ],
  mov: [0x00, 0x00, 0x00, 0x14, ...text('ftypqt  '), 0x00, 0x00, 0x00, 0x00, ...text('qt  ')],
  avi: [...text('RIFF'), 0x24, 0x10, 0x00, 0x00, ...text('AVI LIST')],
  webm: ebmlHeader('webm'),
};

/**
 * Bytes that sniff as `type`, padded to `size` with a pattern seeded by `seed`, so that two
 * calls with different seeds give different content (and SHA-256) of the same type.
 */
export function sampleVideoBytes(type: VideoType, seed = 0, size = 256): Uint8Array {
  const head = HEADS[type];
  const bytes = new Uint8Array(Math.max(size, head.length));
  bytes.set(head);
  for (let index = head.length; index < bytes.length; index += 1) {
    bytes[index] = (index * 31 + seed * 17 + 7) % 251;
  }
  return bytes;
}

export const PNG_BYTES = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0x00,
  0x00,
  0x00,
  0x0d,
  ...text('IHDR'),
]);
