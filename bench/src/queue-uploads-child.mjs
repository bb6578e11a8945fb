// One worker process of queue-throughput's upload half: the real SDK (built packages) over the
// shared SQLite file and blob folder, jobs in BullMQ under the run's prefix, and the YouTube
// uploader pointed at the parent's fake server. It opens everything, prints "ready", starts
// `vb.jobs.work` on "go" and closes gracefully on "stop", then prints one JSON line of counts.
import { createInterface } from 'node:readline';
import { createVBuckets } from '@vbuckets/core';
import { createLocalBlobStore } from '@vbuckets/fs';
import { createBullMqJobQueue } from '@vbuckets/queue-bullmq';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import { createYouTubeUploader } from '@vbuckets/uploaders';

const settings = JSON.parse(process.argv[2] ?? '{}');
const opened = await createSqliteStore({ path: settings.storePath, busyTimeoutMs: 30_000 });
if (opened.isErr()) throw opened.error;
let warnings = 0;
const created = createVBuckets({
  store: opened.value,
  blobs: createLocalBlobStore({ root: settings.blobRoot, fsync: false }),
  queue: createBullMqJobQueue({ redisUrl: settings.redisUrl, prefix: settings.prefix }),
  uploaders: [
    createYouTubeUploader({
      accessToken: () => 'fake-youtube-token',
      baseURL: settings.baseUrl,
      requestTimeoutMs: 30_000,
    }),
  ],
  onWarning: () => {
    warnings += 1;
  },
});
if (created.isErr()) throw created.error;
const vb = created.value;

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function waitFor(word) {
  for (let line = await lines.next(); !line.done; line = await lines.next()) {
    if (line.value.trim() === word) return;
  }
  throw new Error(`stdin closed before "${word}"`);
}

process.stdout.write('ready\n');
await waitFor('go');
const counts = { completed: 0, failed: 0, engineErrors: 0 };
const firstErrors = [];
const worker = vb.jobs.work({
  kinds: ['uploads.upload'],
  concurrency: settings.concurrency,
  onEvent: (event) => {
    if (event.type === 'job-completed') counts.completed += 1;
    if (event.type === 'job-failed') {
      counts.failed += 1;
      if (firstErrors.length < 5) firstErrors.push(`${event.error.code}: ${event.error.message}`);
    }
  },
  onError: () => {
    counts.engineErrors += 1;
  },
});
if (worker.isErr()) throw worker.error;
await waitFor('stop');
await worker.value.close();
await vb.close();
process.stdout.write(`${JSON.stringify({ ...counts, warnings, firstErrors })}\n`);
process.exit(0);
