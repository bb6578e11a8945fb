// The measured side of the s3-transfer benchmark, in its own process so that its peak RSS is
// the transfer's alone. Plain JavaScript on the built packages: no TypeScript loader in memory.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createS3BlobStore } from '@vbuckets/r2';

const settings = JSON.parse(process.argv[2] ?? '{}');
const store = createS3BlobStore({
  endpoint: settings.endpoint,
  region: 'us-east-1',
  bucket: settings.bucket,
  credentials: settings.credentials,
  forcePathStyle: true,
  partSizeBytes: settings.partSizeBytes,
  queueSize: settings.queueSize,
});

function fail(error) {
  process.stderr.write(`${JSON.stringify(error.toJSON?.() ?? String(error))}\n`);
  process.exit(1);
}

const started = performance.now();
let sizeBytes;
let sha256;
if (settings.mode === 'upload') {
  const put = await store.put(settings.key, createReadStream(settings.file), {
    contentType: 'video/mp4',
  });
  if (put.isErr()) fail(put.error);
  ({ sizeBytes, sha256 } = put.value);
} else {
  const object = await store.get(settings.key);
  if (object.isErr()) fail(object.error);
  // Hashing what arrives proves the bytes, as sha256sum does on the baseline side.
  const hash = createHash('sha256');
  sizeBytes = 0;
  for await (const chunk of object.value.body) {
    hash.update(chunk);
    sizeBytes += chunk.byteLength;
  }
  sha256 = hash.digest('hex');
}
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    seconds,
    sizeBytes,
    sha256,
    maxRssKB: usage.maxRSS,
    // The client's own CPU (SDK, hashing, HTTP), to tell its cost from the emulator's.
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  }),
);
