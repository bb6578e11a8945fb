import type { BlobStore } from './ports/blob-store';
import { type Clock, systemClock } from './ports/clock';
import { type IdGenerator, randomIdGenerator } from './ports/id-generator';
import type { Store } from './ports/store';
import { type BucketsService, createBucketsService } from './services/buckets-service';
import {
  type CategorizeService,
  createCategorizeService,
} from './services/categorize/categorize-service';
import type {
  CategorizationProvider,
  CategorizeSettings,
} from './services/categorize/categorize-types';

export interface VBucketsOptions {
  /** Durable state (`@vbuckets/storage-sqlite`, `@vbuckets/storage-postgres`, or the memory store). */
  store: Store;
  /** Where video bytes live (`@vbuckets/fs`, `@vbuckets/r2`, or the memory blob store). */
  blobs: BlobStore;
  /** Defaults to the wall clock. */
  clock?: Clock;
  /** Defaults to random UUIDs. */
  ids?: IdGenerator;
  /** AI (or offline) providers by name, as `categorize.run({ provider })` names them. */
  providers?: Record<string, CategorizationProvider>;
  /** Tuning of the batch pipeline (batch size, concurrency, attempts, …). */
  categorize?: CategorizeSettings;
}

/** The SDK: services composed over the ports you give it. */
export interface VBuckets {
  readonly buckets: BucketsService;
  /** Batches: store, analyse and file videos into buckets; results, CSV, uploaded marks. */
  readonly categorize: CategorizeService;
  readonly store: Store;
  readonly blobs: BlobStore;
  /** Closes the store. */
  close(): Promise<void>;
}

/** Composes the services over your adapters. */
export function createVBuckets(options: VBucketsOptions): VBuckets {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIdGenerator;
  const { store, blobs } = options;
  return {
    buckets: createBucketsService({ store, clock, ids }),
    categorize: createCategorizeService({
      store,
      blobs,
      clock,
      ids,
      providers: options.providers,
      settings: options.categorize,
    }),
    store,
    blobs,
    close: () => store.close(),
  };
}
