import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { VideoRegisterInput } from '../services/videos/videos-service';

/** What `videos.register` needs to read a local file: its name, a stream of it, and the path to probe. */
export type VideoFileInput = Pick<VideoRegisterInput, 'filename' | 'body' | 'probePath'>;

/**
 * `videos.register(scope, { ...videoFile('clips/hook.mp4'), ownerId })`: the file is streamed
 * (never read whole) when register opens it, and the MediaProbe reads its duration from the
 * same path. A missing or unreadable file is a STORAGE error of register, nothing is stored.
 */
export function videoFile(path: string): VideoFileInput {
  return {
    filename: basename(path),
    // 1 MiB reads: a quarter of the calls of the 64 KiB default, for files of hundreds of MB.
    body: () => createReadStream(path, { highWaterMark: 1024 * 1024 }),
    probePath: path,
  };
}
