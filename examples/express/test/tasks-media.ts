import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTempLocalFiles } from '@vbuckets/core/node';
import { createMediaProbe } from '@vbuckets/media';

/** A small real clip made with the real ffmpeg: 6 s, 160×120, h264, a keyframe every second. */
export interface TestClip {
  path: string;
  bytes: Uint8Array;
  /** The same pictures with a different comment tag: other bytes, so another registry video. */
  variant(): Uint8Array;
  remove(): void;
}

export function createTestClip(): TestClip {
  const folder = mkdtempSync(join(tmpdir(), 'vbuckets-express-clip-'));
  const path = join(folder, 'clip.mp4');
  execFileSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=6'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25'],
      path,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let variants = 0;
  return {
    path,
    bytes: new Uint8Array(readFileSync(path)),
    variant() {
      variants += 1;
      const copy = join(folder, `variant-${variants}.mp4`);
      execFileSync(
        'ffmpeg',
        ['-v', 'error', '-y', '-i', path, '-c', 'copy', '-metadata', `comment=${variants}`, copy],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      return new Uint8Array(readFileSync(copy));
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** The SDK options that give a host the real ffmpeg probe and temporary local copies. */
export function realMediaOptions() {
  return { mediaProbe: createMediaProbe(), localFiles: createTempLocalFiles() };
}

/** A multipart form with one file and text fields (repeat a field by giving a list). */
export function uploadForm(
  file: { field: string; bytes: Uint8Array; filename: string; type?: string },
  fields: Record<string, string | string[]> = {},
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const each of Array.isArray(value) ? value : [value]) form.append(name, each);
  }
  form.append(
    file.field,
    // The cast: under the DOM lib (the web tests import this) BlobPart wants an ArrayBuffer-backed view.
    new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? 'video/mp4' }),
    file.filename,
  );
  return form;
}
