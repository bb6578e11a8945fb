import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'express',
    include: ['test/**/*.test.ts'],
    // Every route runs on PostgreSQL too: the local server, or a throwaway one.
    globalSetup: [fileURLToPath(new URL('./test/postgres-global-setup.ts', import.meta.url))],
    hookTimeout: 180_000,
    // Real HTTP against a listening server, SQLite and PostgreSQL: seconds on a busy 2-core machine.
    testTimeout: 120_000,
  },
});
