import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'storage-postgres',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: [fileURLToPath(new URL('./test/global-setup.ts', import.meta.url))],
    // Every test talks to a real server; opening a store takes a few round trips.
    testTimeout: 20_000,
    hookTimeout: 180_000,
  },
});
