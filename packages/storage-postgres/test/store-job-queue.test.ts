import { createStoreJobQueue } from '@vbuckets/core';
import type { Store } from '@vbuckets/core/adapter-kit';
import { describeJobQueueConformance } from '@vbuckets/testkit';
import { openStore, useTestSchemas } from './helpers';

const schema = useTestSchemas()();
const stores: Store[] = [];

// Each queue opens its own pool on one schema, as separate processes would.
describeJobQueueConformance({
  name: 'embedded (postgres)',
  createQueue: async () => {
    const store = await openStore(schema);
    stores.push(store);
    return createStoreJobQueue(store, { pollIntervalMs: 50 });
  },
  cleanup: async () => {
    for (const store of stores) await store.close();
  },
});
