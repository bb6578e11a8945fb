import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  ACCEPTED_VIDEO_EXTENSIONS,
  type CategorizeFile,
  notFoundError,
  storageError,
  validationError,
  videoTypeFromFilename,
} from '@vbuckets/core';
import { readSidecarText } from '@vbuckets/core/node';

/** A file to categorize, where it is, and the sidecar files its known text came from. */
export interface VideoInput {
  path: string;
  file: CategorizeFile;
  sidecars: string[];
}

/**
 * Turns the command's arguments into files: a directory gives its video files (by extension,
 * not its subfolders, sorted by name; anything else in it is ignored), a file is taken as it
 * is, so that a wrong one named on purpose becomes an `error` row and the batch goes on. A
 * path given twice counts once. A missing path is NOT_FOUND, a directory without videos
 * VALIDATION.
 */
export async function collectVideoPaths(args: readonly string[], cwd: string): Promise<string[]> {
  const paths: string[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    paths.push(path);
  };
  for (const arg of args) {
    const path = resolve(cwd, arg);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
        throw notFoundError(`No such file or directory: ${arg}`, { cause: error });
      }
      throw storageError(`Cannot read ${arg}: ${error.message}`, { cause: error });
    });
    if (!info.isDirectory()) {
      add(path);
      continue;
    }
    const videos = await videoFilesIn(path);
    if (videos.length === 0) {
      throw validationError(`No video files (${ACCEPTED_VIDEO_EXTENSIONS.join(', ')}) in ${arg}`, {
        path: 'files',
      });
    }
    for (const video of videos) add(video);
  }
  return paths;
}

async function videoFilesIn(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries
    .filter((entry) => videoTypeFromFilename(entry.name) !== null)
    .map((entry) => entry.name)
    .sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  const files: string[] = [];
  for (const name of names) {
    // Follows symlinks; a folder that happens to be named like a video is not one.
    const info = await stat(join(directory, name)).catch(() => null);
    if (info?.isFile()) files.push(join(directory, name));
  }
  return files;
}

/**
 * The batch's files: streamed from disk when core stores them, with their size, and the text
 * of their sidecar transcripts (`clip.srt`, `clip.en.vtt`, `clip.txt`) as known text.
 */
export async function videoInputs(paths: readonly string[]): Promise<VideoInput[]> {
  return Promise.all(
    paths.map(async (path) => {
      const [info, sidecar] = await Promise.all([
        stat(path).catch(() => null),
        readSidecarText(path),
      ]);
      const file: CategorizeFile = {
        filename: basename(path),
        body: () => createReadStream(path),
        ...(info === null ? {} : { sizeBytes: info.size }),
        ...(sidecar.text === '' ? {} : { knownText: sidecar.text }),
      };
      return { path, file, sidecars: sidecar.sources };
    }),
  );
}
