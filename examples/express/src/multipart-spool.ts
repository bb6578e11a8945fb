import { createWriteStream } from 'node:fs';
import { link, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cancelledError, storageError, type VBucketsError, validationError } from '@vbuckets/core';
import busboy from 'busboy';
import type { Request } from 'express';
import { err, ok, type Result } from 'neverthrow';

/** One uploaded file (a video, an image), spooled to disk. */
export interface SpooledFile {
  /** The name the client gave (core reduces it to a base name and checks its extension). */
  filename: string;
  /** The temporary file; its folder also holds the video's sidecars, named for it. */
  path: string;
  sizeBytes: number;
  mimeType: string;
}

/** A multipart request read to its end: its files on disk and its text fields. */
export interface SpooledUpload {
  /** At least one: a request without a file is refused. */
  files: [SpooledFile, ...SpooledFile[]];
  /** Text fields; a field given more than once is a list, in the order sent. */
  fields: Record<string, string | string[]>;
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
  /** Largest file, in bytes. */
  fileBytes: number;
  /** Most files in one request. */
  files: number;
  /** The form field of the files. */
  fileField: string;
  /** What a file is, for messages: `video` (the default) or `file`. */
  noun?: string;
  /**
   * Take `.txt`, `.srt` and `.vtt` parts, in any field, as transcripts of the videos of the
   * same base name (categorize); otherwise a part outside `fileField` is refused.
   */
  sidecars?: boolean;
  /** Most text fields (default 20) and the longest one in bytes (default 1 KiB). */
  fieldCount?: number;
  fieldBytes?: number;
}

/** Transcript and caption parts; the keyword categorizer reads their text. */
const SIDECAR_EXTENSIONS = new Set(['.txt', '.srt', '.vtt']);
/** Captions are small: a larger "sidecar" is refused rather than spooled. */
const SIDECAR_BYTES = 5 * 1024 * 1024;
const FIELD_COUNT = 20;
const FIELD_BYTES = 1024;

/** A text field given once, or the last of its values when it was given more than once. */
export function lastValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.at(-1) : value;
}

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
 * Reads a multipart/form-data request, streaming each file part to its own temporary file
 * under `tempDir` (never a whole file in memory; busboy's backpressure holds the socket while
 * the disk catches up). With `sidecars`, parts named `.txt`, `.srt` or `.vtt` are transcripts:
 * each is placed beside every video of the same base name (`clip.mp4` takes `clip.srt` and
 * `clip.en.vtt`) under the video's temporary name, so that `readSidecarText` finds it as the CLI
 * does. Refuses (415) another content type, (413) a file over `fileBytes` or more than `files`
 * files, (400) a request without files, a file part outside `fileField` or a field over the
 * limits; a refusal or a client going away removes every file written.
 */
