import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { type CaptionFormat, captionFormatOf, captionText } from '../domain/keyword/caption-text';

/** The text found beside a video, and the files it came from. */
export interface SidecarText {
  /** The extracted text of every sidecar, in `sources` order, separated by blank lines. */
  text: string;
  /** Paths of the sidecar files read (in the video's folder), in reading order. */
  sources: string[];
}

export interface ReadSidecarTextOptions {
  /** Sidecars larger than this are skipped (default 5 MiB): captions are small. */
  maxFileBytes?: number;
}

const FORMAT_ORDER: readonly CaptionFormat[] = ['txt', 'srt', 'vtt'];
// What may sit between the video's base name and the extension: a language tag (`en`, `pt-BR`).
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

function sidecarFormat(entry: string, base: string): CaptionFormat | undefined {
  if (!entry.startsWith(`${base}.`)) return undefined;
  const format = captionFormatOf(entry);
  if (format === undefined) return undefined;
  const middle = entry.slice(base.length + 1, entry.length - format.length - 1);
  return middle === '' || LANGUAGE_TAG.test(middle) ? format : undefined;
}

function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

async function readIfSmall(path: string, maxFileBytes: number): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > maxFileBytes) return undefined;
    return decode(await readFile(path));
  } catch {
    return undefined;
  }
}

/**
 * Reads the transcript and caption files beside a video, for the keyword categorizer: for
 * `clips/demo.mp4`, `clips/demo.txt`, `demo.srt`, `demo.vtt` and language variants such as
 * `demo.en.vtt` (extensions in any case). Text comes out of each by `captionText`; sidecars
 * are read TXT, then SRT, then VTT, by name within a format, and one whose text repeats an
 * earlier one is left out. Sidecar text is optional evidence, so this never rejects: a
 * missing folder, a missing, unreadable, empty or oversized file just adds nothing.
 */
export async function readSidecarText(
  videoPath: string,
  options: ReadSidecarTextOptions = {},
): Promise<SidecarText> {
  const maxFileBytes = options.maxFileBytes ?? 5 * 1024 * 1024;
  const folder = dirname(videoPath);
  const base = basename(videoPath, extname(videoPath));
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return { text: '', sources: [] };
  }

  const candidates = entries
    .map((entry) => ({ entry, format: sidecarFormat(entry, base) }))
    .filter((candidate): candidate is { entry: string; format: CaptionFormat } => {
      return candidate.format !== undefined && join(folder, candidate.entry) !== join(videoPath);
    })
    .sort(
      (left, right) =>
        FORMAT_ORDER.indexOf(left.format) - FORMAT_ORDER.indexOf(right.format) ||
        (left.entry < right.entry ? -1 : left.entry > right.entry ? 1 : 0),
    );

  const texts: string[] = [];
  const sources: string[] = [];
  for (const { entry, format } of candidates) {
    const path = join(folder, entry);
    const content = await readIfSmall(path, maxFileBytes);
    if (content === undefined) continue;
    const text = captionText(content, format);
    if (text === '' || texts.includes(text)) continue;
    texts.push(text);
    sources.push(path);
  }
  return { text: texts.join('\n\n'), sources };
}
