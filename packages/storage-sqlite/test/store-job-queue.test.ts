import { createStoreJobQueue } from '@vbuckets/core';
import type { Store } from '@vbuckets/core/adapter-kit';
import { describeJobQueueConformance } from '@vbuckets/testkit';
import { openStore, useTemporaryDirectory } from './helpers';

const temporaryPath = useTemporaryDirectory();
const path = temporaryPath('jobs.db');
const stores: Store[] = [];

// Each queue opens its own handle on one WAL file, as separate processes would.
describeJobQueueConformance({
  name: 'embedded (sqlite file)',
  createQueue: async () => {
    const store = await openStore({ path });
    stores.push(store);
    return createStoreJobQueue(store, { pollIntervalMs: 50 });
  },
  cleanup: async () => {
    for (const store of stores) await store.close();
  },
});
