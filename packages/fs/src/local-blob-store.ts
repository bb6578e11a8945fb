import {
  type FileHandle,
  mkdir,
  open,
  readFile,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
} from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fromZodError, notFoundError, type VBucketsError, validationError } from '@vbuckets/core';
import {
  abortedBlobWrite,
  type BlobBody,
  type BlobInfo,
  type BlobObject,
  type BlobPutOptions,
  type BlobPutResult,
  type BlobStore,
  type BlobVisibility,
  blobBodyChunks,
  settingsError,
  validateBlobKey,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import { err, errAsync, ok, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { errnoCode, toFsError } from './fs-error';
import { syncFolder, unlinkObject, writeBodyFile, writeSmallFile } from './local-blob-files';
import {
  createLocalBlobLayout,
  deepestExistingRealPath,
  escapeError,
  folderConflict,
  INTERNAL_FOLDER,
  isInside,
  prefixConflict,
  realPathOrNull,
} from './local-blob-layout';
import { createKeyLocks } from './local-key-locks';

export interface LocalBlobStoreSettings {
  /** Folder the objects live in, created on the first write. Keys become paths below it. */
  root: string;
  /**
   * Flush each object's bytes and folder entry to disk before `put` reports success, so a
   * reported write survives a power cut. Default true; turn off only for throwaway data.
   */
  fsync?: boolean;
}

const SettingsSchema = z.strictObject({
  root: z.string().min(1, 'must not be empty'),
  fsync: z.boolean().optional(),
});

/** What the sidecar keeps; size and hash tell whether it still describes the bytes beside it. */
const MetadataSchema = z.object({
  contentType: z.string().optional(),
  visibility: z.enum(['public', 'private']),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string(),
});
type Metadata = z.infer<typeof MetadataSchema>;

/** A concurrent delete may prune the folder between our mkdir and rename; this many tries cover it. */
const COMMIT_ATTEMPTS = 3;

/**
 * A BlobStore on the local file system. Each key is a file at `<root>/<key>`; a put streams
 * to `<root>/.vbuckets/tmp/`, hashing as the bytes flow, then renames into place, so readers
 * see the old bytes or the new, never a part. It throws nothing: with invalid settings every
 * call answers their VALIDATION error (`path` names the field) and nothing is touched on disk.
 */
export function createLocalBlobStore(settings: LocalBlobStoreSettings): BlobStore {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    return refusingBlobStore(
      settingsError(fromZodError(parsed.error, 'local blob store settings')),
    );
  }
  const layout = createLocalBlobLayout(parsed.data.root);
  const fsync = parsed.data.fsync ?? true;
  const locks = createKeyLocks();

  const checkKey = (key: string): Result<string, VBucketsError> =>
    validateBlobKey(key, { adapter: 'fs', reservedFirstSegments: [INTERNAL_FOLDER] });

  /** The real root, or null before the first write created it. */
  const realRoot = async (): Promise<string | null> => realPathOrNull(layout.root);

  /** The real path of the object of `key`, null when absent; FORBIDDEN when a link leads out. */
  async function resolveObject(key: string): Promise<string | null> {
    const root = await realRoot();
    if (root === null) return null;
    const real = await realPathOrNull(layout.objectPath(key));
    if (real === null) return null;
    if (!isInside(root, real)) throw escapeError(key);
    return real;
  }

  async function readMetadata(
    key: string,
    sizeBytes: number,
  ): Promise<Pick<BlobInfo, 'contentType' | 'visibility'>> {
    let parsedMetadata: Metadata | undefined;
    try {
      const text = await readFile(layout.metadataPath(key), 'utf8');
      const result = MetadataSchema.safeParse(JSON.parse(text));
      parsedMetadata = result.success ? result.data : undefined;
    } catch (error) {
      if (!(error instanceof SyntaxError) && errnoCode(error) !== 'ENOENT') throw error;
    }
    // No sidecar (a file copied in by hand) or one describing other bytes: fall back to defaults.
    if (parsedMetadata === undefined || parsedMetadata.sizeBytes !== sizeBytes) {
      return { contentType: undefined, visibility: 'private' };
    }
    return { contentType: parsedMetadata.contentType, visibility: parsedMetadata.visibility };
  }

  async function writeObject(
    key: string,
    body: BlobBody,
    options: BlobPutOptions,
    visibility: BlobVisibility,
  ): Promise<BlobPutResult> {
    const { signal } = options;
    if (signal?.aborted) throw abortedBlobWrite('fs', key, signal);
    // Creates the root too: a store may point at a folder that does not exist yet.
    await mkdir(layout.temporaryFolder, { recursive: true });
    const root = await realpath(layout.root);
    const temporaryObject = layout.temporaryPath();
    const temporaryMetadata = `${temporaryObject}.json`;
    try {
      const { sizeBytes, sha256 } = await writeBodyFile(
        temporaryObject,
        blobBodyChunks(body, { adapter: 'fs', key, signal }),
        fsync,
      );
      const metadata: Metadata = {
        contentType: options.contentType,
        visibility,
        sizeBytes,
        sha256,
      };
      await writeSmallFile(temporaryMetadata, `${JSON.stringify({ key, ...metadata })}\n`, fsync);
      const target = layout.objectPath(key);
      await locks.run(key, async () => {
        // Past this point the new bytes become visible, so this is the last moment to give up.
        if (signal?.aborted) throw abortedBlobWrite('fs', key, signal);
        await commitRename(key, temporaryObject, target, root);
        const metadataPath = layout.metadataPath(key);
        await mkdir(path.dirname(metadataPath), { recursive: true });
        await rename(temporaryMetadata, metadataPath);
      });
      if (fsync) await syncFolder(path.dirname(target));
      return { key, sizeBytes, sha256 };
    } finally {
      // After a successful rename these no longer exist; after any failure they must not stay.
      await rm(temporaryObject, { force: true });
      await rm(temporaryMetadata, { force: true });
    }
  }

  async function commitRename(
    key: string,
    source: string,
    target: string,
    root: string,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      await prepareParent(key, target, root);
      try {
        await rename(source, target);
        return;
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'ENOENT' && attempt < COMMIT_ATTEMPTS) continue;
        if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM') {
          if ((await stat(target).catch(() => null))?.isDirectory())
            throw folderConflict(key, error);
        }
        throw error;
      }
    }
  }

  /** Creates the folders of `target` without letting a symbolic link lead them out of the root. */
  async function prepareParent(key: string, target: string, root: string): Promise<void> {
    const parent = path.dirname(target);
    if (!isInside(root, await deepestExistingRealPath(parent, layout.root))) throw escapeError(key);
    try {
      await mkdir(parent, { recursive: true });
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOTDIR' || code === 'EEXIST') throw prefixConflict(key, error);
      throw error;
    }
    // Again after mkdir: a link may have appeared in between (defence in depth, not a lock).
    const realParent = await realPathOrNull(parent);
    if (realParent === null) return;
    if (!isInside(root, realParent)) throw escapeError(key);
  }

  async function pruneEmptyFolders(from: string): Promise<void> {
    let folder = from;
    while (folder !== layout.root && isInside(layout.root, folder)) {
      try {
        await rmdir(folder);
      } catch {
        // Not empty, already gone or not ours to remove: either way the pruning stops here.
        return;
      }
      folder = path.dirname(folder);
    }
  }

  return {
    specificationVersion: 'v1',

    put(key, body, options = {}) {
      const checked = checkKey(key).andThen(() => checkPutOptions(options));
      if (checked.isErr()) return errAsync(at('blobs.put')(checked.error));
      return ResultAsync.fromPromise(writeObject(key, body, options, checked.value), (error) =>
        toFsError(
          error,
          `Writing ${JSON.stringify(key)}`,
          'the blob folder is not writable by this process (check its owner and permissions, or that its disk is mounted read-write)',
        ),
      ).mapErr(at('blobs.put'));
    },

    get(key) {
      const checked = checkKey(key);
      if (checked.isErr()) return errAsync(at('blobs.get')(checked.error));
      const notFound = () =>
        notFoundError(`No blob under ${JSON.stringify(key)}`, { details: { key } });
      const read = () =>
        locks.run(key, async (): Promise<BlobObject> => {
          const real = await resolveObject(key);
          if (real === null) throw notFound();
          let handle: FileHandle;
          try {
            handle = await open(real, 'r');
          } catch (error) {
            // Gone since we resolved it, or a folder (Windows refuses to open those).
            const code = errnoCode(error);
            if (code === 'ENOENT' || code === 'EISDIR') throw notFound();
            throw error;
          }
          try {
            // Size from the open file, not the path: a rename after this cannot change what we stream.
            const stats = await handle.stat();
            if (!stats.isFile()) throw notFound();
            const metadata = await readMetadata(key, stats.size);
            const body = Readable.toWeb(
              handle.createReadStream(),
            ) as unknown as ReadableStream<Uint8Array>;
            return { key, sizeBytes: stats.size, ...metadata, body };
          } catch (error) {
            await handle.close().catch(() => undefined);
            throw error;
          }
        });
      return ResultAsync.fromPromise(read(), (error) =>
        toFsError(error, `Reading ${JSON.stringify(key)}`),
      ).mapErr(at('blobs.get'));
    },

    head(key) {
      const checked = checkKey(key);
      if (checked.isErr()) return errAsync(at('blobs.head')(checked.error));
      const look = () =>
        locks.run(key, async (): Promise<BlobInfo | null> => {
          const real = await resolveObject(key);
          if (real === null) return null;
          const stats = await stat(real).catch((error: unknown) => {
            if (errnoCode(error) === 'ENOENT') return null;
            throw error;
          });
          if (stats === null || !stats.isFile()) return null;
          return { key, sizeBytes: stats.size, ...(await readMetadata(key, stats.size)) };
        });
      return ResultAsync.fromPromise(look(), (error) =>
        toFsError(error, `Reading ${JSON.stringify(key)}`),
      ).mapErr(at('blobs.head'));
    },

    delete(key) {
      const checked = checkKey(key);
      if (checked.isErr()) return errAsync(at('blobs.delete')(checked.error));
      const remove = () =>
        locks.run(key, async (): Promise<void> => {
          const root = await realRoot();
          if (root === null) return;
          const target = layout.objectPath(key);
          const realParent = await realPathOrNull(path.dirname(target));
          if (realParent !== null) {
            // Checked on the folder, not the file: unlinking a link removes the link, but a
            // linked folder on the way would let us remove a file outside the root.
            if (!isInside(root, realParent)) throw escapeError(key);
            await unlinkObject(path.join(realParent, path.basename(target)));
          }
          await rm(layout.metadataPath(key), { force: true });
          await pruneEmptyFolders(path.dirname(target));
        });
      return ResultAsync.fromPromise(remove(), (error) =>
        toFsError(error, `Deleting ${JSON.stringify(key)}`),
      ).mapErr(at('blobs.delete'));
    },
  };
}

/** Names this adapter and the call in the error's fields; the message stays a sentence. */
const at = (operation: string) => (error: VBucketsError) =>
  withErrorSource(error, { adapter: 'fs', operation });

/** The store of invalid settings: every call answers the settings error, the disk is never touched. */
function refusingBlobStore(refusal: VBucketsError): BlobStore {
  const refuse = (operation: string) => errAsync(at(operation)(refusal));
  return {
    specificationVersion: 'v1',
    put: () => refuse('blobs.put'),
    get: () => refuse('blobs.get'),
    head: () => refuse('blobs.head'),
    delete: () => refuse('blobs.delete'),
  };
}

function checkPutOptions(options: BlobPutOptions): Result<BlobVisibility, VBucketsError> {
  const visibility = options.visibility ?? 'private';
  if (visibility !== 'public' && visibility !== 'private') {
    return err(validationError('visibility must be "public" or "private"', { path: 'visibility' }));
  }
  if (options.contentType !== undefined && typeof options.contentType !== 'string') {
    return err(validationError('contentType must be a string', { path: 'contentType' }));
  }
  return ok(visibility);
}
