import { createMemoryStore } from '@vbuckets/core/testing';
import { describeStoreConformance } from '../src/index';

describeStoreConformance({
  name: 'memory',
  createStore: () => createMemoryStore(),
  closeStore: (store) => store.close(),
});
