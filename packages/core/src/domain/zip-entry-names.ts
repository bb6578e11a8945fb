/** Longest name we produce, in UTF-8 bytes: under every common file system's 255, with room to spare. */
export const MAX_ZIP_ENTRY_NAME_BYTES = 200;

/** A trailing `.xyz` longer than this (in UTF-8 bytes, dot included) is part of the name, not an extension. */
const MAX_EXTENSION_BYTES = 16;

/** Names Windows reserves for devices, with or without an extension (`CON`, `con.mp4`). */
const RESERVED_WINDOWS_STEM = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/iu;

/** C0 and C1 control characters, and what Windows refuses in a file name. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/gu;

export interface SafeZipEntryNamesOptions {
  /** The name of an entry whose name is empty once cleaned. Default `video`. */
  fallbackName?: string;
}

/**
 * Turns file names (as uploaded, possibly with folders, from any OS) into ZIP entry names that
 * extract safely everywhere and do not overwrite one another:
 *
 * - only the base name is kept (anything up to the last `/` or `\` is dropped), NFC-normalised;
 * - control characters and `<>:"/\|?*` are removed, then leading and trailing white space and
 *   trailing dots;
 * - a Windows device name (`CON`, `nul.mp4`, `COM1`, `LPT9.mov`, …) is prefixed with `_`;
 * - an empty name becomes the fallback (`video`), and one starting with a dot (`.mp4`) gets it
 *   as a prefix (`video.mp4`), so nothing extracts as a hidden file;
 * - names are cut to 200 UTF-8 bytes, keeping the extension;
 * - names equal ignoring case get ` (2)`, ` (3)`, … before the extension, in input order; a
 *   suffixed name never takes a name that another input already has.
 *
 * Deterministic and order-preserving (output `i` is the name for input `i`), and idempotent:
 * names it produced come back unchanged.
 */
export function safeZipEntryNames(
  filenames: readonly string[],
  options: SafeZipEntryNamesOptions = {},
): string[] {
  const fallback = cleanName(options.fallbackName ?? 'video', 'video');
  const cleaned = filenames.map((filename) => cleanName(filename, fallback));
  // Every name that some input has as-is is claimed first, so a later duplicate's ` (2)` cannot
  // take the name of an input that comes after it.
  const taken = new Set<string>();
  const firstHolder = new Map<string, number>();
  cleaned.forEach((name, index) => {
    const key = comparisonKey(name);
    if (!firstHolder.has(key)) firstHolder.set(key, index);
    taken.add(key);
  });
  return cleaned.map((name, index) => {
    if (firstHolder.get(comparisonKey(name)) === index) return name;
    const { stem, extension } = splitExtension(name);
    for (let counter = 2; ; counter += 1) {
      const candidate = fitName(stem, extension, ` (${counter})`);
      const key = comparisonKey(candidate);
      if (!taken.has(key)) {
        taken.add(key);
        return candidate;
      }
    }
  });
}

/** The safe base name of one file name, not yet made unique. */
function cleanName(filename: string, fallback: string): string {
  const base = filename.split(/[/\\]/u).at(-1) ?? '';
  let name = trimName(base.normalize('NFC').replace(UNSAFE_CHARACTERS, ''));
  if (name === '') return fallback;
  if (name.startsWith('.')) name = `${fallback}${name}`;
  const { stem, extension } = splitExtension(name);
  const safeStem = RESERVED_WINDOWS_STEM.test(stemBeforeFirstDot(stem)) ? `_${stem}` : stem;
  return fitName(safeStem, extension, '');
}

/** Drops leading and trailing white space and trailing dots (Windows strips those silently). */
function trimName(name: string): string {
  return name.replace(/^\s+/u, '').replace(/[\s.]+$/u, '');
}

/** Windows reserves `CON` in `con.tar.gz` too: the device test looks before the first dot. */
function stemBeforeFirstDot(stem: string): string {
  const dot = stem.indexOf('.');
  return (dot === -1 ? stem : stem.slice(0, dot)).replace(/\s+$/u, '');
}

function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, extension: '' };
  const extension = name.slice(dot);
  if (utf8Length(extension) > MAX_EXTENSION_BYTES || /\s/u.test(extension)) {
    return { stem: name, extension: '' };
  }
  return { stem: name.slice(0, dot), extension };
}

/** `stem + suffix + extension`, with the stem shortened (by whole code points) to fit the byte cap. */
function fitName(stem: string, extension: string, suffix: string): string {
  const budget = MAX_ZIP_ENTRY_NAME_BYTES - utf8Length(extension) - utf8Length(suffix);
  if (utf8Length(stem) <= budget) return `${stem}${suffix}${extension}`;
  let kept = '';
  let keptBytes = 0;
  for (const character of stem) {
    const bytes = utf8Length(character);
    if (keptBytes + bytes > budget) break;
    kept += character;
    keptBytes += bytes;
  }
  // A cut may end on a space or a dot; Windows would strip it and break the extension.
  kept = kept.replace(/[\s.]+$/u, '');
  return `${kept === '' ? '_' : kept}${suffix}${extension}`;
}

function comparisonKey(name: string): string {
  return name.toLowerCase();
}

const encoder = new TextEncoder();
function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}
