import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'anthropic',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The tests spawn ffmpeg to make and read videos: the 5 s and 10 s defaults fail on a busy
    // 2-core machine; this is room, not an expected duration.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
