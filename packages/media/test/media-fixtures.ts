import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MediaFixtures {
  folder: string;
  /** 12 s, 160×120, h264 + aac, title and comment tags. */
  clip: string;
  /** 2 s, 160×120, h264, no audio. */
  silent: string;
  /** 2 s, vp8 + no audio, in webm. */
  webm: string;
  corrupt: string;
  text: string;
  audioOnly: string;
  remove(): void;
}

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Small real videos made with the real ffmpeg (a few hundred ms in all). */
export function createMediaFixtures(): MediaFixtures {
  const folder = mkdtempSync(join(tmpdir(), 'vbuckets-media-'));
  const at = (name: string) => join(folder, name);
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p'];
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=160x120:rate=25:duration=12',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=12',
    ...x264,
    '-c:a',
    'aac',
    '-shortest',
    '-metadata',
    'title=Hook test',
    '-metadata',
    'comment=made for vbuckets',
    at('clip.mp4'),
  ]);
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=160x120:rate=25:duration=2',
    ...x264,
    at('silent.mp4'),
  ]);
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=160x120:rate=25:duration=2',
    '-c:v',
    'libvpx',
    '-b:v',
    '200k',
    '-deadline',
    'realtime',
    at('clip.webm'),
  ]);
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=2',
    '-c:a',
    'libmp3lame',
    at('song.mp3'),
  ]);
  writeFileSync(at('corrupt.mp4'), randomBytes(8192));
  writeFileSync(at('notes.txt'), 'These are notes, not a video.\n');
  return {
    folder,
    clip: at('clip.mp4'),
    silent: at('silent.mp4'),
    webm: at('clip.webm'),
    corrupt: at('corrupt.mp4'),
    text: at('notes.txt'),
    audioOnly: at('song.mp3'),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** An executable shell script in `folder`. */
export function writeScript(folder: string, name: string, body: string): string {
  const path = join(folder, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** True while a process with this id exists (a zombie counts: it has not been reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** JPEG width and height from the first SOFn marker. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    const length = ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        height: ((bytes[offset + 5] ?? 0) << 8) | (bytes[offset + 6] ?? 0),
        width: ((bytes[offset + 7] ?? 0) << 8) | (bytes[offset + 8] ?? 0),
      };
    }
    offset += 2 + length;
  }
  return undefined;
}
