import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { untilAborted } from '../domain/until-aborted';
import { cancelledError, toVBucketsError, type VBucketsError } from '../errors';
import type { LocalFileSource, LocalFiles } from '../ports/local-files';

export interface TempLocalFilesSettings {
  /** Where the temporary folders go (default the OS temporary directory). */
  directory?: string;
}

/** A safe extension for the copy, so ffmpeg's probing sees the usual one. */
function extensionOf(filename: string): string {
  const match = /\.([A-Za-z0-9]{1,5})$/u.exec(filename);
  return match === null ? '' : `.${match[1]?.toLowerCase()}`;
}

async function copyToFile(
  source: LocalFileSource,
  path: string,
  signal: AbortSignal | undefined,
): Promise<Result<void, VBucketsError>> {
  const opened = await source.open();
  if (opened.isErr()) return err(opened.error);
  const reader = opened.value.getReader();
  const file = await open(path, 'w');
  const cancelled = () => cancelledError(`The copy of "${source.filename}" was cancelled`);
  try {
    for (;;) {
      const chunk = await untilAborted(reader.read(), signal, cancelled);
      if (chunk.done) break;
      await file.write(chunk.value);
    }
    return ok(undefined);
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    await file.close();
  }
}

/**
 * LocalFiles on Node: each call copies the bytes (one chunk at a time) into a fresh temporary
 * folder and removes the folder afterwards, whatever happened.
 */
export function createTempLocalFiles(settings: TempLocalFilesSettings = {}): LocalFiles {
  return {
    specificationVersion: 'v1',
    withLocalFile: (source, use, options = {}) =>
      new ResultAsync(
        (async () => {
          let folder: string | undefined;
          try {
            folder = await mkdtemp(join(settings.directory ?? tmpdir(), 'vbuckets-local-'));
            const path = join(folder, `video${extensionOf(source.filename)}`);
            const copied = await copyToFile(source, path, options.signal);
            if (copied.isErr()) return err(copied.error);
            if (options.signal?.aborted) {
              return err(cancelledError(`The copy of "${source.filename}" was cancelled`));
            }
            return await use(path);
          } catch (error) {
            return err(
              toVBucketsError(
                error,
                'STORAGE',
                `Copying "${source.filename}" to a local file failed`,
              ),
            );
          } finally {
            if (folder !== undefined) {
              await rm(folder, { recursive: true, force: true }).catch(() => undefined);
            }
          }
        })(),
      ),
  };
}
