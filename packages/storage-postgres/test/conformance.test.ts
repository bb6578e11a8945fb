import { describeStoreConformance } from '@vbuckets/testkit';
import pg from 'pg';
import { afterAll } from 'vitest';
import { createPostgresStore } from '../src/index';
import { openStore, postgresUrl, useTestSchemas } from './helpers';

const schemaName = useTestSchemas();

// Every test opens a store with its own pool on one schema, as separate processes would; the
// suite isolates tests by random org and product ids.
const ownPoolSchema = schemaName();
describeStoreConformance({
  name: 'postgres (connectionString)',
  createStore: () => openStore(ownPoolSchema),
  closeStore: (store) => store.close(),
});

// The same cases through a pool the caller owns, whose connections' search_path does not
// name the store's schema: every query must qualify its tables itself.
const borrowedSchema = schemaName();
const pool = new pg.Pool({ connectionString: postgresUrl, max: 10 });
pool.on('error', () => {});
afterAll(() => pool.end());
describeStoreConformance({
  name: 'postgres (borrowed pool)',
  createStore: async () => {
    const result = await createPostgresStore({ pool, schema: borrowedSchema });
    if (result.isErr()) throw result.error;
    return result.value;
  },
  closeStore: (store) => store.close(),
});
