import type { Bucket, Scope, VBucketsError } from '@vbuckets/core';
import type { StoreRepositories } from '@vbuckets/core/adapter-kit';
import type { ResultAsync } from 'neverthrow';
import { uniqueId } from './builders';

/**
 * An Err holding `error`, built from the transaction's own repositories, so the suite never
 * depends on which copy of neverthrow the store under test was built with.
 */
export function failWith(
  tx: StoreRepositories,
  scope: Scope,
  error: VBucketsError,
): ResultAsync<Bucket, VBucketsError> {
  return tx.buckets.get(scope, uniqueId('missing')).mapErr(() => error);
}

/** A promise the test resolves by hand, to hold a transaction open at a chosen point. */
export function createGate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
