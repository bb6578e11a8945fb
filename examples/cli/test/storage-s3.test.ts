import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createS3BlobStore } from '@vbuckets/r2';
import { type S3TestServer, startFakeInstagramServer, startS3Server } from '@vbuckets/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWithDataDir, stderrLines } from './helpers';
import { samplesDir } from './samples';

const BUCKET = 'vbuckets-cli';
const BLOATED = join(samplesDir, 'bloated-after-lunch.mp4');
const COFFEE = join(samplesDir, '3pm-crash-coffee.mov');

interface VideoJson {
  id: string;
  blobKey: string;
  sha256: string;
  sizeBytes: number;
  visibility: 'public' | 'private';
  productCategory: string | null;
}

interface AccessJson {
  videoId: string;
  url: string;
  expiresIn: number | null;
  expiresAt: string | null;
  isPublic: boolean;
}

let server: S3TestServer;

beforeAll(async () => {
  // startS3Server creates the buckets it is given before it answers.
  server = await startS3Server({ buckets: [BUCKET] });
});

afterAll(async () => {
  await server?.close();
});

/** The variables a MinIO-like endpoint needs; every test passes them explicitly. */
function s3Env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    VBUCKETS_S3_FORCE_PATH_STYLE: '1',
    ...extra,
  };
}

