import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import {
  type FakeYouTubeServer,
  listenOnLoopback,
  startFakeYouTubeServer,
} from '@vbuckets/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { cliWithDataDir, stderrLines } from './helpers';
import { samplesDir } from './samples';

interface UploadJson {
  id: string;
  videoId: string;
  platform: string;
  status: string;
  symbol: string;
  retryCount: number;
  platformPostId: string | null;
  errorMessage: string | null;
}

interface VideoJson {
  id: string;
  title: string;
  filename: string;
}

const BLOATED = join(samplesDir, 'bloated-after-lunch.mp4');
const COFFEE = join(samplesDir, '3pm-crash-coffee.mov');
const KIDS = join(samplesDir, 'kids-brought-home-a-cold.mp4');

let server: FakeYouTubeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A data dir with these files registered, and their ids in order. */
async function withVideos(...paths: string[]) {
  const context = await cliWithDataDir();
  const videos = await context.json<VideoJson[]>(['videos', 'add', ...paths]);
  return { ...context, ids: videos.map((video) => video.id) };
}

async function auditLines(dataDir: string) {
  const text = await readFile(join(dataDir, 'upload-audit.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('upload --platform local', () => {
  it('copies the video into <data-dir>/published, says so and writes the audit log', async () => {
    const { cli, json, dataDir, ids } = await withVideos(BLOATED);
    const [id] = ids;
    const text = await cli(['upload', id ?? '', '--platform', 'local', '--title', 'Lunch']);
    expect(text.code).toBe(0);
    const postId = `${id}-bloated-after-lunch.mp4`;
    expect(text.stdout).toBe(`✔ Uploaded "bloated-after-lunch" (${id}) to local: post ${postId}\n`);
    // A small upload over a pipe gets no progress lines.
    expect(text.stderr).toBe('');
    const published = join(dataDir, 'published', postId);
    expect(await readFile(published)).toEqual(await readFile(BLOATED));
    expect(JSON.parse(await readFile(`${published}.json`, 'utf8'))).toEqual({ title: 'Lunch' });

    const audit = await auditLines(dataDir);
    expect(audit.map((line) => line.status)).toEqual(['IN_PROGRESS', 'SUCCESS']);
    expect(audit[1]).toMatchObject({
      video_id: id,
      platform: 'local',
      retry_count: 0,
      error_message: null,
      metadata: { title: 'Lunch' },
      org_id: 'local',
    });

    const rows = await json<UploadJson[]>(['uploads']);
    expect(rows).toEqual([
      expect.objectContaining({
        videoId: id,
        platform: 'local',
        status: 'SUCCESS',
        symbol: '✔',
        platformPostId: postId,
      }),
    ]);
  });

  it('refuses the same upload again with the reason, posts with --force or when duplicates are allowed', async () => {
    const { cli, json, ids, dataDir } = await withVideos(BLOATED);
    const id = ids[0] ?? '';
    await json(['upload', id, '--platform', 'local']);

    const again = await cli(['upload', id, '--platform', 'local']);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    const [line, ...rest] = stderrLines(again);
    expect(rest).toEqual([]);
    expect(line).toMatch(/^error: \[DUPLICATE_UPLOAD\] Upload refused: .*already uploaded/i);
    expect(line).toContain(`'vbuckets upload ${id} --platform local --force'`);
    expect(line).toContain(`'vbuckets videos allow-duplicates ${id}'`);
    // The video stays posted (✔ SUCCESS); the refused attempt is a BLOCKED line of the audit log.
    const listed = await cli(['uploads', '--status', 'success']);
    expect(listed.stdout).toMatch(new RegExp(`^✔\\s+SUCCESS\\s+local\\s+${id}`, 'm'));
    expect((await auditLines(dataDir)).at(-1)).toMatchObject({ status: 'BLOCKED', video_id: id });

    const forced = await json<UploadJson>(['upload', id, '--platform', 'local', '--force']);
    expect(forced).toMatchObject({ status: 'SUCCESS', symbol: '✔' });

    await json(['videos', 'allow-duplicates', id]);
    const allowed = await json<UploadJson>(['upload', id, '--platform', 'local']);
    expect(allowed.status).toBe('SUCCESS');

    const shown = await json<{
      uploads: { attempts: { attemptNumber: number; status: string }[] }[];
    }>(['videos', 'show', id]);
    expect(shown.uploads[0]?.attempts.map((attempt) => attempt.status)).toEqual([
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
    ]);
    const text = await cli(['videos', 'show', id]);
    expect(text.stdout).toMatch(/✔ local {2}SUCCESS {2}retries 0 {2}post /);
    expect(text.stdout).toMatch(/#3 {2}✔ SUCCESS {2}started /);
    const audit = await auditLines(dataDir);
    expect(audit.filter((entry) => entry.status === 'BLOCKED')).toHaveLength(1);
  });

  it('checks the metadata before claiming anything', async () => {
    const { cli, json, ids } = await withVideos(BLOATED);
    const id = ids[0] ?? '';
    const privacy = await cli(['upload', id, '--platform', 'local', '--privacy', 'public']);
    expect(privacy.code).toBe(2);
    expect(privacy.stderr).toMatch(/^error: \[VALIDATION\] --privacy is YouTube's privacy status/);
    const unknownField = await cli(['upload', id, '--platform', 'local', '--meta', 'color=red']);
    expect(unknownField.code).toBe(2);
    expect(stderrLines(unknownField)).toEqual([
      expect.stringMatching(/^error: \[VALIDATION\] .*local metadata/),
    ]);
    const badMeta = await cli(['upload', id, '--platform', 'local', '--meta', 'nokey']);
    expect(badMeta.stderr).toContain('expected key=value or key:=json');
    expect(await json(['uploads'])).toEqual([]);
  });

  it('draws a progress bar on a terminal and a few plain lines for a long upload in a log', async () => {
    const { cli, json, ids, dataDir } = await withVideos(BLOATED);
    const tty = await cli(['upload', ids[0] ?? '', '--platform', 'local'], { stderrColumns: 100 });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('\r\u001b[2Kbloated-after-lunch.mp4 → local ▕');
    expect(tty.stderr).toContain('100% 17.3 KB of 17.3 KB');
    expect(tty.stderr.endsWith('\r\u001b[2K')).toBe(true);

    const big = join(dataDir, 'long-take.mp4');
    // A real clip's header (the registry sniffs it) padded to 6 MiB.
    const head = await readFile(BLOATED);
    await writeFile(big, Buffer.concat([head, randomBytes(6 * 1024 * 1024 - head.byteLength)]));
    const [video] = await json<VideoJson[]>(['videos', 'add', big]);
    const piped = await cli(['upload', video?.id ?? '', '--platform', 'local']);
    expect(piped.code).toBe(0);
    const lines = stderrLines(piped);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(4);
    for (const line of lines) expect(line).toMatch(/^long-take\.mp4 → local: \d+% /);
    expect(lines.at(-1)).toBe('long-take.mp4 → local: 100% 6.0 MB of 6.0 MB');

    const quiet = await cli(['upload', video?.id ?? '', '--platform', 'local', '--force', '-q'], {
      stderrColumns: 100,
    });
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('upload --platform youtube', () => {
  it('posts the bytes and the metadata to the (fake) YouTube API', async () => {
    server = await startFakeYouTubeServer();
    const env = {
      YOUTUBE_ACCESS_TOKEN: 'fake-youtube-token',
      VBUCKETS_YOUTUBE_BASE_URL: server.baseUrl,
    };
    const { json, ids } = await withVideos(BLOATED);
    const id = ids[0] ?? '';
    const row = await json<UploadJson>(
      [
        'upload',
        id,
        '--platform',
        'YouTube',
        '--title',
        'Bloated after lunch?',
        '--description',
        'Three habits that help',
        '--tags',
        'gut, health',
        '--privacy',
        'unlisted',
        '--meta',
        'categoryId=22',
        '--meta',
        'madeForKids:=false',
      ],
      { env },
    );
    expect(row).toMatchObject({ platform: 'youtube', status: 'SUCCESS', symbol: '✔' });
    const posted = server.videos.get(row.platformPostId ?? '');
    expect(posted).toBeDefined();
    expect(Buffer.from(posted?.bytes ?? new Uint8Array())).toEqual(await readFile(BLOATED));
    expect(posted?.metadata).toEqual({
      snippet: {
        title: 'Bloated after lunch?',
        description: 'Three habits that help',
        tags: ['gut', 'health'],
        categoryId: '22',
      },
      status: { privacyStatus: 'unlisted', selfDeclaredMadeForKids: false },
    });
    const start = server.requests.find((request) => request.route === 'start');
    expect(start?.headers.authorization).toBe('Bearer fake-youtube-token');
  });

  // Issue 10: after the stored copy was damaged, `upload` still posted it.
  it('refuses to post a corrupted stored copy, spends no retry, and posts after a repair', async () => {
    server = await startFakeYouTubeServer();
    const env = {
      YOUTUBE_ACCESS_TOKEN: 'fake-youtube-token',
      VBUCKETS_YOUTUBE_BASE_URL: server.baseUrl,
    };
    const { cli, json, dataDir } = await cliWithDataDir();
    const [video] = await json<Array<VideoJson & { blobKey: string }>>(['videos', 'add', BLOATED]);
    const stored = join(dataDir, 'blobs', ...(video?.blobKey ?? '').split('/'));
    const bytes = await readFile(stored);
    bytes[200] = (bytes[200] ?? 0) ^ 0xff;
    await writeFile(stored, bytes);

    const refused = await cli(['upload', video?.id ?? '', '--platform', 'youtube'], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/is corrupted .* register the original file again to repair it/);
    expect(server.videos.size).toBe(0);
    const [row] = await json<UploadJson[]>(['uploads'], { env });
    expect(row).toMatchObject({ status: 'FAILED', retryCount: 0 });

    expect((await cli(['videos', 'add', BLOATED])).stdout).toContain('Repaired:');
    const posted = await json<UploadJson>(['upload', video?.id ?? '', '--platform', 'youtube'], {
      env,
    });
    expect(posted).toMatchObject({ status: 'SUCCESS' });
    const published = server.videos.get(posted.platformPostId ?? '');
    expect(Buffer.from(published?.bytes ?? new Uint8Array())).toEqual(await readFile(BLOATED));
  });

  it('records a failed upload with its error and backoff, and retry-due leaves it until due', async () => {
    server = await startFakeYouTubeServer();
    server.script({ route: 'start', failure: { kind: 'server-error', status: 503 } });
    const env = {
      YOUTUBE_ACCESS_TOKEN: 'fake-youtube-token',
      VBUCKETS_YOUTUBE_BASE_URL: server.baseUrl,
    };
    const { cli, json, ids } = await withVideos(BLOATED);
    const id = ids[0] ?? '';
    const failed = await cli(['upload', id, '--platform', 'youtube'], { env });
    expect(failed.code).toBe(1);
    expect(stderrLines(failed)).toEqual([
      expect.stringMatching(
        /^error: \[PROVIDER\] Start upload session on youtube failed \(HTTP 503\)/,
      ),
    ]);
    const [row] = await json<(UploadJson & { nextAttemptAt: string | null })[]>(
      ['uploads', '--status', 'FAILED', '--platform', 'youtube'],
      { env },
    );
    expect(row).toMatchObject({ videoId: id, status: 'FAILED', symbol: '✖', retryCount: 1 });
    expect(Date.parse(row?.nextAttemptAt ?? '')).toBeGreaterThan(Date.now());
    const text = await cli(['uploads'], { env });
    expect(text.stdout).toMatch(
      new RegExp(`^✖\\s+FAILED\\s+youtube\\s+${id}\\s+bloated-after-lunch\\s+1\\s+`, 'm'),
    );

    const due = await cli(['uploads', 'retry-due'], { env });
    expect(due).toMatchObject({ code: 0, stdout: 'No uploads are due for a retry.\n' });
    expect(server.videos.size).toBe(0);

    // A person may retry at once.
    const forced = await json<UploadJson>(['upload', id, '--platform', 'youtube', '--force'], {
      env,
    });
    expect(forced).toMatchObject({ status: 'SUCCESS', retryCount: 1 });
    expect(server.videos.size).toBe(1);
  });
});

describe('upload --platform webhook', () => {
  it('delivers the bytes and the metadata, signed with the secret', async () => {
    const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'delivery-1' }));
      });
    });
    const receiverUrl = await listenOnLoopback(receiver);
    try {
      const secret = 'a-shared-secret-of-some-length';
      const env = {
        VBUCKETS_WEBHOOK_URL: `${receiverUrl}/hook`,
        VBUCKETS_WEBHOOK_SECRET: secret,
      };
      const { json, ids } = await withVideos(BLOATED);
      const row = await json<UploadJson>(
        [
          'upload',
          ids[0] ?? '',
          '--platform',
          'webhook',
          '--title',
          'Hooked',
          '--meta',
          'campaign=spring',
        ],
        { env },
      );
      expect(row).toMatchObject({ status: 'SUCCESS', platformPostId: 'delivery-1' });
      expect(received).toHaveLength(1);
      const [delivery] = received;
      const bytes = await readFile(BLOATED);
      expect(delivery?.body.includes(bytes)).toBe(true);
      expect(delivery?.headers['x-vbuckets-video-id']).toBe(ids[0]);
      const text = delivery?.body.toString('latin1') ?? '';
      const metadataJson =
        /name="metadata"\r\nContent-Type: application\/json\r\n\r\n(.*?)\r\n/su.exec(text)?.[1];
      expect(JSON.parse(metadataJson ?? 'null')).toMatchObject({
        videoId: ids[0],
        metadata: { title: 'Hooked', campaign: 'spring' },
      });
      // The receiver can check the signature: HMAC of `<timestamp>.<video sha256>.<metadata part>`.
      const videoSha256 = createHash('sha256').update(bytes).digest('hex');
      const timestamp = delivery?.headers['x-vbuckets-timestamp'];
      const expected = createHmac('sha256', secret)
        .update(`${timestamp}.${videoSha256}.${metadataJson}`)
        .digest('hex');
      expect(delivery?.headers['x-vbuckets-signature']).toBe(`sha256=${expected}`);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe('upload --all-pending', () => {
  it('posts every video not yet uploaded and skips the ones that are', async () => {
    const { cli, json, ids, dataDir } = await withVideos(BLOATED, COFFEE, KIDS);
    await json(['upload', ids[0] ?? '', '--platform', 'local']);
    const summary = await json<{
      uploaded: UploadJson[];
      skipped: { videoId: string; reason: string }[];
      failed: unknown[];
    }>(['upload', '--all-pending', '--platform', 'local', '--concurrency', '2']);
    expect(summary.uploaded.map((row) => row.videoId).sort()).toEqual([ids[1], ids[2]].sort());
    expect(summary.skipped).toEqual([
      { videoId: ids[0], platform: 'local', reason: 'already uploaded' },
    ]);
    expect(summary.failed).toEqual([]);
    for (const [index, file] of [BLOATED, COFFEE, KIDS].entries()) {
      const name = `${ids[index]}-${file.split('/').at(-1)}`;
      expect(await readFile(join(dataDir, 'published', name))).toEqual(await readFile(file));
    }

    const again = await cli(['upload', '--all-pending', '--platform', 'local']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 uploaded, 3 skipped, 0 failed');

    const success = await cli(['uploads', '--status', 'SUCCESS']);
    const rows = success.stdout.split('\n').filter((line) => /^✔\s+SUCCESS\s+local\s/.test(line));
    expect(rows).toHaveLength(3);
    expect(success.stdout).toContain('✔ success');

    const list = await cli(['videos', 'list']);
    expect(list.stdout.split('\n').filter((line) => /\s✔$/.test(line))).toHaveLength(3);
  });

  it('refuses per-video flags with --all-pending', async () => {
    const { cli } = await withVideos(BLOATED);
    const titled = await cli(['upload', '--all-pending', '--platform', 'local', '--title', 'x']);
    expect(titled.code).toBe(2);
    expect(titled.stderr).toContain('--title describe one video');
  });
});

describe('platform configuration', () => {
  it('names the environment variables of an unconfigured platform', async () => {
    const { cli, json, ids } = await withVideos(BLOATED);
    const id = ids[0] ?? '';
    const cases: [string, string][] = [
      [
        'youtube',
        'Platform youtube is not configured: set YOUTUBE_ACCESS_TOKEN in the environment',
      ],
      [
        'meta',
        'Platform meta is not configured: set META_ACCESS_TOKEN and META_AD_ACCOUNT_ID in the environment',
      ],
      ['tiktok', 'Platform tiktok is not configured: set TIKTOK_ACCESS_TOKEN in the environment'],
      [
        'webhook',
        'Platform webhook is not configured: set VBUCKETS_WEBHOOK_URL and VBUCKETS_WEBHOOK_SECRET in the environment',
      ],
      [
        'instagram',
        'instagram needs video URLs: it fetches the video from a presigned URL, which the local blob store cannot give; keep videos in S3, R2 or MinIO with --storage s3://<bucket>',
      ],
      [
        'myspace',
        'Unknown platform "myspace" (known: local, webhook, youtube, meta, tiktok, instagram)',
      ],
    ];
    for (const [platform, message] of cases) {
      const result = await cli(['upload', id, '--platform', platform]);
      expect(result.code, platform).toBe(2);
      expect(stderrLines(result), platform).toEqual([
        expect.stringContaining(`error: [VALIDATION] ${message}`),
      ]);
    }
    const misconfigured = await cli(['upload', id, '--platform', 'webhook'], {
      env: { VBUCKETS_WEBHOOK_URL: 'http://127.0.0.1:1/hook', VBUCKETS_WEBHOOK_SECRET: 'short' },
    });
    expect(misconfigured.code).toBe(2);
    expect(misconfigured.stderr).toMatch(
      /^error: \[VALIDATION\] Platform webhook is misconfigured \(check VBUCKETS_WEBHOOK_URL, VBUCKETS_WEBHOOK_SECRET\): .*secret/,
    );
    const none = await cli(['upload', id]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Name the platform to post to with --platform');
    expect(await json(['uploads'])).toEqual([]);
  });

  it('documents the platforms and their variables in --help', async () => {
    const { cli } = await cliWithDataDir();
    const help = await cli(['--help']);
    for (const name of [
      'VBUCKETS_PUBLISH_DIR',
      'VBUCKETS_WEBHOOK_URL',
      'VBUCKETS_WEBHOOK_SECRET',
      'YOUTUBE_ACCESS_TOKEN',
      'VBUCKETS_YOUTUBE_BASE_URL',
      'META_ACCESS_TOKEN',
      'META_AD_ACCOUNT_ID',
      'VBUCKETS_META_BASE_URL',
      'TIKTOK_ACCESS_TOKEN',
      'VBUCKETS_TIKTOK_BASE_URL',
      'upload-audit.jsonl',
    ]) {
      expect(help.stdout).toContain(name);
    }
    for (const command of ['videos', 'upload', 'uploads']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    for (const argv of [
      ['videos', 'add'],
      ['videos', 'list'],
      ['videos', 'show'],
      ['videos', 'verify'],
      ['videos', 'allow-duplicates'],
      ['upload'],
      ['uploads'],
      ['uploads', 'retry-due'],
    ]) {
      const result = await cli([...argv, '--help']);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout, argv.join(' ')).toContain(`Usage: vbuckets ${argv.join(' ')}`);
      expect(result.stdout, argv.join(' ')).toContain('Examples:');
    }
  });

  it('publishes into VBUCKETS_PUBLISH_DIR and rejects an unknown --status', async () => {
    const { cli, json, ids, dataDir } = await withVideos(BLOATED);
    const row = await json<UploadJson>(['upload', ids[0] ?? '', '--platform', 'local'], {
      env: { VBUCKETS_PUBLISH_DIR: 'elsewhere' },
    });
    expect(await readFile(join(dataDir, 'elsewhere', row.platformPostId ?? ''))).toEqual(
      await readFile(BLOATED),
    );
    const bad = await cli(['uploads', '--status', 'DONE']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown status "DONE"');
  });
});
