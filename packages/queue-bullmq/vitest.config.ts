import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'queue-bullmq',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Cases wait on the engine for up to a minute (a busy machine), never on a clock.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