/** A store reading the bucket directly, to check what the CLI wrote there. */
function bucketStore() {
  return createS3BlobStore({
    endpoint: server.endpoint,
    region: 'us-east-1',
    bucket: BUCKET,
    credentials: server.credentials,
    forcePathStyle: true,
  });
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

/** A data dir whose commands keep video bytes in the test bucket (under `prefix` when given). */
async function s3Cli(prefix = '') {
  const context = await cliWithDataDir();
  const storage = `s3://${BUCKET}${prefix === '' ? '' : `/${prefix}`}`;
  const env = s3Env();
  return {
    ...context,
    storage,
    s3: (argv: readonly string[], extraEnv: Record<string, string> = {}) =>
      context.cli(['--storage', storage, ...argv], { env: { ...env, ...extraEnv } }),
    s3Json: <T>(argv: readonly string[]) =>
      context.json<T>(['--storage', storage, ...argv], { env }),
  };
}

describe('--storage s3://bucket', () => {
  it('stores added videos in the bucket, not the data dir, and verifies them', async () => {
    const { s3, s3Json, dataDir } = await s3Cli();
    const [video] = await s3Json<VideoJson[]>(['videos', 'add', BLOATED]);
    expect(video).toBeDefined();
    if (video === undefined) return;
    const original = await readFile(BLOATED);
    expect(video.sizeBytes).toBe(original.byteLength);

    const store = bucketStore();
    try {
      const object = await store.get(video.blobKey);
      expect(object.isOk()).toBe(true);
      if (object.isOk()) expect(await bytesOf(object.value.body)).toEqual(original);
    } finally {
      store.client.destroy();
    }
    // Only the database is in the data dir: no blobs/ folder at all.
    expect(await readdir(dataDir)).not.toContain('blobs');

    const verified = await s3(['videos', 'verify', video.id]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^ok\\s+${video.id}`, 'u'));
  });

  it('reads the storage from VBUCKETS_STORAGE too', async () => {
    const { cli } = await s3Cli();
    const env = s3Env({ VBUCKETS_STORAGE: `s3://${BUCKET}` });
    const added = await cli(['videos', 'add', COFFEE, '--json'], { env });
    expect(added.code).toBe(0);
    const [video] = JSON.parse(added.stdout) as VideoJson[];
    const store = bucketStore();
    try {
      const head = await store.head(video?.blobKey ?? '');
      expect(head.isOk() && head.value?.sizeBytes).toBe((await readFile(COFFEE)).byteLength);
    } finally {
      store.client.destroy();
    }
  });

  it('keeps the objects under the prefix of s3://bucket/prefix', async () => {
    const { s3, s3Json } = await s3Cli('team-a/videos');
    const [video] = await s3Json<VideoJson[]>(['videos', 'add', BLOATED]);
    const key = video?.blobKey ?? '';
    const store = bucketStore();
    try {
      const head = await store.head(`team-a/videos/${key}`);
      expect(head.isOk() && head.value?.sizeBytes).toBe((await readFile(BLOATED)).byteLength);
    } finally {
      store.client.destroy();
    }
    expect((await s3(['videos', 'verify', '--all'])).code).toBe(0);
    const url = await s3(['videos', 'url', video?.id ?? '']);
    expect(url.code).toBe(0);
    expect(url.stdout).toContain(`/${BUCKET}/team-a/videos/`);
    const response = await fetch(url.stdout.trim());
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(await readFile(BLOATED));
  });

  it('videos url prints a presigned URL that plays the video', async () => {
    const { s3, s3Json } = await s3Cli();
    const [video] = await s3Json<VideoJson[]>(['videos', 'add', BLOATED]);
    const id = video?.id ?? '';

    const text = await s3(['videos', 'url', id]);
    expect(text.code).toBe(0);
    expect(stderrLines(text)).toEqual([expect.stringMatching(/^expires in 1 h \(at \S+Z\)$/u)]);
    const url = text.stdout.trim();
    expect(text.stdout).toBe(`${url}\n`);
    expect(url.startsWith(`${server.endpoint}/${BUCKET}/`)).toBe(true);
    expect(url).toContain('X-Amz-Expires=3600');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(await readFile(BLOATED));

    const before = Date.now();
    const access = await s3Json<AccessJson>(['videos', 'url', id.slice(0, 8), '--ttl', '600']);
    expect(access).toMatchObject({ videoId: id, expiresIn: 600, isPublic: false });
    expect(access.url).toContain('X-Amz-Expires=600');
    const expiresAt = Date.parse(access.expiresAt ?? '');
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000 + 1000);
    expect((await fetch(access.url)).status).toBe(200);
  });

  it('videos url refuses a --ttl outside 1..604800 with exit 2', async () => {
    const { s3, s3Json } = await s3Cli();
    const [video] = await s3Json<VideoJson[]>(['videos', 'add', BLOATED]);
    for (const ttl of ['0', '700000']) {
      const refused = await s3(['videos', 'url', video?.id ?? '', '--ttl', ttl]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(stderrLines(refused)).toEqual([
        expect.stringMatching(/^error: \[VALIDATION\] .*ttl/u),
      ]);
    }
    const words = await s3(['videos', 'url', video?.id ?? '', '--ttl', 'an hour']);
    expect(words.code).toBe(2);
    expect(words.stderr).toBe(
      'error: [VALIDATION] --ttl must be a whole number of seconds (1..604800), not "an hour"\n',
    );
  });

  it('upload --platform local copies the bytes out of the bucket', async () => {
    const { s3, s3Json, dataDir } = await s3Cli();
    const [video] = await s3Json<VideoJson[]>(['videos', 'add', BLOATED]);
    const id = video?.id ?? '';
    const uploaded = await s3(['upload', id, '--platform', 'local']);
    expect(uploaded.code).toBe(0);
    const postId = `${id}-bloated-after-lunch.mp4`;
    expect(uploaded.stdout).toContain(`to local: post ${postId}`);
    expect(await readFile(join(dataDir, 'published', postId))).toEqual(await readFile(BLOATED));
  });

  it('offers instagram, which fetches the video from its presigned URL', async () => {
    const instagram = await startFakeInstagramServer({ processingPolls: 0 });
    try {
      const { s3, s3Json } = await s3Cli();
      const [video] = await s3Json<VideoJson[]>(['videos', 'add', BLOATED]);
      const id = video?.id ?? '';
      const env = {
        INSTAGRAM_ACCESS_TOKEN: instagram.accessToken,
        INSTAGRAM_USER_ID: '17841400000000001',
        VBUCKETS_INSTAGRAM_BASE_URL: `${instagram.baseUrl}/v24.0`,
        VBUCKETS_INSTAGRAM_POLL_INTERVAL_MS: '20',
      };
      const listed = await s3(['videos', 'list'], env);
      expect(listed.stdout.split('\n')[0]).toMatch(/LOCAL\s+INSTAGRAM$/u);

      const posted = await s3(
        ['upload', id, '--platform', 'instagram', '--meta', 'caption=Lunch?'],
        env,
      );
      expect(posted.code).toBe(0);
      const [published] = instagram.published();
      expect(posted.stdout).toContain(`to instagram: post ${published?.mediaId}`);
      expect(published?.caption).toBe('Lunch?');
      expect(published?.videoUrl.startsWith(`${server.endpoint}/${BUCKET}/`)).toBe(true);
      expect(published?.video).toEqual(await readFile(BLOATED));

      // On the local blob store, instagram is neither listed nor accepted.
      const { cli, json } = await cliWithDataDir();
      const [localVideo] = await json<VideoJson[]>(['videos', 'add', BLOATED]);
      const local = await cli(['videos', 'list'], { env });
      expect(local.stdout.split('\n')[0]).toMatch(/LOCAL$/u);
      const refused = await cli(['upload', localVideo?.id ?? '', '--platform', 'instagram'], {
        env,
      });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('[VALIDATION] instagram needs video URLs');
    } finally {
      await instagram.close();
    }
  });

  it('registers a public benchmark with its category and shows both', async () => {
    const { s3, s3Json } = await s3Cli();
    const [video] = await s3Json<VideoJson[]>([
      'videos',
      'add',
      COFFEE,
      '--public',
      '--category',
      'language_learning',
    ]);
    expect(video).toMatchObject({ visibility: 'public', productCategory: 'language_learning' });
    const id = video?.id ?? '';

    const shown = await s3Json<VideoJson>(['videos', 'show', id]);
    expect(shown).toMatchObject({
      id,
      visibility: 'public',
      productCategory: 'language_learning',
    });
    const text = await s3(['videos', 'show', id]);
    expect(text.stdout).toContain('  visibility:  public (market benchmark)\n');
    expect(text.stdout).toContain('  category:    language_learning\n');

    const [listed] = await s3Json<VideoJson[]>(['videos', 'list']);
    expect(listed).toMatchObject({ visibility: 'public', productCategory: 'language_learning' });
    const table = await s3(['videos', 'list']);
    expect(table.stdout).toMatch(/VISIBILITY\s+CATEGORY/u);
    expect(table.stdout).toMatch(/public\s+language_learning/u);

    // Content already registered keeps its visibility and category, and says so.
    const [again] = await s3Json<VideoJson[]>(['videos', 'add', BLOATED]);
    const repeated = await s3(['videos', 'add', BLOATED, '--public', '--category', 'fitness']);
    expect(repeated.code).toBe(0);
    expect(repeated.stderr).toBe(
      `warning: video ${again?.id} was already registered (private, category none); --public and --category apply to new videos only\n`,
    );

    // Without a public base URL, a public video is presigned too.
    const presigned = await s3Json<AccessJson>(['videos', 'url', id]);
    expect(presigned).toMatchObject({ isPublic: true, expiresIn: 3600 });
    expect((await fetch(presigned.url)).status).toBe(200);

    // With one, it gets the permanent URL and no expiry.
    const base = 'https://videos.example.com';
    const permanent = await s3(['videos', 'url', id], { VBUCKETS_S3_PUBLIC_BASE_URL: base });
    expect(permanent.code).toBe(0);
    expect(permanent.stdout).toBe(`${base}/${video?.blobKey}\n`);
    expect(permanent.stderr).toBe('');
  });
});

describe('--storage refusals', () => {
  it('refuses a URL that is neither file: nor s3:// with exit 2', async () => {
    const { cli } = await cliWithDataDir();
    const refused = await cli(['--storage', 'ftp://x', 'videos', 'list']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      'error: [VALIDATION] --storage "ftp://x" is not a storage URL: use "file:" (the data dir, the default) or "s3://<bucket>[/<prefix>]" (S3, R2, MinIO)\n',
    );
  });

  it('refuses a bad bucket name, a half-set key pair and a bad endpoint, naming what to set', async () => {
    const { cli } = await cliWithDataDir();
    const badBucket = await cli(['--storage', 's3://Bad_Bucket', 'videos', 'list'], {
      env: s3Env(),
    });
    expect(badBucket.code).toBe(2);
    expect(badBucket.stderr).toMatch(/^error: \[VALIDATION\] .*is not a bucket name/u);

    const halfKeys = await cli(['--storage', `s3://${BUCKET}`, 'videos', 'list'], {
      env: { AWS_ENDPOINT_URL_S3: server.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER' },
    });
    expect(halfKeys.code).toBe(2);
    expect(halfKeys.stderr).toBe(
      'error: [VALIDATION] AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both\n',
    );

    const noKeys = await cli(['--storage', `s3://${BUCKET}`, 'videos', 'list'], {
      env: { R2_ENDPOINT_URL: server.endpoint },
    });
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toContain('needs credentials: set AWS_ACCESS_KEY_ID');

    const badEndpoint = await cli(['--storage', `s3://${BUCKET}`, 'videos', 'list'], {
      env: s3Env({ AWS_ENDPOINT_URL_S3: 'localhost:9000' }),
    });
    expect(badEndpoint.code).toBe(2);
    expect(badEndpoint.stderr).toMatch(
      /^error: \[VALIDATION\] AWS_ENDPOINT_URL_S3 must be the http\(s\) URL of the S3 API/u,
    );
  });

  it('videos url on the local blob store fails with core’s reason and a hint', async () => {
    const { cli, json } = await cliWithDataDir();
    const [video] = await json<VideoJson[]>(['videos', 'add', BLOATED]);
    const refused = await cli(['videos', 'url', video?.id ?? '']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(stderrLines(refused)).toEqual([
      `error: [STORAGE] The blob store cannot presign URLs (it has no presignGet), so video ${video?.id} cannot be served: the local blob store has no URLs; keep videos in S3, R2 or MinIO with --storage s3://<bucket> (see 'vbuckets --help')`,
    ]);
    // file: is the same local store.
    const explicit = await cli(['--storage', 'file:', 'videos', 'url', video?.id ?? '']);
    expect(explicit.code).toBe(1);
    expect(explicit.stderr).toMatch(/^error: \[STORAGE\] The blob store cannot presign URLs/u);
  });
});
