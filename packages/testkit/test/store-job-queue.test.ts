import { createStoreJobQueue } from '@vbuckets/core';
import { createMemoryStore } from '@vbuckets/core/testing';
import { describeJobQueueConformance } from '../src/index';

// Every queue of the suite shares one memory store, as the workers of one process would.
const store = createMemoryStore();
describeJobQueueConformance({
  name: 'embedded (memory)',
  createQueue: () => createStoreJobQueue(store, { pollIntervalMs: 50 }),
  cleanup: () => store.close(),
});
