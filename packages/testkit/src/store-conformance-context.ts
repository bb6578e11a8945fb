import type { Store } from '@vbuckets/core/adapter-kit';

/** What each part of the Store suite gets from `describeStoreConformance`. */
export interface StoreConformanceContext {
  /** The store of the running test (created in `beforeEach`). */
  store(): Store;
  /** Whether the suite was given `closeStore`, so closed-store behaviour can be checked. */
  readonly canClose: boolean;
  /** Closes the running test's store through `closeStore`; the suite then does not close it again. */
  close(): Promise<void>;
}
