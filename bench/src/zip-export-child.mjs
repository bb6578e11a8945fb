// The measured side of the zip-export benchmark, in its own process so that its peak RSS is
// the export's alone. Plain JavaScript on the built packages: no TypeScript loader in memory.
import { readFileSync } from 'node:fs';
import { writeBucketZips } from '@vbuckets/core/node';
import { createLocalBlobStore } from '@vbuckets/fs';

const { root, outDir, bucketName, entries } = JSON.parse(process.argv[2] ?? '{}');
const started = performance.now();
const result = await writeBucketZips({
  blobs: createLocalBlobStore({ root }),
  outDir,
  groups: [{ bucketName, entries }],
});
const seconds = (performance.now() - started) / 1000;
if (result.isErr()) {
  process.stderr.write(`${JSON.stringify(result.error.toJSON())}\n`);
  process.exit(1);
}
const status = readFileSync('/proc/self/status', 'utf8');
const highWaterKB = Number(/VmHWM:\s+(\d+)/u.exec(status)?.[1] ?? Number.NaN);
process.stdout.write(
  JSON.stringify({
    seconds,
    // Both in KiB on Linux: the kernel's peak resident set, and Node's view of the same.
    maxRssKB: process.resourceUsage().maxRSS,
    highWaterKB,
    zips: result.value,
  }),
);
