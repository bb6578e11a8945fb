import { describe, expect, it } from 'vitest';
import { MAX_ZIP_ENTRY_NAME_BYTES, safeZipEntryNames } from '../../src/domain/zip-entry-names';

const one = (filename: string): string => safeZipEntryNames([filename])[0] ?? '';
const utf8Bytes = (text: string) => new TextEncoder().encode(text).byteLength;

describe('safeZipEntryNames: one name', () => {
  it.each([
    ['clip.mp4', 'clip.mp4'],
    ['Ünïcödé 日本語.mov', 'Ünïcödé 日本語.mov'],
    ["it's (final) v2.webm", "it's (final) v2.webm"],
    ['videos/2024/clip.mp4', 'clip.mp4'],
    ['C:\\Users\\me\\Desktop\\clip.mp4', 'clip.mp4'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\evil.mp4', 'evil.mp4'],
    ['/absolute/path.mp4', 'path.mp4'],
    ['a<b>c:d"e|f?g*h.mp4', 'abcdefgh.mp4'],
    ['tab\there\nnew\u0000line\u007f\u0085.mp4', 'tabherenewline.mp4'],
    ['trailing dots...', 'trailing dots'],
    ['trailing spaces.mp4   ', 'trailing spaces.mp4'],
    ['   leading spaces.mp4', 'leading spaces.mp4'],
    ['CON', '_CON'],
    ['con.mp4', '_con.mp4'],
    ['Nul.tar.gz', '_Nul.tar.gz'],
    ['aux .mp4', '_aux .mp4'],
    ['COM1.mov', '_COM1.mov'],
    ['lpt9.webm', '_lpt9.webm'],
    ['COM¹.mp4', '_COM¹.mp4'],
    ['CONSOLE.mp4', 'CONSOLE.mp4'],
    ['COM10.mp4', 'COM10.mp4'],
    ['', 'video'],
    ['   ', 'video'],
    ['...', 'video'],
    ['folder/', 'video'],
    ['<>:"|?*', 'video'],
    ['.mp4', 'video.mp4'],
    ['.hidden', 'video.hidden'],
  ])('%j → %j', (input, expected) => {
    expect(one(input)).toBe(expected);
  });

  it('NFC-normalises, so a name from macOS (NFD) equals the same name typed elsewhere', () => {
    const decomposed = 'Cafe\u0301.mp4';
    expect(one(decomposed)).toBe('Café.mp4');
    expect(safeZipEntryNames([decomposed, 'Café.mp4'])).toEqual(['Café.mp4', 'Café (2).mp4']);
  });

  it('uses the given fallback for empty names', () => {
    expect(safeZipEntryNames(['', '.zip'], { fallbackName: 'bucket' })).toEqual([
      'bucket',
      'bucket.zip',
    ]);
  });

  it('caps long names at 200 UTF-8 bytes and keeps the extension', () => {
    const name = one(`${'a'.repeat(300)}.mp4`);
    expect(name).toBe(`${'a'.repeat(196)}.mp4`);
    expect(utf8Bytes(name)).toBe(MAX_ZIP_ENTRY_NAME_BYTES);
  });

  it('cuts multi-byte names on whole characters', () => {
    const name = one(`${'日'.repeat(100)}.mov`);
    expect(utf8Bytes(name)).toBeLessThanOrEqual(MAX_ZIP_ENTRY_NAME_BYTES);
    expect(name).toBe(`${'日'.repeat(65)}.mov`);
    const emoji = one(`${'😀'.repeat(80)}.mp4`);
    expect(emoji).toBe(`${'😀'.repeat(49)}.mp4`);
    expect(emoji).not.toContain('\ufffd');
  });

  it('does not leave a space or dot before the extension when cutting', () => {
    const name = one(`${'a'.repeat(195)}  . more words here.mp4`);
    expect(name).toBe(`${'a'.repeat(195)}.mp4`);
  });

  it('treats a long or spaced "extension" as part of the name', () => {
    const longTail = one(`clip.${'x'.repeat(250)}`);
    expect(utf8Bytes(longTail)).toBe(MAX_ZIP_ENTRY_NAME_BYTES);
    expect(longTail.startsWith('clip.xxx')).toBe(true);
    expect(safeZipEntryNames(['v1. final cut', 'v1. final cut'])).toEqual([
      'v1. final cut',
      'v1. final cut (2)',
    ]);
  });
});

describe('safeZipEntryNames: a list', () => {
  it('numbers duplicates in input order, before the extension', () => {
    expect(safeZipEntryNames(['a.mp4', 'a.mp4', 'a.mp4', 'b.mp4'])).toEqual([
      'a.mp4',
      'a (2).mp4',
      'a (3).mp4',
      'b.mp4',
    ]);
  });

  it('compares case-insensitively and keeps each first spelling', () => {
    expect(safeZipEntryNames(['Clip.MP4', 'clip.mp4', 'CLIP.mp4'])).toEqual([
      'Clip.MP4',
      'clip (2).mp4',
      'CLIP (3).mp4',
    ]);
  });

  it('finds duplicates after cleaning (folders, unsafe characters)', () => {
    expect(safeZipEntryNames(['x/clip.mp4', 'y\\clip.mp4', 'cl:ip.mp4'])).toEqual([
      'clip.mp4',
      'clip (2).mp4',
      'clip (3).mp4',
    ]);
  });

  it('never gives a duplicate the name another input already has, before or after it', () => {
    expect(safeZipEntryNames(['a.mp4', 'a.mp4', 'a (2).mp4'])).toEqual([
      'a.mp4',
      'a (3).mp4',
      'a (2).mp4',
    ]);
    expect(safeZipEntryNames(['a (2).mp4', 'a.mp4', 'a.mp4', 'A (3).MP4'])).toEqual([
      'a (2).mp4',
      'a.mp4',
      'a (4).mp4',
      'A (3).MP4',
    ]);
  });

  it('numbers names without an extension and empty names', () => {
    expect(safeZipEntryNames(['notes', 'notes', '', '', '?'])).toEqual([
      'notes',
      'notes (2)',
      'video',
      'video (2)',
      'video (3)',
    ]);
  });

  it('keeps numbered names within the byte cap', () => {
    const long = `${'b'.repeat(250)}.mp4`;
    const names = safeZipEntryNames([long, long, long]);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(3);
    for (const name of names) expect(utf8Bytes(name)).toBeLessThanOrEqual(200);
    expect(names[1]).toMatch(/^b+ \(2\)\.mp4$/u);
  });

  it('is idempotent: its own output comes back unchanged', () => {
    const inputs = [
      'a.mp4',
      'A.mp4',
      'dir/a.mp4',
      'CON.mp4',
      '',
      '.mp4',
      `${'z'.repeat(300)}.mov`,
      `${'z'.repeat(300)}.mov`,
      'a (2).mp4',
    ];
    const once = safeZipEntryNames(inputs);
    expect(safeZipEntryNames(once)).toEqual(once);
    expect(new Set(once.map((name) => name.toLowerCase())).size).toBe(inputs.length);
  });

  it('is deterministic and does not change its input', () => {
    const inputs = Object.freeze(['b.mp4', 'B.mp4', 'a.mp4']);
    expect(safeZipEntryNames(inputs)).toEqual(safeZipEntryNames([...inputs]));
    expect(inputs).toEqual(['b.mp4', 'B.mp4', 'a.mp4']);
  });

  it('returns an empty list for no names', () => {
    expect(safeZipEntryNames([])).toEqual([]);
  });
});
