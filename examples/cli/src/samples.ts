import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storageError } from '@vbuckets/core';

/**
 * The package's `samples/videos` folder. Found by walking up from this module, because the
 * module is `src/samples.ts` in tests and a chunk of `dist/` once bundled: either way the
 * folder sits beside the package's package.json.
 */
export function sampleVideosDir(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 5; level += 1) {
    const candidate = join(directory, 'samples', 'videos');
    if (existsSync(candidate) && existsSync(join(directory, 'package.json'))) return candidate;
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  throw storageError(
    `The sample videos are missing: no samples/videos folder above ${fileURLToPath(import.meta.url)}`,
  );
}
