import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWithDataDir, stderrLines, tempDir } from './helpers';
import { samplesDir } from './samples';

interface RegisteredJson {
  id: string;
  title: string;
  filename: string;
  blobKey: string;
  sha256: string;
  sizeBytes: number;
  mimeType: string;
  durationSec: number | null;
  duplicateAllowed: boolean;
  ownerId: string;
  existing: boolean;
  path: string;
}

const BLOATED = join(samplesDir, 'bloated-after-lunch.mp4');
const COFFEE = join(samplesDir, '3pm-crash-coffee.mov');

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** The stored bytes of a video, as the local blob store lays them out. */
function blobPath(dataDir: string, blobKey: string): string {
  return join(dataDir, 'blobs', ...blobKey.split('/'));
}

function hasFfprobe(): boolean {
  return spawnSync('ffprobe', ['-version']).status === 0;
}

/** A stand-in ffprobe printing a 4.5 s video, for machines without ffmpeg. */
async function fakeFfprobe(): Promise<string> {
  const dir = await tempDir();
  const path = join(dir, 'fake-ffprobe');
  const answer = JSON.stringify({
    streams: [
      { codec_type: 'video', codec_name: 'h264', width: 320, height: 240, duration: '4.5' },
    ],
    format: { duration: '4.5' },
  });
  await writeFile(path, `#!/bin/sh\ncat <<'EOF'\n${answer}\nEOF\n`);
  await chmod(path, 0o755);
  return path;
}

