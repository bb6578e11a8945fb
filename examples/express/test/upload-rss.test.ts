import { type ChildProcess, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalBlobStore } from '@vbuckets/fs';
import { createSqliteStore } from '@vbuckets/storage-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, PRODUCT, type RunView } from './categorize-fixtures';
import { ISSUER, SECRET, tokenFor } from './host';
import { buildServerIfStale, serverEntry } from './server-process';

const server = serverEntry;
const GIB = 1024 ** 3;
const CHUNK = 1024 * 1024;

/** Peak resident memory of a process (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmHWM:\s+(\d+)\s+kB$/mu.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kib) * 1024;
}

/**
 * POSTs one multipart part of `size` bytes (an MP4 `ftyp` box, then random bytes made a
 * chunk at a time as the socket takes them: never the whole body in memory) and answers the
 * response's status and body.
 */
function uploadGenerated(
  url: string,
  token: string,
  size: number,
): Promise<{ status: number; body: string }> {
  const boundary = `vbuckets-${Date.now().toString(36)}-boundary`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="videos"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const ftyp = Buffer.from([
    0,
    0,
    0,
    0x18,
    ...Buffer.from('ftypisom'),
    0,
    0,
    2,
    0,
    ...Buffer.from('isomiso2'),
  ]);
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}/api/v1/products/${PRODUCT}/categorize`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + size + tail.length),
      },
    });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      response.on('error', reject);
    });
    let sent = 0;
    const writeMore = () => {
      while (sent < size) {
        const chunk = randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK, size - sent)));
        if (sent === 0) ftyp.copy(chunk);
        sent += chunk.length;
        if (!outgoing.write(chunk)) {
          outgoing.once('drain', writeMore);
          return;
        }
      }
      outgoing.end(tail);
    };
    outgoing.write(head);
    writeMore();
  });
}

describe('a 1 GiB multipart upload to the built server', () => {
  let dataDir: string;
  let child: ChildProcess;
  let url: string;
  let token: string;
  beforeAll(async () => {
    buildServerIfStale();
    dataDir = mkdtempSync(join(tmpdir(), 'vbuckets-express-rss-'));
    mkdirSync(join(dataDir, 'tmp'));
    child = spawn(process.execPath, [server], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TMPDIR: join(dataDir, 'tmp'),
        PORT: '0',
        VBUCKETS_DATA_DIR: join(dataDir, 'data'),
        VBUCKETS_JWT_SECRET: SECRET,
        VBUCKETS_JWT_ISSUER: ISSUER,
        VBUCKETS_CATEGORIZE: 'queued',
        // Nobody works the session: the test is about receiving and storing the bytes.
        VBUCKETS_WORKER: '0',
        // The body is an MP4 header and pseudo-random bytes, which ffprobe rightly calls corrupt
        // (tests of categorize cover that refusal); without a probe the bytes are stored as sent.
        FFPROBE_PATH: join(dataDir, 'no-ffprobe-here'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /listening on (http:\/\/[^\s]+)/u.exec(output)?.[1];
        if (found !== undefined) resolve(found);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)));
    });
    token = await tokenFor({ userId: 'ana', orgId: 'acme' });
    const bucket = await fetch(`${url}/api/v1/buckets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ productId: PRODUCT, name: 'Everything' }),
    });
    expect(bucket.status).toBe(201);
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams it to disk and the blob store with the server staying under 200 MB', async () => {
    const answer = await uploadGenerated(url, token, GIB);
    const peak = peakRss(child.pid as number);
    expect(answer.status, answer.body).toBe(202);
    const { rows } = JSON.parse(answer.body) as RunView;
    expect(rows).toHaveLength(1);
    console.info(
      `peak RSS of the server during a 1 GiB upload: ${(peak / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(peak).toBeLessThan(200 * 1000 * 1000);

    // Every byte arrived: the registered video and its blob are exactly 1 GiB; no temporary copy is left.
    const opened = await createSqliteStore({ path: join(dataDir, 'data', 'vbuckets.db') });
    if (opened.isErr()) throw opened.error;
    const store = opened.value;
    try {
      const got = await store.videos.get({ orgId: 'acme' }, rows[0]?.videoId as string);
      if (got.isErr()) throw got.error;
      const video = got.value;
      expect(video.sizeBytes).toBe(GIB);
      const blobs = createLocalBlobStore({ root: join(dataDir, 'data', 'blobs') });
      expect((await blobs.head(video.blobKey))._unsafeUnwrap()?.sizeBytes).toBe(GIB);
    } finally {
      await store.close();
    }
    expect(filesUnder(join(dataDir, 'tmp'))).toEqual([]);
  }, 600_000);
});
