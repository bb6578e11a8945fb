import type { Store } from '@vbuckets/core/adapter-kit';
import { afterEach, beforeEach, describe } from 'vitest';
import { describeBucketConformance } from './store-conformance-buckets';
import { describeBulkConformance } from './store-conformance-bulk';
import { describeCategorizationConformance } from './store-conformance-categorizations';
import { describeConcurrencyConformance } from './store-conformance-concurrency';
import type { StoreConformanceContext } from './store-conformance-context';
import { describeErrorMessageConformance } from './store-conformance-error-messages';
import { describeHostileStringConformance } from './store-conformance-hostile-strings';
import { describeJobConformance } from './store-conformance-jobs';
import { describeLifecycleConformance } from './store-conformance-lifecycle';
import { describeMarketConformance } from './store-conformance-market';
import { describePagingConformance } from './store-conformance-paging';
import { describeRowClaimConformance } from './store-conformance-row-claims';
import { describeScopingConformance } from './store-conformance-scoping';
import { describeSegmentConformance } from './store-conformance-segments';
import { describeSessionConformance } from './store-conformance-sessions';
import { describeTaskConformance } from './store-conformance-tasks';
import { describeTextRuleConformance } from './store-conformance-text-rule';
import { describeTransactionConformance } from './store-conformance-transactions';
import { describeUploadConformance } from './store-conformance-uploads';
import { describeVideoConformance } from './store-conformance-videos';

/** How `describeStoreConformance` gets a store to test. */
export interface StoreConformanceOptions {
  /** Names the suite in the test report, e.g. `sqlite`. */
  name: string;
  /**
   * Called before every test. May return a fresh store or a new handle on a database that
   * other tests share: every test makes its own random org and product ids and never
   * depends on what else is stored, so no reset is needed.
   */
  createStore: () => Promise<Store> | Store;
  /**
   * Called after every test with that test's store (also deletes temporary files, if any).
   * When given, the suite also checks that a closed store fails with `STORAGE`, so each
   * `createStore` call must then return a store that can be closed on its own. When absent,
   * stores are not closed and the closed-store cases are skipped.
   */
  closeStore?: (store: Store) => Promise<void>;
}

/**
 * Declares the Store port's conformance suite (vitest `describe`/`it` blocks). Every Store
 * adapter calls it from a test file:
 *
 * ```ts
 * describeStoreConformance({ name: 'sqlite', createStore: () => createSqliteStore({ path: ':memory:' }) });
 * ```
 *
 * It covers CRUD of every repository, ordering, org scoping (another org's record is
 * `NOT_FOUND`), bucket name uniqueness (`CONFLICT`), transactions (commit, rollback on Err
 * and on throw; the suite expects serialisable transactions), concurrent writers, hostile
 * strings, returned copies, uploads (the atomic claim, leases, attempts, checkpoints, due
 * retries), the audit trail, market creatives (one per source URL, the conditional analysis
 * move, idempotent atomic performance increments), pattern evidence (atomic upserts),
 * generation tasks and thumbnails (ids per org, the conditional status move, stats, at most one
 * selected thumbnail per task under concurrent selects), segments and their social usage
 * (filters, orders and keyset pages, atomic usage upserts and ensure, listPosted, grouped
 * analytics), the embedded job queue's jobs (deduping inserts, atomic claims in due order under
 * leases, stalled-job takeover, owner-checked outcomes, counts, failed listings, retries) and
 * schedules (compare-and-set claims of due occurrences) and, with `closeStore`, closed-store errors.
 */
export function describeStoreConformance(options: StoreConformanceOptions): void {
  describe(`Store conformance: ${options.name}`, () => {
    let current: Store | undefined;
    let closed = false;

    beforeEach(async () => {
      current = await options.createStore();
      closed = false;
    });

    afterEach(async () => {
      const store = current;
      current = undefined;
      if (store !== undefined && !closed && options.closeStore !== undefined) {
        await options.closeStore(store);
      }
    });

    const context: StoreConformanceContext = {
      store() {
        if (current === undefined) throw new Error('No store: the suite creates one in beforeEach');
        return current;
      },
      canClose: options.closeStore !== undefined,
      async close() {
        if (options.closeStore === undefined) throw new Error('The suite was given no closeStore');
        closed = true;
        await options.closeStore(context.store());
      },
    };

    describeBucketConformance(context);
    describeVideoConformance(context);
    describeSessionConformance(context);
    describeCategorizationConformance(context);
    describeBulkConformance(context);
    describePagingConformance(context);
    describeRowClaimConformance(context);
    describeScopingConformance(context);
    describeTransactionConformance(context);
    describeConcurrencyConformance(context);
    describeHostileStringConformance(context);
    describeLifecycleConformance(context);
    describeUploadConformance(context);
    describeErrorMessageConformance(context);
    describeTextRuleConformance(context);
    describeMarketConformance(context);
    describeTaskConformance(context);
    describeSegmentConformance(context);
    describeJobConformance(context);
  });
}
