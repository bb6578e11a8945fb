import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    // The built host and page, once for every file (a stale build is rebuilt first).
    globalSetup: [fileURLToPath(new URL('./test/global-setup.ts', import.meta.url))],
    // A real Chromium against a real server process on a busy 2-core machine: no short waits.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
