import { createMemoryBlobStore } from '@vbuckets/core/testing';
import { describeBlobStoreConformance } from '../src/blob-store-conformance';

describeBlobStoreConformance({ name: 'memory', createBlobStore: () => createMemoryBlobStore() });
