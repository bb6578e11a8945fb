import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@vbuckets/core/adapter-kit';
import { describeStoreConformance } from '@vbuckets/testkit';
import { afterAll } from 'vitest';
import { createSqliteStore } from '../src/index';

const directory = mkdtempSync(join(tmpdir(), 'vbuckets-sqlite-conformance-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function open(path: string): Promise<Store> {
  const result = await createSqliteStore({ path });
  if (result.isErr()) throw result.error;
  return result.value;
}

// Every test opens its own handle on one shared WAL file, as separate processes would.
describeStoreConformance({
  name: 'sqlite file',
  createStore: () => open(join(directory, 'conformance.db')),
  closeStore: (store) => store.close(),
});

describeStoreConformance({
  name: 'sqlite :memory:',
  createStore: () => open(':memory:'),
  closeStore: (store) => store.close(),
});
