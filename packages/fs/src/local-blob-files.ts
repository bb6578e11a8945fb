import { createHash } from 'node:crypto';
import { type FileHandle, open, stat, unlink } from 'node:fs/promises';
import { errnoCode } from './fs-error';

/** Chunks smaller than this are gathered into one write: a stream of tiny chunks costs no syscall storm. */
const SMALL_CHUNK_BYTES = 64 * 1024;
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
 * Small chunks are gathered into one write; large ones go straight through.
 */
export async function writeBodyFile(
  target: string,
  chunks: AsyncIterable<Uint8Array>,
  fsync: boolean,
): Promise<{ sizeBytes: number; sha256: string }> {
  // `wx`: a fresh file or an error, never someone else's temp file.
  const handle = await open(target, 'wx');
  try {
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const gathered = Buffer.allocUnsafe(GATHER_BYTES);
    let gatheredBytes = 0;
    const flush = async () => {
      if (gatheredBytes === 0) return;
      await writeAll(handle, gathered.subarray(0, gatheredBytes));
      gatheredBytes = 0;
    };
    for await (const chunk of chunks) {
      hash.update(chunk);
      sizeBytes += chunk.byteLength;
      if (chunk.byteLength >= SMALL_CHUNK_BYTES) {
        await flush();
        await writeAll(handle, chunk);
        continue;
      }
      if (gatheredBytes + chunk.byteLength > GATHER_BYTES) await flush();
      // Copied, so a producer reusing its buffer for the next chunk cannot change this one.
      gathered.set(chunk, gatheredBytes);
      gatheredBytes += chunk.byteLength;
    }
    await flush();
    if (fsync) await handle.sync();
    return { sizeBytes, sha256: hash.digest('hex') };
  } finally {
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
