import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'core',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Some tests spawn processes (ffprobe, ffmpeg, unzip, writers): the 5 s default failed on a
    // busy 2-core machine; this is room, not an expected duration.
    testTimeout: 60_000,
  },
});
