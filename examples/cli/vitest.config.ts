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
    // Nearly every test here runs the command (ffprobe, SQLite, PostgreSQL, often a child
    // process): seconds alone, several times that on a busy 2-core machine.
    testTimeout: 120_000,
  },
});
