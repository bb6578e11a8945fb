import { createWriteStream } from 'node:fs';
import { link, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cancelledError, storageError, type VBucketsError, validationError } from '@vbuckets/core';
import busboy from 'busboy';
import type { Request } from 'express';
import { err, ok, type Result } from 'neverthrow';

/** One uploaded video, spooled to disk. */
export interface SpooledVideo {
  /** The name the client gave (core reduces it to a base name and checks its extension). */
  filename: string;
  /** The temporary file; its folder also holds the video's sidecars, named for it. */
  path: string;
  sizeBytes: number;
  mimeType: string;
}

/** A multipart request read to its end: its videos on disk and its text fields. */
export interface SpooledUpload {
  videos: SpooledVideo[];
  fields: Record<string, string>;
  /** Removes every temporary file of the request (safe to call more than once). */
  remove(): Promise<void>;
}

/** Why a multipart request was refused, and the HTTP status when it is not the error's own. */
export interface SpoolRefusal {
  error: VBucketsError;
  status?: number;
}

export interface SpoolOptions {
  /** Where a folder per request is made. */
  tempDir: string;
  /** Largest video, in bytes. */
  fileBytes: number;
  /** Most videos in one request. */
  files: number;
  /** The form field of the videos. */
  videoField: string;
}

/** Transcript and caption parts; the keyword categorizer reads their text. */
const SIDECAR_EXTENSIONS = new Set(['.txt', '.srt', '.vtt']);
/** Captions are small: a larger "sidecar" is refused rather than spooled. */
const SIDECAR_BYTES = 5 * 1024 * 1024;
const FIELD_BYTES = 1024;

/** A name of the client, reduced to a base name that is safe to show and compare. */
function clientName(name: string): string {
  const base = basename(name.replaceAll('\\', '/'));
  return [...base].filter((character) => character.charCodeAt(0) >= 0x20).join('');
}

/** The extension kept on disk, so ffprobe sees the usual one. */
function diskExtension(filename: string): string {
  const match = /\.([A-Za-z0-9]{1,5})$/u.exec(filename);
  return match === null ? '' : `.${match[1]?.toLowerCase()}`;
}

/**
 * Reads a multipart/form-data request, streaming each video part to its own temporary file
 * under `tempDir` (never a whole file in memory; busboy's backpressure holds the socket while
 * the disk catches up). Parts named `.txt`, `.srt` or `.vtt` are sidecars: each is placed
 * beside every video of the same base name (`clip.mp4` takes `clip.srt` and `clip.en.vtt`) under
 * the video's temporary name, so that `readSidecarText` finds it as the CLI does. Refuses (415)
 * another content type, (413) a video over `fileBytes` or more than `files` videos, (400) a
 * request without videos; a refusal or a client going away removes every file written.
 */
export async function spoolMultipart(
  request: Request,
  options: SpoolOptions,
): Promise<Result<SpooledUpload, SpoolRefusal>> {
  if (request.is('multipart/form-data') !== 'multipart/form-data') {
    const type = request.headers['content-type'] ?? 'none';
    return err({
      error: validationError(
        `This route takes multipart/form-data with the videos in "${options.videoField}" parts, not ${JSON.stringify(type)}`,
        { path: 'content-type' },
      ),
      status: 415,
    });
  }
  let folder: string;
  try {
    folder = await mkdtemp(join(options.tempDir, 'vbuckets-upload-'));
  } catch (cause) {
    return err({ error: storageError('The server could not make room for the upload', { cause }) });
  }
  const remove = () => rm(folder, { recursive: true, force: true }).catch(() => undefined);
  const read = await readParts(request, folder, options);
  if (read.isErr()) {
    // Node drains the rest of a refused body, so that the client reads the answer.
    request.resume();
    await remove();
    return err(read.error);
  }
  const { videos, sidecars, fields } = read.value;
  if (videos.length === 0) {
    await remove();
    return err({
      error: validationError(
        `No videos were sent: add the videos as file parts named "${options.videoField}"`,
        { path: options.videoField },
      ),
    });
  }
  try {
    await placeSidecars(videos, sidecars);
  } catch (cause) {
    await remove();
    return err({ error: storageError('The server could not keep the transcripts', { cause }) });
  }
  return ok({ videos, fields, remove });
}

interface SpooledSidecar {
  filename: string;
  path: string;
}

interface ReadParts {
  videos: SpooledVideo[];
  sidecars: SpooledSidecar[];
  fields: Record<string, string>;
}

