import { createHash, randomBytes } from 'node:crypto';
import {
  fileNotActiveError,
  fileNotFoundError,
  type GoogleErrorAnswer,
  googleError,
} from './fake-gemini-errors';
import type { FakeGeminiFile, FakeGeminiFileOutcome } from './fake-gemini-types';

/** How long the Gemini API keeps an uploaded file. */
const FILE_LIFETIME_MS = 48 * 60 * 60 * 1000;

interface UploadSession {
  id: string;
  declaredSize: number | undefined;
  mimeType: string;
  displayName: string | undefined;
  chunks: Buffer[];
  received: number;
  finalized: boolean;
}

/** A response of the upload protocol: status, headers and an optional JSON body. */
export interface UploadAnswer {
  httpStatus: number;
  headers: Record<string, string>;
  json?: unknown;
}

function randomId(): string {
  // File ids of the Gemini API are short lower-case alphanumerics.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(12), (byte) => alphabet[byte % alphabet.length]).join('');
}

function withStatus(answer: GoogleErrorAnswer, uploadStatus: string): UploadAnswer {
  return {
    httpStatus: answer.httpStatus,
    headers: { 'x-goog-upload-status': uploadStatus },
    json: answer.body,
  };
}

/** The Files API state of the fake: resumable upload sessions and the files they create. */
export interface FakeFileRegistry {
  files: Map<string, FakeGeminiFile>;
  startUpload(input: {
    declaredSize: number | undefined;
    mimeType: string;
    displayName: string | undefined;
  }): string;
  receiveChunk(input: {
    uploadId: string;
    commands: ReadonlySet<string>;
    offset: number | undefined;
    bytes: Buffer;
  }): UploadAnswer;
  /** The file, advancing its processing by one poll. */
  poll(fileId: string): { file: FakeGeminiFile } | { error: GoogleErrorAnswer };
  remove(fileId: string): GoogleErrorAnswer | undefined;
  /** The live file a `fileUri` names, or the error generateContent answers. */
  fileForUri(uri: string): { file: FakeGeminiFile } | { error: GoogleErrorAnswer };
  toJson(file: FakeGeminiFile): Record<string, unknown>;
}

export function createFakeFileRegistry(context: {
  baseUrl: () => string;
  now: () => number;
  chunkGranularity: number;
  processingPolls: () => number;
  fileOutcome: () => FakeGeminiFileOutcome;
}): FakeFileRegistry {
  const sessions = new Map<string, UploadSession>();
  const files = new Map<string, FakeGeminiFile>();

  function finalize(session: UploadSession): UploadAnswer {
    if (session.declaredSize !== undefined && session.received !== session.declaredSize) {
      return withStatus(
        googleError(
          400,
          `Upload finalized with ${session.received} bytes, but X-Goog-Upload-Header-Content-Length announced ${session.declaredSize}.`,
        ),
        'active',
      );
    }
    session.finalized = true;
    const bytes = new Uint8Array(Buffer.concat(session.chunks));
    session.chunks = [];
    const id = randomId();
    const now = context.now();
    const processingPolls = context.processingPolls();
    const file: FakeGeminiFile = {
      name: `files/${id}`,
      displayName: session.displayName,
      mimeType: session.mimeType,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      uri: `${context.baseUrl()}/v1beta/files/${id}`,
      state: 'PROCESSING',
      processingPollsLeft: processingPolls,
      outcome: context.fileOutcome(),
      createdAt: now,
      deletedAt: undefined,
    };
    files.set(file.name, file);
    return {
      httpStatus: 200,
      headers: { 'x-goog-upload-status': 'final' },
      json: { file: toJson(file) },
    };
  }

  function toJson(file: FakeGeminiFile): Record<string, unknown> {
    const created = new Date(file.createdAt).toISOString();
    return {
      name: file.name,
      ...(file.displayName === undefined ? {} : { displayName: file.displayName }),
      mimeType: file.mimeType,
      sizeBytes: String(file.bytes.byteLength),
      createTime: created,
      updateTime: created,
      expirationTime: new Date(file.createdAt + FILE_LIFETIME_MS).toISOString(),
      // The real API sends the base64 of the hex digest.
      sha256Hash: Buffer.from(file.sha256).toString('base64'),
      uri: file.uri,
      state: file.state,
      source: 'UPLOADED',
      ...(file.state === 'FAILED' && file.outcome.state === 'FAILED'
        ? { error: { code: 3, message: file.outcome.message } }
        : {}),
    };
  }

  function liveFile(fileId: string): FakeGeminiFile | undefined {
    const file = files.get(`files/${fileId}`);
    return file === undefined || file.deletedAt !== undefined ? undefined : file;
  }

  return {
    files,
    toJson,
    startUpload(input) {
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, { id, ...input, chunks: [], received: 0, finalized: false });
      return id;
    },
    receiveChunk({ uploadId, commands, offset, bytes }) {
      const session = sessions.get(uploadId);
      if (session === undefined) {
        return withStatus(googleError(404, `No upload session ${uploadId}.`), 'final');
      }
      if (session.finalized) {
        return withStatus(googleError(400, 'The upload was already finalized.'), 'final');
      }
      if (commands.has('query')) {
        return {
          httpStatus: 200,
          headers: {
            'x-goog-upload-status': 'active',
            'x-goog-upload-size-received': String(session.received),
          },
        };
      }
      if (commands.has('cancel')) {
        sessions.delete(uploadId);
        return { httpStatus: 200, headers: { 'x-goog-upload-status': 'cancelled' } };
      }
      if (commands.has('upload')) {
        if (offset !== session.received) {
          return withStatus(
            googleError(
              400,
              `Invalid X-Goog-Upload-Offset ${String(offset)}: ${session.received} bytes were received so far.`,
            ),
            'active',
          );
        }
        const last = commands.has('finalize');
        if (!last && bytes.byteLength % context.chunkGranularity !== 0) {
          return withStatus(
            googleError(
              400,
              `Chunk of ${bytes.byteLength} bytes is not a multiple of ${context.chunkGranularity} (only the last chunk may be shorter).`,
            ),
            'active',
          );
        }
        session.chunks.push(bytes);
        session.received += bytes.byteLength;
      }
      if (commands.has('finalize')) return finalize(session);
      if (!commands.has('upload')) {
        return withStatus(googleError(400, 'Unknown X-Goog-Upload-Command.'), 'active');
      }
      return {
        httpStatus: 200,
        headers: {
          'x-goog-upload-status': 'active',
          'x-goog-upload-size-received': String(session.received),
        },
      };
    },
    poll(fileId) {
      const file = liveFile(fileId);
      if (file === undefined) return { error: fileNotFoundError(fileId) };
      if (file.state === 'PROCESSING') {
        if (file.processingPollsLeft > 0) file.processingPollsLeft -= 1;
        else file.state = file.outcome.state;
      }
      return { file };
    },
    remove(fileId) {
      const file = liveFile(fileId);
      if (file === undefined) return fileNotFoundError(fileId);
      file.deletedAt = context.now();
      return undefined;
    },
    fileForUri(uri) {
      const match = /\/files\/([^/?#]+)$/u.exec(uri);
      const fileId = match?.[1] ?? uri;
      const file = match === null ? undefined : liveFile(fileId);
      if (file === undefined) return { error: fileNotFoundError(fileId) };
      if (file.state !== 'ACTIVE') {
        return { error: fileNotActiveError(fileId) };
      }
      return { file };
    },
  };
}
