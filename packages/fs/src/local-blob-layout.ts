import { createHash, randomUUID } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { VBucketsError } from '@vbuckets/core';
import { errnoCode } from './fs-error';

/**
 * The one folder under the root the store keeps for itself (keys may not start with it):
 * `tmp/` holds writes in progress, on the same file system as the objects so that the final
 * rename is atomic; `meta/` holds one JSON sidecar per key.
 */
export const INTERNAL_FOLDER = '.vbuckets';

export interface LocalBlobLayout {
  /** Absolute root as configured (not resolved through symbolic links). */
  root: string;
  temporaryFolder: string;
  /** Where the bytes of `key` live: the key's own path under the root, so the folder stays browsable. */
  objectPath(key: string): string;
  /**
   * Where the metadata of `key` lives. Named by a hash of the key so that a 255-byte last
   * segment still has room, and fanned out over 256 folders so none grows huge.
   */
  metadataPath(key: string): string;
  /** A fresh path for a write in progress. */
  temporaryPath(): string;
}

export function createLocalBlobLayout(root: string): LocalBlobLayout {
  const absoluteRoot = path.resolve(root);
  const internal = path.join(absoluteRoot, INTERNAL_FOLDER);
  const temporaryFolder = path.join(internal, 'tmp');
  const metadataFolder = path.join(internal, 'meta');
  return {
    root: absoluteRoot,
    temporaryFolder,
    objectPath: (key) => path.join(absoluteRoot, ...key.split('/')),
    metadataPath: (key) => {
      const digest = createHash('sha256').update(key, 'utf8').digest('hex');
      return path.join(metadataFolder, digest.slice(0, 2), `${digest}.json`);
    },
    temporaryPath: () => path.join(temporaryFolder, randomUUID()),
  };
}

/** True when `candidate` is `root` or lies below it (both already resolved through links). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

/** The real path of `target`, or null when it (or a folder on the way) does not exist. */
export async function realPathOrNull(target: string): Promise<string | null> {
  try {
    return await realpath(target);
  } catch (error) {
    const code = errnoCode(error);
    // ENOTDIR: a part of the path is a file, so nothing can exist below it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/**
 * The real path of the deepest part of `target` that exists (at worst the root itself):
 * checking it before creating folders stops `mkdir -p` from following a link out of the root.
 */
export async function deepestExistingRealPath(target: string, root: string): Promise<string> {
  let current = target;
  while (true) {
    const real = await realPathOrNull(current);
    if (real !== null) return real;
    const parent = path.dirname(current);
    if (current === root || parent === current) return root;
    current = parent;
  }
}

export function escapeError(key: string): VBucketsError {
  return new VBucketsError(
    'FORBIDDEN',
    `Blob key ${JSON.stringify(key)} resolves outside the store root (a symbolic link leads out)`,
    { details: { key }, adapter: 'fs' },
  );
}

export function prefixConflict(key: string, cause: unknown): VBucketsError {
  return new VBucketsError(
    'CONFLICT',
    `Cannot store ${JSON.stringify(key)}: a part of its path is already an object (a file system cannot hold both "a" and "a/b")`,
    { cause, details: { key }, adapter: 'fs' },
  );
}

export function folderConflict(key: string, cause: unknown): VBucketsError {
  return new VBucketsError(
    'CONFLICT',
    `Cannot store ${JSON.stringify(key)}: other objects live below it (a file system cannot hold both "a" and "a/b")`,
    { cause, details: { key }, adapter: 'fs' },
  );
}