function readParts(
  request: Request,
  folder: string,
  options: SpoolOptions,
): Promise<Result<ReadParts, SpoolRefusal>> {
  return new Promise((resolve) => {
    const videos: SpooledVideo[] = [];
    const sidecars: SpooledSidecar[] = [];
    const fields: Record<string, string> = {};
    const writes: Promise<void>[] = [];
    const active = new Set<Readable>();
    let settled = false;
    let parser: busboy.Busboy | undefined;
    const onClose = () => {
      if (!request.complete) {
        refuse({ error: cancelledError('The client closed the request before its body arrived') });
      }
    };
    const finish = (result: Result<ReadParts, SpoolRefusal>) => {
      if (settled) return;
      settled = true;
      request.off('close', onClose);
      if (result.isOk()) {
        resolve(result);
        return;
      }
      // Stop every part being written and wait for their files to close, so that removing the
      // folder afterwards cannot race a write still opening its file.
      // On the next turn: a refusal may come from inside busboy's own 'limit' emit.
      setImmediate(() => {
        const refused = new Error('The upload was refused');
        if (parser !== undefined) {
          request.unpipe(parser);
          parser.destroy();
        }
        for (const stream of active) {
          if (!stream.readableEnded) stream.destroy(refused);
        }
        void Promise.allSettled(writes).then(() => resolve(result));
      });
    };
    const refuse = (refusal: SpoolRefusal) => finish(err(refusal));
    request.on('close', onClose);

    try {
      parser = busboy({
        headers: request.headers,
        defParamCharset: 'utf8',
        limits: {
          fileSize: options.fileBytes,
          fields: 20,
          fieldSize: FIELD_BYTES,
          // Sidecars too: up to three caption formats per video.
          files: options.files * 4,
        },
      });
    } catch (cause) {
      refuse({
        error: validationError('The multipart body has no boundary', {
          path: 'content-type',
          cause,
        }),
        status: 415,
      });
      return;
    }

    parser.on('file', (field, stream, info) => {
      // A truncated form destroys the part with busboy's error as well: the parser's 'error'
      // reports it, and a part nobody listens to must not crash the process with it.
      stream.on('error', () => undefined);
      if (settled) {
        stream.resume();
        return;
      }
      const filename = clientName(info.filename ?? '');
      const isSidecar = SIDECAR_EXTENSIONS.has(extname(filename).toLowerCase());
      if (!isSidecar && field !== options.videoField) {
        stream.resume();
        refuse({
          error: validationError(
            `Unexpected file part "${field}": send videos as "${options.videoField}" parts and transcripts (.txt, .srt, .vtt) beside them`,
            { path: field },
          ),
        });
        return;
      }
      if (!isSidecar && videos.length >= options.files) {
        stream.resume();
        refuse({
          error: validationError(
            `More than ${options.files} videos in one request: send at most ${options.files}`,
            { path: options.videoField },
          ),
          status: 413,
        });
        return;
      }
      const index = videos.length + sidecars.length;
      const limit = isSidecar ? SIDECAR_BYTES : options.fileBytes;
      const directory = join(folder, isSidecar ? 'sidecars' : `video-${index}`);
      const path = join(directory, isSidecar ? `${index}.txt` : `video${diskExtension(filename)}`);
      // Listed now, so that rows keep the order of the parts whatever order the writes end in.
      const video: SpooledVideo = { filename, path, sizeBytes: 0, mimeType: info.mimeType };
      if (isSidecar) sidecars.push({ filename, path });
      else videos.push(video);
      const tooLarge = () =>
        refuse({
          error: validationError(
            `${JSON.stringify(filename)} is larger than the ${limit} bytes allowed for ${isSidecar ? 'a transcript' : 'a video'}`,
            { path: field, details: { filename, limitBytes: limit } },
          ),
          status: 413,
        });
      stream.once('limit', tooLarge);
      // Counted on the way to the disk (a `data` listener would start the flow before the file opens).
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          video.sizeBytes += chunk.byteLength;
          if (video.sizeBytes > limit) {
            tooLarge();
            callback(new Error('too large'));
            return;
          }
          callback(null, chunk);
        },
      });
      // A refusal destroys the part with an error; the pipeline, if any, reports it.
      stream.on('error', () => undefined);
      active.add(stream);
      const write = (async () => {
        await mkdir(directory, { recursive: true });
        // Refused meanwhile: the part is destroyed, and a pipeline from a closed stream never settles.
        if (settled || stream.destroyed) return;
        await pipeline(stream, counter, createWriteStream(path, { flags: 'wx' }));
      })().then(
        () => {
          active.delete(stream);
        },
        (cause: unknown) => {
          active.delete(stream);
          refuse({
            error: storageError(`The server could not keep ${JSON.stringify(filename)}`, {
              cause,
            }),
          });
        },
      );
      writes.push(write);
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        refuse({
          error: validationError(`The field "${name}" is longer than ${FIELD_BYTES} bytes`, {
            path: name,
          }),
        });
        return;
      }
      fields[name] = value;
    });
    parser.on('filesLimit', () =>
      refuse({
        error: validationError(`More than ${options.files} videos in one request`, {
          path: options.videoField,
        }),
        status: 413,
      }),
    );
    parser.on('error', (cause: unknown) =>
      refuse({
        error: validationError('The multipart body is malformed', { path: 'body', cause }),
      }),
    );
    parser.on('close', () => {
      void Promise.all(writes).then(() => finish(ok({ videos, sidecars, fields })));
    });
    request.pipe(parser);
  });
}

/**
 * Links each sidecar beside every video it belongs to, renamed for the video's temporary name
 * (`clip.en.vtt` becomes `video.en.vtt` beside `clip.mp4`'s `video.mp4`): `readSidecarText`
 * then decides which belong as it does for the CLI.
 */
async function placeSidecars(
  videos: readonly SpooledVideo[],
  sidecars: readonly SpooledSidecar[],
): Promise<void> {
  for (const video of videos) {
    const base = clientName(video.filename).slice(
      0,
      clientName(video.filename).length - extname(video.filename).length,
    );
    const tempBase = basename(video.path, extname(video.path));
    for (const sidecar of sidecars) {
      if (base === '' || !sidecar.filename.startsWith(`${base}.`)) continue;
      const rest = sidecar.filename.slice(base.length);
      if (rest.length > 64) continue;
      await link(sidecar.path, join(video.path, '..', `${tempBase}${rest}`)).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        },
      );
    }
  }
}
