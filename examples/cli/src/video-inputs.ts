import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  type CategorizeFile,
  cancelledError,
  notFoundError,
  storageError,
  validationError,
} from '@vbuckets/core';
import { type MediaProbe, runConcurrently } from '@vbuckets/core/adapter-kit';
import { ACCEPTED_VIDEO_EXTENSIONS, videoTypeFromFilename } from '@vbuckets/core/domain';
import { readSidecarText } from '@vbuckets/core/node';
import { type ContainerTags, containerTagsText, readContainerTags } from './container-tags';
import type { CliOutput } from './io';

/** A file to categorize, where it is, and the sidecars and container tags of its known text. */
export interface VideoInput {
  path: string;
  file: CategorizeFile;
  sidecars: string[];
  tags: ContainerTags;
}

export interface VideoInputsOptions {
  /** The probe that reads container tags (the one intake then asks again); none, no tags. */
  mediaProbe?: MediaProbe;
  /** Ctrl-C: running ffprobe processes are killed, waiting files skipped, CANCELLED thrown. */
  signal?: AbortSignal;
  /** Called as each file is read, so that a long pass over many files shows progress. */
  onRead?: (done: number, total: number) => void;
}

// Files are read this many at once, not one ffprobe process per file of a 1000-file batch.
const FFPROBE_CONCURRENCY = 8;

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
 * The batch's files: streamed from disk when core stores them, with their size, and as known
 * text the text of their sidecar transcripts (`clip.srt`, `clip.en.vtt`, `clip.txt`), then
 * their container's content tags (title, description, synopsis, comment, keywords) when
 * there is a media probe, whose one ffprobe run per file intake then reuses. Neither is
 * required: a file with none has no known text.
 */
export async function videoInputs(
  paths: readonly string[],
  options: VideoInputsOptions = {},
): Promise<VideoInput[]> {
  const { signal } = options;
  const inputs: VideoInput[] = [];
  let done = 0;
  await runConcurrently(
    paths,
    async (path, index) => {
      const [info, sidecar, tags] = await Promise.all([
        stat(path).catch(() => null),
        readSidecarText(path),
        options.mediaProbe === undefined || signal?.aborted === true
          ? {}
          : readContainerTags(path, {
              probe: options.mediaProbe,
              ...(signal === undefined ? {} : { signal }),
            }),
      ]);
      done += 1;
      options.onRead?.(done, paths.length);
      const knownText = [sidecar.text, containerTagsText(tags)]
        .filter((text) => text !== '')
        .join('\n\n');
      const file: CategorizeFile = {
        filename: basename(path),
        body: () => createReadStream(path),
        probePath: path,
        ...(info === null ? {} : { sizeBytes: info.size }),
        ...(knownText === '' ? {} : { knownText }),
      };
      inputs[index] = { path, file, sidecars: sidecar.sources, tags };
    },
    { concurrency: FFPROBE_CONCURRENCY },
  );
  if (signal?.aborted === true) {
    throw cancelledError('Interrupted while reading the files; nothing was started');
  }
  return inputs;
}

/**
 * Progress of the reading pass (ffprobe over every file takes seconds for a few dozen): a
 * counter redrawn in place on a terminal, cleared when done; elsewhere one line before a long
 * pass (a handful of files is read in a moment and needs none). Nothing when quiet.
 */
export function readingProgress(
  stderr: CliOutput,
  total: number,
  quiet: boolean,
): ((done: number, total: number) => void) | undefined {
  if (quiet) return undefined;
  if (stderr.isTTY !== true) {
    if (total > LONG_READING_PASS)
      stderr.write(`Reading ${total} files (transcripts, container tags)…\n`);
    return undefined;
  }
  return (done) => {
    stderr.write(done < total ? `\r\u001b[2KReading files ${done}/${total}…` : '\r\u001b[2K');
  };
}

const LONG_READING_PASS = 20;

/**
 * Refuses more files than a session takes before any of them is read: the limit was checked
 * only after ffprobe had run over all of them.
 */
export function checkFileCount(paths: readonly string[], max: number): void {
  if (paths.length > max) {
    throw validationError(
      `${paths.length} video files given; a session takes at most ${max}: split them into several runs`,
      { path: 'files' },
    );
  }
}
