/**
 * The video types a batch accepts (seed 000). Declared here, beside the sniffer that names
 * them from a file's bytes, so that video-types.ts can build on this file without a cycle.
 */
export type VideoType = 'mp4' | 'mov' | 'avi' | 'webm';

/** How many leading bytes `sniffContent` wants (fewer when the file is shorter). */
export const MEDIA_SNIFF_BYTES = 4096;

/** What the first bytes of a file show. */
export type SniffedContent =
  | { kind: 'video'; type: VideoType }
  /** EBML with DocType `matroska` (or another non-WebM DocType, named in `docType`). */
  | { kind: 'matroska'; docType: string }
  /** A known format that is not an accepted video, e.g. `a PNG image`. */
  | { kind: 'other'; format: string }
  | { kind: 'unknown' };

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, end));

const startsWith = (bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean =>
  bytes.byteLength >= offset + prefix.length &&
  prefix.every((byte, index) => bytes[offset + index] === byte);

/** ISO-BMFF major brands of stills and audio: the container is right, the content is not video. */
const NON_VIDEO_BRANDS: Readonly<Record<string, string>> = {
  heic: 'a HEIC image',
  heix: 'a HEIC image',
  hevc: 'a HEIC image sequence',
  heim: 'a HEIC image',
  heis: 'a HEIC image',
  mif1: 'a HEIF image',
  msf1: 'a HEIF image sequence',
  avif: 'an AVIF image',
  avis: 'an AVIF image sequence',
  'M4A ': 'an M4A audio file',
  'M4B ': 'an M4B audiobook',
  'M4P ': 'an M4P audio file',
  'F4A ': 'an F4A audio file',
  'F4B ': 'an F4B audiobook',
  'crx ': 'a Canon raw image',
};

/** Top-level QuickTime atoms that classic .mov files (before `ftyp` existed) start with. */
const CLASSIC_QUICKTIME_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** Formats named in messages when a file is not an accepted video. */
const OTHER_SIGNATURES: ReadonlyArray<{
  bytes: readonly number[];
  offset?: number;
  format: string;
}> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], format: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], format: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], format: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], format: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], format: 'a ZIP archive' },
  { bytes: [0x49, 0x44, 0x33], format: 'an MP3 audio file' },
  { bytes: [0x4f, 0x67, 0x67, 0x53], format: 'an Ogg file' },
  { bytes: [0x66, 0x4c, 0x61, 0x43], format: 'a FLAC audio file' },
  { bytes: [0x46, 0x4c, 0x56, 0x01], format: 'an FLV video (not accepted)' },
  { bytes: [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11], format: 'a WMV/ASF file' },
  { bytes: [0x00, 0x00, 0x01, 0xba], format: 'an MPEG program stream (not accepted)' },
  { bytes: [0x1f, 0x8b], format: 'a gzip archive' },
];

/**
 * Identifies a file from its first bytes (pure; give it `MEDIA_SNIFF_BYTES` or the whole
 * file): MP4/MOV by their ISO-BMFF `ftyp` box (brand `qt  ` is MOV) or a classic QuickTime
 * atom, AVI by `RIFF….AVI `, WebM by its EBML header's DocType.
 */
export function sniffContent(head: Uint8Array): SniffedContent {
  if (head.byteLength >= 12 && ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    const other = NON_VIDEO_BRANDS[brand];
    if (other !== undefined) return { kind: 'other', format: other };
    return { kind: 'video', type: brand === 'qt  ' ? 'mov' : 'mp4' };
  }
  if (head.byteLength >= 8 && CLASSIC_QUICKTIME_ATOMS.has(ascii(head, 4, 8))) {
    const size = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
    // Size 0 (to end of file) and 1 (64-bit size follows) are legal; 2..7 cannot be a box.
    if (size === 0 || size === 1 || size >= 8) return { kind: 'video', type: 'mov' };
  }
  if (head.byteLength >= 12 && ascii(head, 0, 4) === 'RIFF') {
    const form = ascii(head, 8, 12);
    if (form === 'AVI ') return { kind: 'video', type: 'avi' };
    if (form === 'WAVE') return { kind: 'other', format: 'a WAV audio file' };
    if (form === 'WEBP') return { kind: 'other', format: 'a WebP image' };
    return { kind: 'other', format: `a RIFF ${JSON.stringify(form.trim())} file` };
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
    const docType = readEbmlDocType(head);
    if (docType === 'webm') return { kind: 'video', type: 'webm' };
    if (docType === null)
      return { kind: 'other', format: 'an EBML file without a readable DocType' };
    return { kind: 'matroska', docType };
  }
  for (const signature of OTHER_SIGNATURES) {
    if (startsWith(head, signature.bytes, signature.offset)) {
      return { kind: 'other', format: signature.format };
    }
  }
  if (looksLikeText(head)) return { kind: 'other', format: 'text' };
  return { kind: 'unknown' };
}

/** Words for a message: `it looks like a PNG image`. */
export function describeContent(content: Exclude<SniffedContent, { kind: 'video' }>): string {
  switch (content.kind) {
    case 'matroska':
      return `it is Matroska with DocType ${JSON.stringify(content.docType)}`;
    case 'other':
      return `it looks like ${content.format}`;
    case 'unknown':
      return 'its format was not recognised';
  }
}

const EBML_DOC_TYPE_ID = 0x4282;

/** The DocType of an EBML header, or null when it is missing or cut off in `head`. */
function readEbmlDocType(head: Uint8Array): string | null {
  const header = readVint(head, 4);
  if (header === null) return null;
  const start = 4 + header.length;
  const end =
    header.value === null ? head.byteLength : Math.min(head.byteLength, start + header.value);
  let offset = start;
  while (offset < end) {
    const id = readElementId(head, offset);
    if (id === null) return null;
    const size = readVint(head, offset + id.length);
    if (size === null || size.value === null) return null;
    const dataStart = offset + id.length + size.length;
    const dataEnd = dataStart + size.value;
    if (id.value === EBML_DOC_TYPE_ID) {
      if (dataEnd > head.byteLength) return null;
      // EBML strings may be padded with NULs.
      return ascii(head, dataStart, dataEnd).replace(/\0+$/u, '');
    }
    offset = dataEnd;
  }
  return null;
}

/** An EBML element id: its length comes from the leading zero bits; the marker bit is kept. */
function readElementId(
  bytes: Uint8Array,
  offset: number,
): { value: number; length: number } | null {
  const first = bytes[offset];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 4 || offset + length > bytes.byteLength) return null;
  let value = 0;
  for (let index = 0; index < length; index += 1) value = value * 256 + bytes[offset + index]!;
  return { value, length };
}

/** An EBML size: marker bit removed; all ones means "unknown" (null value). */
function readVint(
  bytes: Uint8Array,
  offset: number,
): { value: number | null; length: number } | null {
  const first = bytes[offset];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.byteLength) return null;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let index = 1; index < length; index += 1) {
    const byte = bytes[offset + index]!;
    value = value * 256 + byte;
    allOnes = allOnes && byte === 0xff;
  }
  return { value: allOnes ? null : value, length };
}

function looksLikeText(head: Uint8Array): boolean {
  const sample = head.subarray(0, 512);
  if (sample.byteLength === 0) return false;
  let printable = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte === 0x09 || byte === 0x0a || byte === 0x0d || byte >= 0x20) printable += 1;
  }
  // UTF-8 text is bytes >= 0x20 plus a few controls; binary formats have many low bytes.
  return printable / sample.byteLength > 0.95 && sample.every((byte) => byte !== 0x7f);
}
