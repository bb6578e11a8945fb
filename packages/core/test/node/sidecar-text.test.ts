import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSidecarText } from '../../src/node/sidecar-text';

const SRT =
  '1\r\n00:00:00,500 --> 00:00:02,000\r\n<i>I was so bloated</i>\r\n\r\n2\r\n00:00:02,000 --> 00:00:04,000\r\nafter every meal.\r\n';
const VTT =
  'WEBVTT\n\n00:00.000 --> 00:02.000 align:start\n<v Maria>Brain fog every afternoon.</v>\n';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'vbuckets-sidecar-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const put = (name: string, content: string | Uint8Array) => writeFile(join(folder, name), content);

describe('readSidecarText', () => {
  it('reads the TXT, SRT and VTT beside a video, in that order, as plain text', async () => {
    await put('clip.mp4', 'not really a video');
    await put('clip.vtt', VTT);
    await put('clip.srt', SRT);
    await put('clip.txt', '\uFEFFGreens powder review.\n');
    const sidecar = await readSidecarText(join(folder, 'clip.mp4'));
    expect(sidecar).toEqual({
      text: 'Greens powder review.\n\nI was so bloated\nafter every meal.\n\nBrain fog every afternoon.',
      sources: [join(folder, 'clip.txt'), join(folder, 'clip.srt'), join(folder, 'clip.vtt')],
    });
  });

  it('finds extensions in any case and language variants such as clip.en.vtt', async () => {
    await put('clip.EN.Vtt', VTT);
    await put('clip.pt-BR.SRT', SRT);
    const sidecar = await readSidecarText(join(folder, 'clip.MP4'));
    expect(sidecar.sources).toEqual([join(folder, 'clip.pt-BR.SRT'), join(folder, 'clip.EN.Vtt')]);
    expect(sidecar.text).toBe('I was so bloated\nafter every meal.\n\nBrain fog every afternoon.');
  });

  it('ignores files of other videos, other formats and other middles', async () => {
    await put('clip2.srt', SRT);
    await put('other.txt', 'other video');
    await put('clip.json', '{}');
    await put('clip.notes.txt', 'my private notes');
    await put('clip.srt.bak', SRT);
    await put('xclip.txt', 'prefix video');
    expect(await readSidecarText(join(folder, 'clip.mp4'))).toEqual({ text: '', sources: [] });
  });

  it('returns empty text when there is no sidecar or no folder', async () => {
    expect(await readSidecarText(join(folder, 'alone.mp4'))).toEqual({ text: '', sources: [] });
    expect(await readSidecarText(join(folder, 'missing', 'clip.mp4'))).toEqual({
      text: '',
      sources: [],
    });
  });

  it('leaves out a sidecar that repeats the text of an earlier one, and empty ones', async () => {
    await put('clip.srt', SRT);
    await put('clip.en.srt', SRT);
    await put('clip.txt', '   \n');
    const sidecar = await readSidecarText(join(folder, 'clip.mp4'));
    expect(sidecar.sources).toEqual([join(folder, 'clip.en.srt')]);
    expect(sidecar.text).toBe('I was so bloated\nafter every meal.');
  });

  it('skips a folder named like a sidecar and files over the size limit', async () => {
    await mkdir(join(folder, 'clip.txt'));
    await put('clip.srt', SRT);
    await put('clip.vtt', VTT);
    const sidecar = await readSidecarText(join(folder, 'clip.mp4'), {
      maxFileBytes: Buffer.byteLength(VTT),
    });
    expect(sidecar.sources).toEqual([join(folder, 'clip.vtt')]);
  });

  it('decodes UTF-16 sidecars by their byte-order mark', async () => {
    const text = 'Schlafstörung: ich wache um 3 Uhr auf.';
    const littleEndian = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    await put('clip.txt', littleEndian);
    expect((await readSidecarText(join(folder, 'clip.mp4'))).text).toBe(text);
  });
});
