import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Categorization } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { containerTagsText, readContainerTags } from '../src/container-tags';
import { tempDir } from './helpers';
import { cliWithSampleBuckets, samplesDir } from './samples';

const run = promisify(execFile);
const onPosix = process.platform !== 'win32';

/** A one-second black 64x64 H.264 clip, with these `-metadata` tags. */
async function makeClip(path: string, tags: Record<string, string> = {}): Promise<string> {
  const metadata = Object.entries(tags).flatMap(([key, value]) => ['-metadata', `${key}=${value}`]);
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=black:s=64x64:d=1',
    ...metadata,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    path,
  ]);
  return path;
}

/** An executable shell script standing in for ffprobe. */
async function fakeFfprobe(dir: string, body: string): Promise<string> {
  const path = join(dir, 'fake-ffprobe');
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

describe('readContainerTags', () => {
  it('reads the content tags of a real clip, and only those', async () => {
    const dir = await tempDir();
    const clip = await makeClip(join(dir, 'out.mp4'), {
      title: 'Lying awake at 3am',
      comment: 'Night routine, no melatonin',
      description: 'A wind-down ritual',
      artist: 'Jane Creator',
    });
    const tags = await readContainerTags(clip);
    // No encoder, major_brand or artist.
    expect(tags).toEqual({
      title: 'Lying awake at 3am',
      comment: 'Night routine, no melatonin',
      description: 'A wind-down ritual',
    });
    expect(containerTagsText(tags)).toBe(
      'Lying awake at 3am\nA wind-down ritual\nNight routine, no melatonin',
    );
  });

  it("reads Matroska's upper-case COMMENT tag (the sample .webm)", async () => {
    expect(await readContainerTags(join(samplesDir, 'lying-awake-at-3am.webm'))).toEqual({
      title: 'Awake at 3am again',
      comment: 'UGC: night routine',
    });
  });

  it('returns {} when the ffprobe binary is missing', async () => {
    const dir = await tempDir();
    const clip = await makeClip(join(dir, 'out.mp4'), { title: 'Has a title' });
    const missing = join(dir, 'no-such-ffprobe');
    expect(await readContainerTags(clip, { ffprobePath: missing })).toEqual({});
    // FFPROBE_PATH is used when no option is given, and the option wins over it.
    expect(await readContainerTags(clip, { env: { FFPROBE_PATH: missing } })).toEqual({});
    expect(
      await readContainerTags(clip, { ffprobePath: 'ffprobe', env: { FFPROBE_PATH: missing } }),
    ).toEqual({ title: 'Has a title' });
  });

  it('returns {} for a file that is not a video, and for an empty or missing one', async () => {
    const dir = await tempDir();
    const fake = join(dir, 'fake.mp4');
    await writeFile(fake, 'not really a video, just text with an mp4 name\n');
    const empty = join(dir, 'empty.mp4');
    await writeFile(empty, '');
    expect(await readContainerTags(fake)).toEqual({});
    expect(await readContainerTags(empty)).toEqual({});
    expect(await readContainerTags(join(dir, 'missing.mp4'))).toEqual({});
    expect(await readContainerTags(join(samplesDir, 'sneaker-unboxing.txt'))).toEqual({});
  });

  it.skipIf(!onPosix)('uses FFPROBE_PATH and ignores non-string and blank tags', async () => {
    const dir = await tempDir();
    // What `ffprobe -show_format -show_streams` prints for a video, with odd tags.
    const json = JSON.stringify({
      streams: [{ codec_type: 'video', codec_name: 'h264' }],
      format: { tags: { TITLE: '  Spaced title  ', comment: '   ', keywords: 42, Synopsis: 'S' } },
    });
    const binary = await fakeFfprobe(dir, `cat <<'EOF'\n${json}\nEOF`);
    expect(
      await readContainerTags(join(dir, 'any.mp4'), { env: { FFPROBE_PATH: binary } }),
    ).toEqual({ title: 'Spaced title', synopsis: 'S' });
  });

  it.skipIf(!onPosix)('returns {} when ffprobe exits non-zero after printing tags', async () => {
    const dir = await tempDir();
    const binary = await fakeFfprobe(
      dir,
      `echo '{"format":{"tags":{"title":"half-read"}}}'\nexit 1`,
    );
    expect(await readContainerTags(join(dir, 'any.mp4'), { ffprobePath: binary })).toEqual({});
  });

  it.skipIf(!onPosix)('kills an ffprobe that runs past the time limit and returns {}', async () => {
    const dir = await tempDir();
    const pidFile = join(dir, 'pid');
    const binary = await fakeFfprobe(dir, `echo $$ > '${pidFile}'\nexec sleep 30`);
    const started = Date.now();
    const tags = await readContainerTags(join(dir, 'any.mp4'), {
      ffprobePath: binary,
      timeoutMs: 300,
    });
    expect(tags).toEqual({});
    expect(Date.now() - started).toBeLessThan(3000);
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(pid).toBeGreaterThan(0);
    // The child is gone (killed, and reaped by Node) within a moment.
    await expect
      .poll(() => {
        try {
          process.kill(pid, 0);
          return 'alive';
        } catch {
          return 'gone';
        }
      })
      .toBe('gone');
  });
});

describe('categorize reads container tags', () => {
  it('files a clip with no sidecar by its title and comment tags; untagged, it stays uncategorized', async () => {
    const { cli, dataDir } = await cliWithSampleBuckets();
    const clips = join(dataDir, 'clips');
    // Neutral names (not `clip-01`: Gut Health's best-for mentions clips) and no sidecars, so
    // that only the tags can tell where a clip belongs.
    await mkdir(clips);
    await makeClip(join(clips, 'VID_20260301_0001.mp4'), {
      title: 'Lying awake at 3am with a racing mind',
      comment: 'Melatonin-free wind-down ritual',
    });
    await makeClip(join(clips, 'VID_20260301_0002.mp4'));

    const result = await cli(['categorize', clips, '--provider', 'keyword', '--json', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const { rows } = JSON.parse(result.stdout) as { rows: Categorization[] };
    expect(rows.map((row) => [row.filename, row.status, row.bucketName])).toEqual([
      ['VID_20260301_0001.mp4', 'categorized', 'Sleep'],
      ['VID_20260301_0002.mp4', 'analyzed', null],
    ]);
    expect(rows[0]?.transcript).toBe(
      'Lying awake at 3am with a racing mind\nMelatonin-free wind-down ritual',
    );
    expect(rows[1]?.transcript).toBe('');

    // Without ffprobe (FFPROBE_PATH from the CLI's environment), the tags are not read: the
    // same clip is uncategorized and the batch still succeeds.
    const without = await cli(
      ['categorize', join(clips, 'VID_20260301_0001.mp4'), '--json', '-q'],
      {
        env: { FFPROBE_PATH: join(dataDir, 'no-such-ffprobe') },
      },
    );
    expect(without.code, without.stderr).toBe(0);
    const plain = JSON.parse(without.stdout) as { rows: Categorization[] };
    expect(plain.rows.map((row) => [row.filename, row.status, row.bucketName])).toEqual([
      ['VID_20260301_0001.mp4', 'analyzed', null],
    ]);
  });

  it('appends the tags after the sidecar transcript', async () => {
    const { cli, dataDir } = await cliWithSampleBuckets();
    const clip = await makeClip(join(dataDir, 'VID_20260301_0003.mp4'), { title: 'Tag title' });
    await writeFile(join(dataDir, 'VID_20260301_0003.txt'), 'Sidecar words about the 3pm crash.\n');
    const result = await cli(['categorize', clip, '--json', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const { rows } = JSON.parse(result.stdout) as { rows: Categorization[] };
    expect(rows[0]?.transcript).toBe('Sidecar words about the 3pm crash.\n\nTag title');
  });
});
