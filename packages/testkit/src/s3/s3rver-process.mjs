// Runs s3rver in its own process for startS3Server: argv[2] is a JSON
// `{ directory, buckets }`; prints `{ "port": N }` once listening, exits when stdin closes
// (so the server never outlives the test process that started it).
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';

const { directory, buckets } = JSON.parse(process.argv[2] ?? '{}');

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});

// s3rver writes an object in place and its metadata afterwards, so concurrent PUTs of one key
// can interleave bytes and a GET can see a half-written file. S3 and R2 replace objects
// atomically; to behave like them, writes go to a temp file renamed into place, and the
// writes, reads and deletes of one key take turns.
const store = server.store;
const turns = new Map();
function inTurn(bucket, key, work) {
  const id = `${bucket}\u0000${key}`;
  const previous = turns.get(id) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  const settled = next.catch(() => undefined);
  turns.set(id, settled);
  void settled.then(() => {
    if (turns.get(id) === settled) turns.delete(id);
  });
  return next;
}

const originalGetObject = store.getObject.bind(store);
const originalDeleteObject = store.deleteObject.bind(store);
store.getObject = (bucket, key, options) =>
  inTurn(bucket, key, () => originalGetObject(bucket, key, options));
store.deleteObject = (bucket, key) => inTurn(bucket, key, () => originalDeleteObject(bucket, key));
store.putObject = async (object) => {
  const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(dirname(objectPath), { recursive: true });
  const temporary = `${objectPath}.${randomUUID()}.tmp`;
  const md5 = createHash('md5');
  let size = 0;
  async function* counted(source) {
    for await (const chunk of source) {
      md5.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  const source = Buffer.isBuffer(object.content) ? [object.content] : object.content;
  try {
    await pipeline(counted(source), createWriteStream(temporary));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const digest = md5.digest('hex');
  await inTurn(object.bucket, object.key, async () => {
    await rename(temporary, objectPath);
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
  });
  return { size, md5: digest };
};

const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

const stop = async () => {
  await server.close().catch(() => undefined);
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
