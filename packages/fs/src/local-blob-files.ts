import { createHash } from 'node:crypto';
import { type FileHandle, open, stat, unlink } from 'node:fs/promises';
import { errnoCode } from './fs-error';

/** Chunks are gathered into writes of this size: a stream of small chunks costs no syscall storm. */
const GATHER_BYTES = 1024 * 1024;

/** Removes a file; a missing file or a folder under that name means there is no object to remove. */
export async function unlinkObject(target: string): Promise<void> {
  try {
    await unlink(target);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return;
    // macOS answers EPERM for unlinking a folder.
    if (code === 'EPERM' && (await stat(target).catch(() => null))?.isDirectory()) return;
    throw error;
  }
}

/**
 * Streams `chunks` into a new file at `target`, hashing and counting in the same pass.
 * Chunks are gathered into 1 MiB writes, and one write runs while the next buffer fills,
 * so reading and hashing overlap the disk.
 */
export async function writeBodyFile(
  target: string,
  chunks: AsyncIterable<Uint8Array>,
  fsync: boolean,
): Promise<{ sizeBytes: number; sha256: string }> {
  // `wx`: a fresh file or an error, never someone else's temp file.
  const handle = await open(target, 'wx');
  let writing: Promise<void> = Promise.resolve();
  try {
    const hash = createHash('sha256');
    let sizeBytes = 0;
    let filling = Buffer.allocUnsafe(GATHER_BYTES);
    let spare = Buffer.allocUnsafe(GATHER_BYTES);
    let filled = 0;
    /** Starts writing the filled buffer once the previous write is done (its buffer is then free). */
    const flush = async () => {
      if (filled === 0) return;
      await writing;
      writing = writeAll(handle, filling.subarray(0, filled));
      [filling, spare] = [spare, filling];
      filled = 0;
    };
    for await (const chunk of chunks) {
      hash.update(chunk);
      sizeBytes += chunk.byteLength;
      let offset = 0;
      while (offset < chunk.byteLength) {
        // Copied, so a producer reusing its buffer for the next chunk cannot change this one.
        const take = Math.min(chunk.byteLength - offset, GATHER_BYTES - filled);
        filling.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === GATHER_BYTES) await flush();
      }
    }
    await flush();
    await writing;
    if (fsync) await handle.sync();
    return { sizeBytes, sha256: hash.digest('hex') };
  } finally {
    // A write still running when the source failed: let it end (its error is the source's to report).
    await writing.catch(() => undefined);
    await handle.close();
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset, null);
    offset += bytesWritten;
  }
}

export async function writeSmallFile(target: string, text: string, fsync: boolean): Promise<void> {
  const handle = await open(target, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable. Best effort: some systems (Windows) cannot open a folder to sync it. */
export async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // The bytes themselves are synced; only the folder entry's durability is left to the OS.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
