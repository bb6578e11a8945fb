import { fileURLToPath } from 'node:url';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Tests import workspace packages from their sources, so a test run needs no build and
 * helpers editing one package never race another package's `dist`.
 */
export const workspaceAliases = [
  {
    find: /^@vbuckets\/core\/testing$/,
    replacement: source('./packages/core/src/testing/index.ts'),
  },
  { find: /^@vbuckets\/core\/node$/, replacement: source('./packages/core/src/node/index.ts') },
  {
    find: /^@vbuckets\/core\/adapter-kit$/,
    replacement: source('./packages/core/src/adapter-kit.ts'),
  },
  { find: /^@vbuckets\/core\/domain$/, replacement: source('./packages/core/src/domain.ts') },
  { find: /^@vbuckets\/core$/, replacement: source('./packages/core/src/index.ts') },
  { find: /^@vbuckets\/storage-sql$/, replacement: source('./packages/storage-sql/src/index.ts') },
  {
    find: /^@vbuckets\/storage-sqlite$/,
    replacement: source('./packages/storage-sqlite/src/index.ts'),
  },
  {
    find: /^@vbuckets\/storage-postgres$/,
    replacement: source('./packages/storage-postgres/src/index.ts'),
  },
  { find: /^@vbuckets\/media$/, replacement: source('./packages/media/src/index.ts') },
  { find: /^@vbuckets\/uploaders$/, replacement: source('./packages/uploaders/src/index.ts') },
  { find: /^@vbuckets\/fs$/, replacement: source('./packages/fs/src/index.ts') },
  { find: /^@vbuckets\/anthropic$/, replacement: source('./packages/anthropic/src/index.ts') },
  { find: /^@vbuckets\/gemini$/, replacement: source('./packages/gemini/src/index.ts') },
  { find: /^@vbuckets\/r2$/, replacement: source('./packages/r2/src/index.ts') },
  {
    find: /^@vbuckets\/testkit\/postgres-global-setup$/,
    replacement: source('./packages/testkit/src/postgres-global-setup.ts'),
  },
  { find: /^@vbuckets\/testkit$/, replacement: source('./packages/testkit/src/index.ts') },
];
