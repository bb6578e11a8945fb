import { describe, expect, it } from 'vitest';
import { sniffContent } from '../../../src/domain/media-types/sniff-content';
import {
  ACCEPTED_VIDEO_EXTENSIONS,
  checkVideoFile,
  checkVideoFilename,
  fileExtension,
  videoTypeFromFilename,
} from '../../../src/domain/media-types/video-types';
import { ebmlHeader, PNG_BYTES, sampleVideoBytes } from './sample-video-bytes';

const bytes = (...values: Array<number | string>): Uint8Array =>
  new Uint8Array(
    values.flatMap((value) =>
      typeof value === 'number' ? [value] : Array.from(value, (each) => each.charCodeAt(0)),
    ),
  );

describe('fileExtension and videoTypeFromFilename', () => {
  it.each([
    ['clip.mp4', '.mp4', 'mp4'],
    ['CLIP.MOV', '.mov', 'mov'],
    ['a.b.AvI', '.avi', 'avi'],
    ['dir/sub\\x.webm', '.webm', 'webm'],
    ['movie.mkv', '.mkv', null],
    ['noext', '', null],
    ['.mp4', '', null],
    ['trailing.', '.', null],
  ])('%s has extension %j and type %j', (name, extension, type) => {
    expect(fileExtension(name)).toBe(extension);
    expect(videoTypeFromFilename(name)).toBe(type);
  });

  it('lists the accepted extensions', () => {
    expect(ACCEPTED_VIDEO_EXTENSIONS).toEqual(['.mp4', '.mov', '.avi', '.webm']);
  });
});

describe('checkVideoFilename', () => {
  it('explains an unsupported extension', () => {
    const error = checkVideoFilename('notes.TXT')._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toBe(
      '"notes.TXT" is not an accepted video type (.txt); accepted: mp4, mov, avi, webm',
    );
    expect(error.details).toMatchObject({ reason: 'unsupported-extension' });
  });

  it('explains a missing extension', () => {
    expect(checkVideoFilename('README')._unsafeUnwrapErr().message).toBe(
      '"README" has no file extension; accepted video types: mp4, mov, avi, webm',
    );
  });
});

describe('sniffContent', () => {
  it.each(['mp4', 'mov', 'avi', 'webm'] as const)('recognises %s', (type) => {
    expect(sniffContent(sampleVideoBytes(type))).toEqual({ kind: 'video', type });
  });

  it.each(['mp42', 'M4V ', 'dash', '3gp4', 'avc1'])('takes ftyp brand %j for MP4', (brand) => {
    expect(sniffContent(bytes(0, 0, 0, 24, 'ftyp', brand, 0, 0, 0, 0))).toEqual({
      kind: 'video',
      type: 'mp4',
    });
  });

  it.each(['wide', 'moov', 'mdat'])('takes a classic QuickTime %j atom for MOV', (atom) => {
    expect(sniffContent(bytes(0, 0, 0, 8, atom, 0, 0, 0, 0))).toEqual({
      kind: 'video',
      type: 'mov',
    });
  });

  it('does not take an impossible box size for QuickTime', () => {
    expect(sniffContent(bytes(0, 0, 0, 3, 'wide', 0, 0, 0, 0)).kind).not.toBe('video');
  });

  it.each([
    ['heic', 'a HEIC image'],
    ['avif', 'an AVIF image'],
    ['M4A ', 'an M4A audio file'],
  ])('refuses ISO-BMFF brand %j as %s', (brand, format) => {
    expect(sniffContent(bytes(0, 0, 0, 24, 'ftyp', brand, 0, 0, 0, 0))).toEqual({
      kind: 'other',
      format,
    });
  });

  it('tells Matroska from WebM by DocType', () => {
    expect(sniffContent(new Uint8Array(ebmlHeader('matroska')))).toEqual({
      kind: 'matroska',
      docType: 'matroska',
    });
  });

  it('reads a DocType padded with NULs', () => {
    expect(sniffContent(new Uint8Array(ebmlHeader('webm\0\0')))).toEqual({
      kind: 'video',
      type: 'webm',
    });
  });

  it('does not take a cut-off EBML header for WebM', () => {
    const head = new Uint8Array(ebmlHeader('webm')).subarray(0, 20);
    expect(sniffContent(head)).toEqual({
      kind: 'other',
      format: 'an EBML file without a readable DocType',
    });
  });

  it.each([
    [PNG_BYTES, 'a PNG image'],
    [bytes(0xff, 0xd8, 0xff, 0xe0), 'a JPEG image'],
    [bytes('RIFF', 0, 0, 0, 0, 'WAVE'), 'a WAV audio file'],
    [bytes('%PDF-1.7'), 'a PDF document'],
    [bytes('hello, this is a transcript\n'), 'text'],
  ])('names other formats (%#)', (head, format) => {
    expect(sniffContent(head)).toEqual({ kind: 'other', format });
  });

  it('says unknown for bytes it cannot place', () => {
    expect(sniffContent(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))).toEqual({
      kind: 'unknown',
    });
  });
});

describe('checkVideoFile', () => {
  it('accepts matching name and content, typed by the content', () => {
    expect(checkVideoFile('a.mp4', sampleVideoBytes('mp4'))._unsafeUnwrap()).toEqual({
      type: 'mp4',
      extension: '.mp4',
      mimeType: 'video/mp4',
      label: 'MP4',
    });
  });

  it('accepts MOV content named .mp4, as a MOV', () => {
    expect(checkVideoFile('a.mp4', sampleVideoBytes('mov'))._unsafeUnwrap().mimeType).toBe(
      'video/quicktime',
    );
  });

  it('refuses the right extension with the wrong bytes, saying what they look like', () => {
    const error = checkVideoFile('holiday.mp4', PNG_BYTES)._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toBe(
      '"holiday.mp4" is named .mp4 but its content is not an accepted video (it looks like a PNG image); accepted: mp4, mov, avi, webm',
    );
    expect(error.details).toMatchObject({ reason: 'content-mismatch', claimed: 'mp4' });
  });

  it('refuses Matroska named .webm with advice', () => {
    expect(
      checkVideoFile('clip.webm', new Uint8Array(ebmlHeader('matroska')))._unsafeUnwrapErr()
        .message,
    ).toBe(
      '"clip.webm" is a Matroska (MKV) file, not WebM; remux it as .webm or .mp4 and add it again',
    );
  });

  it('refuses an empty file', () => {
    const error = checkVideoFile('clip.mp4', new Uint8Array())._unsafeUnwrapErr();
    expect(error.message).toBe('"clip.mp4" is empty (0 bytes)');
    expect(error.details).toMatchObject({ reason: 'empty' });
  });

  it('checks the extension before the bytes', () => {
    expect(
      checkVideoFile('clip.mkv', sampleVideoBytes('webm'))._unsafeUnwrapErr().details,
    ).toMatchObject({
      reason: 'unsupported-extension',
    });
  });
});