export async function spoolMultipart(
  request: Request,
  options: SpoolOptions,
): Promise<Result<SpooledUpload, SpoolRefusal>> {
  if (request.is('multipart/form-data') !== 'multipart/form-data') {
    const type = request.headers['content-type'] ?? 'none';
    return err({
      error: validationError(
        `This route takes multipart/form-data with the ${noun(options, 'many')} in "${options.fileField}" parts, not ${JSON.stringify(type)}`,
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
  const { files, sidecars, fields } = read.value;
  const [first, ...rest] = files;
  if (first === undefined) {
    await remove();
    const what =
      options.files === 1
        ? `No ${noun(options, 'one')} was sent: add it as a file part named`
        : `No ${noun(options, 'many')} were sent: add them as file parts named`;
    return err({
      error: validationError(`${what} "${options.fileField}"`, {
        path: `body.${options.fileField}`,
      }),
    });
  }
  try {
    await placeSidecars(files, sidecars);
  } catch (cause) {
    await remove();
    return err({ error: storageError('The server could not keep the transcripts', { cause }) });
  }
  return ok({ files: [first, ...rest], fields, remove });
}

function noun(options: SpoolOptions, count: 'one' | 'many'): string {
  const one = options.noun ?? 'video';
  return count === 'one' ? one : `${one}s`;
}

interface SpooledSidecar {
  filename: string;
  path: string;
}

interface ReadParts {
  files: SpooledFile[];
  sidecars: SpooledSidecar[];
  fields: Record<string, string | string[]>;
}

function readParts(
  request: Request,
  folder: string,
  options: SpoolOptions,
): Promise<Result<ReadParts, SpoolRefusal>> {
  return new Promise((resolve) => {
    const files: SpooledFile[] = [];
    const sidecars: SpooledSidecar[] = [];
    const fields: Record<string, string | string[]> = {};
    const fieldBytes = options.fieldBytes ?? FIELD_BYTES;
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
    const tooMany = (): SpoolRefusal => ({
      error: validationError(
        options.files === 1
          ? `Send one ${noun(options, 'one')} only, in the form field "${options.fileField}"`
          : `More than ${options.files} ${noun(options, 'many')} in one request: send at most ${options.files}`,
        { path: `body.${options.fileField}` },
      ),
      status: 413,
    });
    request.on('close', onClose);

    try {
      parser = busboy({
        headers: request.headers,
        defParamCharset: 'utf8',
        limits: {
          fileSize: options.fileBytes,
          fields: options.fieldCount ?? FIELD_COUNT,
          fieldSize: fieldBytes,
          // Sidecars too: up to three caption formats per video.
          files: options.sidecars === true ? options.files * 4 : options.files,
        },
      });
    } catch (cause) {
      // Multipart without its boundary parameter: a malformed header (400), not another type (415).
      refuse({
        error: validationError(
          'The multipart/form-data content type has no boundary: send its boundary parameter (curl -F and FormData do)',
          { path: 'content-type', cause },
        ),
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
      const isSidecar =
        options.sidecars === true && SIDECAR_EXTENSIONS.has(extname(filename).toLowerCase());
      if (!isSidecar && field !== options.fileField) {
        stream.resume();
        refuse({
          error: validationError(
            options.sidecars === true
              ? `Unexpected file part "${field}": send ${noun(options, 'many')} as "${options.fileField}" parts and transcripts (.txt, .srt, .vtt) beside them`
              : `Unexpected file part "${field}": send the ${noun(options, 'one')} in the form field "${options.fileField}"`,
            { path: `body.${field}` },
          ),
        });
        return;
      }
      if (!isSidecar && files.length >= options.files) {
        stream.resume();
        refuse(tooMany());
        return;
      }
      const index = files.length + sidecars.length;
      const limit = isSidecar ? SIDECAR_BYTES : options.fileBytes;
      const directory = join(folder, isSidecar ? 'sidecars' : `video-${index}`);
      const path = join(directory, isSidecar ? `${index}.txt` : `video${diskExtension(filename)}`);
      // Listed now, so that rows keep the order of the parts whatever order the writes end in.
      const video: SpooledFile = { filename, path, sizeBytes: 0, mimeType: info.mimeType };
      if (isSidecar) sidecars.push({ filename, path });
      else files.push(video);
      const tooLarge = () =>
        refuse({
          error: validationError(
            `${JSON.stringify(filename)} is larger than the ${limit} bytes allowed for ${isSidecar ? 'a transcript' : `a ${noun(options, 'one')}`}`,
            { path: `body.${field}`, details: { filename, limitBytes: limit } },
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
          error: validationError(`The field "${name}" is longer than ${fieldBytes} bytes`, {
            path: `body.${name}`,
          }),
        });
        return;
      }
      const earlier = fields[name];
      fields[name] =
        earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
    });
    parser.on('fieldsLimit', () =>
      refuse({
        error: validationError(
          `More than ${options.fieldCount ?? FIELD_COUNT} text fields in one request`,
          { path: 'body' },
        ),
      }),
    );
    parser.on('filesLimit', () => refuse(tooMany()));
    parser.on('error', (cause: unknown) =>
      refuse({
        error: validationError('The multipart body is malformed', { path: 'body', cause }),
      }),
    );
    parser.on('close', () => {
      void Promise.all(writes).then(() => finish(ok({ files, sidecars, fields })));
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
  videos: readonly SpooledFile[],
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
