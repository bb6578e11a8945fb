import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // `--database-url` tests need a real PostgreSQL: the local one, or a throwaway server.
    globalSetup: [fileURLToPath(new URL('./test/postgres-global-setup.ts', import.meta.url))],
    hookTimeout: 180_000,
  },
});