describe('videos add', () => {
  it('registers a real clip with its size, SHA-256, type and title', async () => {
    const { cli, json, dataDir } = await cliWithDataDir();
    const [video] = await json<RegisteredJson[]>(['videos', 'add', BLOATED]);
    expect(video).toMatchObject({
      title: 'bloated-after-lunch',
      filename: 'bloated-after-lunch.mp4',
      sizeBytes: (await stat(BLOATED)).size,
      sha256: await sha256Of(BLOATED),
      mimeType: 'video/mp4',
      duplicateAllowed: false,
      ownerId: 'local',
      existing: false,
    });
    // The bytes were copied into the data dir, unchanged.
    expect(await sha256Of(blobPath(dataDir, video?.blobKey ?? ''))).toBe(video?.sha256);

    const text = await cli([
      'videos',
      'add',
      COFFEE,
      '--title',
      'Coffee crash',
      '--owner',
      'alice',
    ]);
    expect(text.code).toBe(0);
    const sha = await sha256Of(COFFEE);
    expect(text.stdout).toMatch(
      new RegExp(`^Registered \\S+ {2}"Coffee crash" {2}16\\.5 KB {2}sha256 ${sha.slice(0, 12)}`),
    );
  });

  it('returns the existing video for identical content and says so', async () => {
    const { cli, json, dataDir } = await cliWithDataDir();
    const [first] = await json<RegisteredJson[]>(['videos', 'add', BLOATED]);
    const copy = join(dataDir, 'renamed-copy.mp4');
    await copyFile(BLOATED, copy);

    const [again] = await json<RegisteredJson[]>(['videos', 'add', BLOATED]);
    expect(again).toMatchObject({ id: first?.id, existing: true });
    const text = await cli(['videos', 'add', copy]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Already registered: ${copy} has the same content as video`);
    expect(text.stdout).toContain(first?.id ?? 'missing id');
    expect(text.stdout).toContain('existing video returned');

    const list = await json<{ id: string }[]>(['videos', 'list']);
    expect(list.map((video) => video.id)).toEqual([first?.id]);
  });

  it('refuses identical content with --strict (CONFLICT, exit 2)', async () => {
    const { cli, json } = await cliWithDataDir();
    const [first] = await json<RegisteredJson[]>(['videos', 'add', BLOATED]);
    const result = await cli(['videos', 'add', BLOATED, '--strict']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(stderrLines(result)).toEqual([
      `error: [CONFLICT] Identical content is already registered as video ${first?.id}`,
    ]);
  });

  it('registers every video of a folder, and a copy among them once', async () => {
    const { json, dataDir } = await cliWithDataDir();
    const copy = join(dataDir, 'copy.mp4');
    await copyFile(BLOATED, copy);
    const added = await json<RegisteredJson[]>(['videos', 'add', samplesDir, copy]);
    expect(added).toHaveLength(7);
    expect(added.filter((video) => video.existing)).toHaveLength(1);
    expect(new Set(added.map((video) => video.id)).size).toBe(6);
    expect(added.at(-1)).toMatchObject({
      existing: true,
      id: added.find((video) => video.filename === 'bloated-after-lunch.mp4')?.id,
    });
  });

  it('reads the duration with ffprobe when it is there, and goes on without it', async () => {
    const { json } = await cliWithDataDir();
    const [probed] = await json<RegisteredJson[]>(['videos', 'add', BLOATED], {
      env: { FFPROBE_PATH: await fakeFfprobe() },
    });
    expect(probed?.durationSec).toBe(4.5);
    const [unprobed] = await json<RegisteredJson[]>(['videos', 'add', COFFEE], {
      env: { FFPROBE_PATH: '/no/such/ffprobe' },
    });
    expect(unprobed?.durationSec).toBeNull();
  });

  it.runIf(hasFfprobe())(
    'reads the real duration of a sample clip with the installed ffprobe',
    async () => {
      const { json } = await cliWithDataDir();
      const [video] = await json<RegisteredJson[]>(['videos', 'add', BLOATED], {
        env: { PATH: process.env.PATH },
      });
      // The sample clips are three seconds long.
      expect(video?.durationSec).toBeCloseTo(3, 0);
    },
  );

  // Issue 10: the first 1 KiB of a real MP4 was registered as a video.
  it.runIf(hasFfprobe())(
    'refuses a truncated MP4 as corrupt with the installed ffprobe, storing nothing',
    async () => {
      const { cli, json, dataDir } = await cliWithDataDir();
      const truncated = join(dataDir, 'truncated.mp4');
      await writeFile(truncated, (await readFile(BLOATED)).subarray(0, 1024));
      const refused = await cli(['videos', 'add', truncated], { env: { PATH: process.env.PATH } });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(
        /\[MEDIA\] "truncated\.mp4" is not a playable video: the file is corrupt or truncated/,
      );
      expect(await json<unknown[]>(['videos', 'list'])).toEqual([]);
      const stored = await readdir(join(dataDir, 'blobs'), {
        recursive: true,
        withFileTypes: true,
      });
      expect(
        stored.filter((entry) => entry.isFile() && !entry.parentPath.includes('.vbuckets')),
      ).toEqual([]);
    },
  );

  // Issue 10: re-adding the good original kept the corrupted stored copy.
  it('repairs a corrupted stored copy when the original is added again', async () => {
    const { cli, json, dataDir } = await cliWithDataDir();
    const [video] = await json<RegisteredJson[]>(['videos', 'add', BLOATED]);
    const id = video?.id ?? '';
    const stored = blobPath(dataDir, video?.blobKey ?? '');
    const bytes = await readFile(stored);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(stored, bytes);
    expect((await cli(['videos', 'verify', id])).code).toBe(1);

    const again = await cli(['videos', 'add', BLOATED]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Repaired: ${BLOATED} has the content of video ${id}`);
    expect((await cli(['videos', 'verify', id])).code).toBe(0);
    expect(await sha256Of(stored)).toBe(video?.sha256);
  });

  it('refuses a file that is not a video, a missing file and --title for several files', async () => {
    const { cli, dataDir } = await cliWithDataDir();
    const notes = join(dataDir, 'notes.txt');
    await writeFile(notes, 'hello');
    const wrongType = await cli(['videos', 'add', notes]);
    expect(wrongType.code).toBe(2);
    expect(stderrLines(wrongType)).toHaveLength(1);
    expect(wrongType.stderr).toMatch(/^error: \[VALIDATION\] .*notes\.txt/);

    const missing = await cli(['videos', 'add', join(dataDir, 'nope.mp4')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: \[NOT_FOUND\]/);

    const titled = await cli(['videos', 'add', BLOATED, COFFEE, '--title', 'One title']);
    expect(titled.code).toBe(2);
    expect(titled.stderr).toContain('--title names one video, but 2 files were given');
    expect((await cli(['videos', 'list', '--json'])).stdout).toBe('[]\n');
  });
});

describe('videos list and show', () => {
  it('lists videos with a symbol per platform and a legend', async () => {
    const { cli, json } = await cliWithDataDir();
    const [video] = await json<RegisteredJson[]>(['videos', 'add', BLOATED], {
      env: { FFPROBE_PATH: await fakeFfprobe() },
    });
    const empty = await cliWithDataDir();
    expect((await empty.cli(['videos', 'list'])).stdout).toContain('No videos registered yet');

    const text = await cli(['videos', 'list']);
    expect(text.code).toBe(0);
    const [header, row] = text.stdout.split('\n');
    expect(header).toMatch(
      /^ID\s+TITLE\s+SIZE\s+DURATION\s+DUPLICATES\s+VISIBILITY\s+CATEGORY\s+LOCAL$/,
    );
    expect(row).toMatch(
      new RegExp(
        `^${video?.id}\\s+bloated-after-lunch\\s+17\\.3 KB\\s+4\\.5 s\\s+no\\s+private\\s+-\\s+⚪$`,
      ),
    );
    expect(text.stdout).toContain('✔ success');

    // A configured platform gets its own column.
    const withYouTube = await cli(['videos', 'list'], { env: { YOUTUBE_ACCESS_TOKEN: 'token' } });
    expect(withYouTube.stdout.split('\n')[0]).toMatch(/LOCAL\s+YOUTUBE$/);

    const listed = await json<{ id: string; uploads: object; uploadSymbols: object }[]>([
      'videos',
      'list',
    ]);
    expect(listed).toEqual([
      expect.objectContaining({ id: video?.id, uploads: {}, uploadSymbols: {} }),
    ]);
  });

  it('shows a video by id, id prefix or file name', async () => {
    const { cli, json } = await cliWithDataDir();
    const [video] = await json<RegisteredJson[]>(['videos', 'add', BLOATED]);
    const id = video?.id ?? '';
    for (const reference of [id, id.slice(0, 8), 'bloated-after-lunch.mp4']) {
      const shown = await json<{ id: string; sha256: string; uploads: unknown[] }>([
        'videos',
        'show',
        reference,
      ]);
      expect(shown).toMatchObject({ id, sha256: video?.sha256, uploads: [] });
    }
    const text = await cli(['videos', 'show', id]);
    expect(text.stdout).toContain(`Video ${id}`);
    expect(text.stdout).toContain(`sha256:      ${video?.sha256}`);
    expect(text.stdout).toContain('Not uploaded anywhere yet.');

    const unknown = await cli(['videos', 'show', 'zzzz-nothing']);
    expect(unknown.code).toBe(1);
    expect(stderrLines(unknown)).toEqual([
      `error: [NOT_FOUND] No video "zzzz-nothing" (see 'vbuckets videos list')`,
    ]);
  });
});

describe('videos verify', () => {
  it('says ok, then corrupted when the stored bytes change, then missing when they are gone', async () => {
    const { cli, json, dataDir } = await cliWithDataDir();
    const [video, other] = await json<RegisteredJson[]>(['videos', 'add', BLOATED, COFFEE]);
    const id = video?.id ?? '';

    const ok = await cli(['videos', 'verify', id]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^ok\\s+${id}\\s+"bloated-after-lunch"\\n$`));

    const stored = blobPath(dataDir, video?.blobKey ?? '');
    const bytes = await readFile(stored);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(stored, bytes);
    const corrupted = await cli(['videos', 'verify', id]);
    expect(corrupted.code).toBe(1);
    expect(corrupted.stdout).toMatch(new RegExp(`^corrupted\\s+${id}`));
    expect(corrupted.stdout).toContain(`expected ${video?.sizeBytes} bytes`);
    expect(stderrLines(corrupted)).toEqual([
      `error: [STORAGE] 1 of 1 video failed verification: ${id} corrupted`,
    ]);

    await rm(stored);
    const all = await cli(['videos', 'verify', '--all', '--json']);
    expect(all.code).toBe(1);
    const report = JSON.parse(all.stdout) as { videoId: string; status: string }[];
    expect(report).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ videoId: id, status: 'missing' }),
        expect.objectContaining({ videoId: other?.id, status: 'ok' }),
      ]),
    );
    expect(all.stderr).toContain(`1 of 2 videos failed verification: ${id} missing`);

    const neither = await cli(['videos', 'verify']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('Name one video to verify, or give --all');
  });
});

describe('videos allow-duplicates', () => {
  it('turns the flag on and off', async () => {
    const { cli, json } = await cliWithDataDir();
    const [video] = await json<RegisteredJson[]>(['videos', 'add', BLOATED]);
    const on = await cli(['videos', 'allow-duplicates', video?.id ?? '']);
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('may now be posted again');
    expect(
      (await json<{ duplicateAllowed: boolean }>(['videos', 'show', video?.id ?? '']))
        .duplicateAllowed,
    ).toBe(true);
    const off = await json<{ duplicateAllowed: boolean }>([
      'videos',
      'allow-duplicates',
      video?.id ?? '',
      '--off',
    ]);
    expect(off.duplicateAllowed).toBe(false);
  });

  it('--allow-duplicates on add sets it, also on content already registered', async () => {
    const { json } = await cliWithDataDir();
    const [first] = await json<RegisteredJson[]>(['videos', 'add', BLOATED]);
    expect(first?.duplicateAllowed).toBe(false);
    const [again] = await json<RegisteredJson[]>(['videos', 'add', BLOATED, '--allow-duplicates']);
    expect(again).toMatchObject({ id: first?.id, existing: true, duplicateAllowed: true });
  });
});
