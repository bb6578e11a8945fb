import { err, type Result, ResultAsync } from 'neverthrow';
import { storageError, toVBucketsError, type VBucketsError } from '../errors';
import type { Store, StoreRepositories } from '../ports/store';
import { createAsyncMutex } from './async-mutex';
import { createMemoryBucketRepository } from './memory-bucket-repository';
import {
  createMemoryCategorizationRepository,
  createMemorySessionRepository,
} from './memory-categorization-repository';
import { createMemoryCreativeRepository } from './memory-creative-repository';
import { createMemoryJobRepository } from './memory-job-repository';
import { createMemoryPatternRepository } from './memory-pattern-repository';
import { createMemorySegmentRepository } from './memory-segment-repository';
import type { MemoryOperation, MemoryStoreAccess } from './memory-store-access';
import { copyState, createEmptyState, type MemoryStoreState } from './memory-store-state';
import { createMemoryGenerationTaskRepository } from './memory-task-repository';
import { createMemoryThumbnailRepository } from './memory-thumbnail-repository';
import {
  createMemoryAuditEventRepository,
  createMemoryUploadRepository,
} from './memory-upload-repository';
import { createMemoryVideoRepository } from './memory-video-repository';

function createRepositories(access: MemoryStoreAccess): StoreRepositories {
  return {
    buckets: createMemoryBucketRepository(access),
    videos: createMemoryVideoRepository(access),
    categorizationSessions: createMemorySessionRepository(access),
    categorizations: createMemoryCategorizationRepository(access),
    uploads: createMemoryUploadRepository(access),
    auditEvents: createMemoryAuditEventRepository(access),
    creatives: createMemoryCreativeRepository(access),
    patterns: createMemoryPatternRepository(access),
    tasks: createMemoryGenerationTaskRepository(access),
    thumbnails: createMemoryThumbnailRepository(access),
    segments: createMemorySegmentRepository(access),
    jobs: createMemoryJobRepository(access),
  };
}

/** Runs an operation, turning a thrown bug into a STORAGE error like a driver error would be. */
function attempt<T>(
  operation: MemoryOperation<T>,
  state: MemoryStoreState,
): Result<T, VBucketsError> {
  try {
    return operation(state);
  } catch (error) {
    return err(
      toVBucketsError(error, 'STORAGE', 'The store operation failed', { adapter: 'memory' }),
    );
  }
}

/**
 * A Store held in memory that behaves like the SQL stores (it passes the same conformance
 * suite): org scoping, name uniqueness, derived counts, ordering, atomic transactions.
 *
 * Transactions work on a copy of the state that replaces it on success, and run one at a
 * time. Reads outside a transaction see committed state at once; writes outside one wait
 * for the running transaction, so inside `fn` use the `tx` repositories: a write through
 * the store itself there would wait for the transaction it is part of.
 */
export function createMemoryStore(): Store {
  let committed = createEmptyState();
  let closed = false;
  const mutex = createAsyncMutex();
  const closedError = () => storageError('The store is closed', { adapter: 'memory' });

  const outside: MemoryStoreAccess = {
    read: (operation) =>
      new ResultAsync(Promise.resolve(closed ? err(closedError()) : attempt(operation, committed))),
    write: (operation) =>
      new ResultAsync(
        mutex.run(async () => (closed ? err(closedError()) : attempt(operation, committed))),
      ),
  };

  return {
    specificationVersion: 'v1',
    ...createRepositories(outside),

    transaction<T>(
      fn: (tx: StoreRepositories) => ResultAsync<T, VBucketsError>,
    ): ResultAsync<T, VBucketsError> {
      return new ResultAsync(
        mutex.run(async (): Promise<Result<T, VBucketsError>> => {
          if (closed) return err(closedError());
          const draft = copyState(committed);
          let finished = false;
          // A tx handle kept past its transaction would write into a discarded draft.
          const run = <R>(operation: MemoryOperation<R>) =>
            new ResultAsync(
              Promise.resolve(
                closed
                  ? err(closedError())
                  : finished
                    ? err(
                        storageError('The transaction has already finished', { adapter: 'memory' }),
                      )
                    : attempt(operation, draft),
              ),
            );
          try {
            const outcome = await fn(createRepositories({ read: run, write: run }));
            if (outcome.isErr()) return outcome;
            if (closed) return err(closedError());
            committed = draft;
            return outcome;
          } catch (error) {
            return err(
              toVBucketsError(error, 'STORAGE', 'The transaction failed', {
                adapter: 'memory',
              }),
            );
          } finally {
            finished = true;
          }
        }),
      );
    },

    close: async () => {
      closed = true;
    },
  };
}
