import type { Result, ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';
import type { MemoryStoreState } from './memory-store-state';

/** An operation on the state. It checks everything before it changes anything, so an Err leaves no trace. */
export type MemoryOperation<T> = (state: MemoryStoreState) => Result<T, VBucketsError>;

/** How repositories reach the state: the committed state outside a transaction, a draft inside one. */
export interface MemoryStoreAccess {
  /** Runs a read. */
  read<T>(operation: MemoryOperation<T>): ResultAsync<T, VBucketsError>;
  /** Runs a write. */
  write<T>(operation: MemoryOperation<T>): ResultAsync<T, VBucketsError>;
}
