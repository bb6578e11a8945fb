import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, validationError } from '../../errors';
import {
  describeContent,
  type SniffedContent,
  sniffContent,
  type VideoType,
} from './sniff-content';

/** How a video type is named, stored and served. */
export interface VideoTypeInfo {
  type: VideoType;
  /** Lower-case, with the dot, as blob keys end. */
  extension: string;
  mimeType: string;
  /** For messages, e.g. `MP4`. */
  label: string;
}

export const VIDEO_TYPES: Readonly<Record<VideoType, Readonly<VideoTypeInfo>>> = Object.freeze({
  mp4: { type: 'mp4', extension: '.mp4', mimeType: 'video/mp4', label: 'MP4' },
  mov: { type: 'mov', extension: '.mov', mimeType: 'video/quicktime', label: 'MOV' },
  avi: { type: 'avi', extension: '.avi', mimeType: 'video/x-msvideo', label: 'AVI' },
  webm: { type: 'webm', extension: '.webm', mimeType: 'video/webm', label: 'WebM' },
});

/** Accepted extensions, lower-case with the dot. */
export const ACCEPTED_VIDEO_EXTENSIONS: readonly string[] = Object.freeze(
  Object.values(VIDEO_TYPES).map((info) => info.extension),
);

const ACCEPTED_LIST = 'mp4, mov, avi, webm';

/** The extension of a file name, lower-case with the dot, or '' when it has none. */
export function fileExtension(filename: string): string {
  const base = filename.split(/[\\/]/u).at(-1) ?? '';
  const dot = base.lastIndexOf('.');
  // `.mp4` alone is a hidden file with no extension, as file managers see it.
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** The type a file name claims by its extension (case-insensitive), or null. */
export function videoTypeFromFilename(filename: string): VideoType | null {
  const extension = fileExtension(filename);
  const info = Object.values(VIDEO_TYPES).find((each) => each.extension === extension);
  return info?.type ?? null;
}

/** Checks a file's name alone: VALIDATION (path `filename`) unless it ends in an accepted extension. */
export function checkVideoFilename(filename: string): Result<VideoTypeInfo, VBucketsError> {
  const type = videoTypeFromFilename(filename);
  if (type !== null) return ok(VIDEO_TYPES[type]);
  const extension = fileExtension(filename);
  const message =
    extension === ''
      ? `${JSON.stringify(filename)} has no file extension; accepted video types: ${ACCEPTED_LIST}`
      : `${JSON.stringify(filename)} is not an accepted video type (${extension}); accepted: ${ACCEPTED_LIST}`;
  return err(
    validationError(message, {
      path: 'filename',
      details: { reason: 'unsupported-extension', filename, extension },
    }),
  );
}

/**
 * Checks a file by name and first bytes (at least `MEDIA_SNIFF_BYTES` of them, or the whole
 * file when shorter). Both must say "accepted video"; the type returned is the one the bytes
 * show, since they are what a provider will read. MP4 and MOV share one container (ISO-BMFF),
 * so either extension accepts either content; a named `.avi` holding MP4 bytes is accepted too,
 * as an MP4. Matroska that is not WebM (DocType `matroska`) is refused: WebM is the subset
 * providers accept, and an `.mkv` renamed `.webm` often holds codecs they do not.
 */
export function checkVideoFile(
  filename: string,
  head: Uint8Array,
): Result<VideoTypeInfo, VBucketsError> {
  return checkVideoFilename(filename).andThen((claimed) => {
    if (head.byteLength === 0) {
      return err(
        validationError(`${JSON.stringify(filename)} is empty (0 bytes)`, {
          path: 'file',
          details: { reason: 'empty', filename },
        }),
      );
    }
    const content = sniffContent(head);
    if (content.kind === 'video') return ok(VIDEO_TYPES[content.type]);
    return err(contentMismatch(filename, claimed, content));
  });
}

function contentMismatch(
  filename: string,
  claimed: VideoTypeInfo,
  content: Exclude<SniffedContent, { kind: 'video' }>,
): VBucketsError {
  const name = JSON.stringify(filename);
  const message =
    content.kind === 'matroska'
      ? `${name} is a Matroska (MKV) file, not WebM; remux it as .webm or .mp4 and add it again`
      : `${name} is named ${claimed.extension} but its content is not an accepted video (${describeContent(content)}); accepted: ${ACCEPTED_LIST}`;
  return validationError(message, {
    path: 'file',
    details: { reason: 'content-mismatch', filename, claimed: claimed.type, content },
  });
}
