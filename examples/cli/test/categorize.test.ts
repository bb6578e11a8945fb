import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Categorization } from '@vbuckets/core';
import { startFakeAnthropicServer } from '@vbuckets/testkit';
import { describe, expect, it } from 'vitest';
import { cliWithDataDir, escapeRegExp, stderrLines } from './helpers';
import { startRefusingGemini } from './refusing-gemini';
import { cliWithSampleBuckets, EXPECTED_BUCKETS, SAMPLE_FILES, samplesDir } from './samples';

interface BatchJson {
  sessionId: string;
  rows: Categorization[];
}

describe('categorize with the keyword provider', () => {
  // The 1000-file limit was checked only after ffprobe had run over every file.
  it('refuses more files than a session takes before reading any of them', async () => {
    const { cli, dataDir } = await cliWithSampleBuckets();
    const clips = join(dataDir, 'many');
    await mkdir(clips);
    await Promise.all(
      Array.from({ length: 1001 }, (_, index) =>
        writeFile(join(clips, `clip-${String(index).padStart(4, '0')}.mp4`), ''),
      ),
    );
    const probed = join(dataDir, 'ffprobe-ran');
    const ffprobe = join(dataDir, 'recording-ffprobe.sh');
    await writeFile(ffprobe, `#!/bin/sh\necho ran >> '${probed}'\nexit 1\n`);
    await chmod(ffprobe, 0o755);
    const result = await cli(['categorize', clips], { env: { FFPROBE_PATH: ffprobe } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /^error: \[VALIDATION\] 1001 video files given; a session takes at most 1000: split them/m,
    );
    expect(existsSync(probed)).toBe(false);
  });

  it('files each sample clip into the bucket its transcript talks about', async () => {
    const { cli } = await cliWithSampleBuckets();
    const result = await cli(['categorize', samplesDir, '--provider', 'keyword', '--json', '-q']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const { sessionId, rows } = JSON.parse(result.stdout) as BatchJson;
    expect(rows.map((row) => row.filename)).toEqual(SAMPLE_FILES);
    for (const row of rows) {
      expect(row.sessionId).toBe(sessionId);
      const expected = EXPECTED_BUCKETS[row.filename];
      if (expected === null) {
        expect(row, row.filename).toMatchObject({ status: 'analyzed', bucketName: null });
      } else {
        expect(row, row.filename).toMatchObject({ status: 'categorized', bucketName: expected });
        expect(row.confidence, row.filename).toBeGreaterThanOrEqual(0.5);
      }
      expect(row.videoId, row.filename).not.toBeNull();
      // The sidecar transcript reached the analyzer.
      expect(row.transcript, row.filename).not.toBe('');
    }
  });

  // Issue 10: a truncated MP4 was stored and reported as "uncategorized".
  it.runIf(spawnSync('ffprobe', ['-version']).status === 0)(
    'makes a truncated MP4 an error row that says it is corrupt, and stores nothing for it',
    async () => {
      const { cli, dataDir } = await cliWithSampleBuckets();
      const folder = join(dataDir, 'clips');
      await mkdir(folder);
      await copyFile(join(samplesDir, 'bloated-after-lunch.mp4'), join(folder, 'good.mp4'));
      await writeFile(
        join(folder, 'truncated.mp4'),
        (await readFile(join(samplesDir, 'bloated-after-lunch.mp4'))).subarray(0, 1024),
      );
      const result = await cli(['categorize', folder, '--json', '-q'], {
        env: { PATH: process.env.PATH },
      });
      const { rows } = JSON.parse(result.stdout) as BatchJson;
      const truncated = rows.find((row) => row.filename === 'truncated.mp4');
      expect(truncated).toMatchObject({ status: 'error', videoId: null });
      expect(truncated?.errorMessage).toMatch(
        /is not a playable video: the file is corrupt or truncated/,
      );
      expect(rows.find((row) => row.filename === 'good.mp4')?.videoId).not.toBeNull();
      const stored = await readdir(join(dataDir, 'blobs'), {
        recursive: true,
        withFileTypes: true,
      });
      expect(
        stored.filter((entry) => entry.isFile() && !entry.parentPath.includes('.vbuckets')),
      ).toHaveLength(1);
    },
  );

  it('prints progress per video and stage on stderr, then the table and the session on stdout', async () => {
    const { cli } = await cliWithSampleBuckets();
    const result = await cli(['categorize', samplesDir]);
    expect(result.code, result.stderr).toBe(0);

    const errors = stderrLines(result);
    expect(errors[0]).toBe(
      'Using the offline keyword categorizer (no GEMINI_API_KEY set; set it to use Gemini)',
    );
    const sessionLine = /^Session (\S+): categorizing 6 videos with keyword$/.exec(errors[1] ?? '');
    expect(sessionLine, errors[1]).not.toBeNull();
    const sessionId = sessionLine?.[1];
    for (const [index, filename] of SAMPLE_FILES.entries()) {
      const prefix = `[${index + 1}/6] ${filename}: `;
      const stages = errors
        .filter((line) => line.startsWith(prefix))
        .map((line) => line.slice(prefix.length));
      const expected = EXPECTED_BUCKETS[filename];
      expect(stages.slice(0, 3), filename).toEqual(['stored', 'analyzing', 'categorizing']);
      expect(stages[3], filename).toMatch(
        expected == null
          ? /^done → no bucket fits \(\d+%\)$/
          : new RegExp(`^done → ${escapeRegExp(expected)} \\(\\d+%\\)$`),
      );
      expect(stages, filename).toHaveLength(4);
    }

    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FILE\s+BUCKET\s+CONF\s+REASONING$/);
    for (const [index, filename] of SAMPLE_FILES.entries()) {
      const expected = EXPECTED_BUCKETS[filename] ?? '(uncategorized)';
      expect(lines[index + 1]).toMatch(
        new RegExp(`^${escapeRegExp(filename)}\\s+${escapeRegExp(expected)}\\s+\\d+%\\s+\\S`),
      );
    }
    for (const line of lines.slice(0, 7)) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(result.stdout).toContain(
      '\n6 videos: 5 categorized, 1 uncategorized, 0 failed · Gut Health 2, Energy & Focus 1, Immunity 1, Sleep 1\n',
    );
    expect(result.stdout).toContain(`\nSession: ${sessionId}\n`);
  });

  it('draws one live progress line on a terminal and fits the table to its width', async () => {
    const { cli } = await cliWithSampleBuckets();
    const result = await cli(['categorize', samplesDir], { stderrColumns: 70, stdoutColumns: 120 });
    expect(result.code, result.stderr).toBe(0);
    const [notice, session, live] = result.stderr.split('\n');
    expect(notice).toMatch(/^Using the offline keyword categorizer/);
    // The reading pass (ffprobe over every file) counts in place, then clears its line.
    expect(session).toMatch(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escape codes are the point
      /^(\r\u001b\[2KReading files \d\/6…)+\r\u001b\[2KSession \S+: categorizing 6 videos with keyword$/,
    );
    // Everything after the two notices redraws one line: no newline, a clear before each draw.
    expect(result.stderr.split('\n')).toHaveLength(3);
    const draws = (live ?? '').split('\r\u001b[2K').filter((draw) => draw !== '');
    expect(draws.length).toBeGreaterThanOrEqual(6 * 4);
    for (const draw of draws) {
      expect(draw.length, draw).toBeLessThanOrEqual(69);
      expect(draw).toMatch(/^\[\d\/6\] \S+ — (stored|analyzing|categorizing|done) ▕[█░]{12}▏/);
    }
    expect(draws.at(-1)).toContain('▕████████████▏ 6/6 finished');
    // The line is cleared at the end, so the shell prompt starts clean.
    expect(live?.endsWith('\r\u001b[2K')).toBe(true);

    const table = result.stdout.split('\n\n')[0]?.split('\n') ?? [];
    expect(Math.max(...table.map((line) => line.length))).toBeGreaterThan(80);
    for (const line of table) expect(line.length, line).toBeLessThanOrEqual(120);
  });

  it('uses the sidecar transcript: the same clip without one is uncategorized', async () => {
    const { cli, dataDir } = await cliWithSampleBuckets();
    const clips = join(dataDir, 'clips');
    await mkdir(clips);
    // Neutral names, so that only the transcript can tell where the clip belongs.
    await copyFile(
      join(samplesDir, 'lying-awake-at-3am.webm'),
      join(clips, 'VID_20260218_0001.webm'),
    );
    await copyFile(
      join(samplesDir, 'lying-awake-at-3am.txt'),
      join(clips, 'VID_20260218_0001.txt'),
    );
    await copyFile(
      join(samplesDir, 'bloated-after-lunch.mp4'),
      join(clips, 'VID_20260218_0002.mp4'),
    );
    // The sample clips' title/comment tags would file them too (container-tags.test.ts):
    // without ffprobe, only the transcript is known.
    const result = await cli(['categorize', clips, '--json', '-q'], {
      env: { FFPROBE_PATH: join(dataDir, 'no-such-ffprobe') },
    });
    expect(result.code, result.stderr).toBe(0);
    const { rows } = JSON.parse(result.stdout) as BatchJson;
    expect(rows.map((row) => [row.filename, row.status, row.bucketName])).toEqual([
      ['VID_20260218_0001.webm', 'categorized', 'Sleep'],
      ['VID_20260218_0002.mp4', 'analyzed', null],
    ]);
  });

  it('takes files and folders together, once each, and a path given twice once', async () => {
    const { cli } = await cliWithSampleBuckets();
    const single = join(samplesDir, 'bloated-after-lunch.mp4');
    const result = await cli(['categorize', single, samplesDir, single, '--json', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const { rows } = JSON.parse(result.stdout) as BatchJson;
    expect(rows.map((row) => row.filename)).toEqual([
      'bloated-after-lunch.mp4',
      ...SAMPLE_FILES.filter((name) => name !== 'bloated-after-lunch.mp4'),
    ]);
  });

  it('turns a file named on purpose that is not a video into an error row and goes on', async () => {
    const { cli, dataDir } = await cliWithSampleBuckets();
    const notes = join(dataDir, 'notes.txt');
    await writeFile(notes, 'shot list for next week\n');
    const fake = join(dataDir, 'fake.mp4');
    await writeFile(fake, 'not really a video, just text with an mp4 name\n');
    const clip = join(samplesDir, '3pm-crash-coffee.mov');
    const result = await cli(['categorize', notes, fake, clip]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^\[1\/3\] notes\.txt: failed — .*notes\.txt/m);
    expect(result.stdout).toMatch(/^notes\.txt\s+\(error\)\s+-\s+\S/m);
    expect(result.stdout).toMatch(/^fake\.mp4\s+\(error\)\s+-\s+\S/m);
    expect(result.stdout).toMatch(/^3pm-crash-coffee\.mov\s+Energy & Focus\s+\d+%/m);
    expect(result.stdout).toContain('3 videos: 1 categorized, 0 uncategorized, 2 failed');
    expect(result.stdout).toMatch(/Next: pnpm -s vbuckets retry \S+/);
  });

  it('cancels cleanly when interrupted and says how to resume (exit 130)', async () => {
    const { cli } = await cliWithSampleBuckets();
    const interrupted = new AbortController();
    // As Ctrl-C would: once the first video is done, while the others wait in the slowed provider.
    const pending = cli(['categorize', samplesDir, '--concurrency', '1'], {
      signal: interrupted.signal,
      env: { VBUCKETS_CLI_TEST_DELAY_MS: '200' },
      onStderr: (text) => {
        if (text.includes(': done')) interrupted.abort(new Error('Interrupted (SIGINT)'));
      },
    });
    const stopped = await pending;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toBe('');
    const last = stderrLines(stopped).at(-1) ?? '';
    const match =
      /^error: \[CANCELLED\] Interrupted with (\d) videos? unfinished in session (\S+); finish them with: pnpm -s vbuckets --data-dir \S+ resume \2$/.exec(
        last,
      );
    expect(match, last).not.toBeNull();
    const unfinished = Number(match?.[1]);
    expect(unfinished).toBeGreaterThan(0);

    // The printed command finishes the session: every file once, nothing pending.
    const sessionId = match?.[2] ?? '';
    const resumed = await cli(['resume', sessionId, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${unfinished} of 6 videos with keyword`);
    const { rows } = JSON.parse(resumed.stdout) as BatchJson;
    expect(rows.map((row) => row.filename)).toEqual(SAMPLE_FILES);
    for (const row of rows) {
      expect(row.status, row.filename).toBe(
        EXPECTED_BUCKETS[row.filename] === null ? 'analyzed' : 'categorized',
      );
    }
  });
});

describe('choosing the provider', () => {
  it('refuses --provider gemini without a key before touching the data dir', async () => {
    const { cli, dataDir } = await cliWithDataDir();
    const result = await cli(['categorize', samplesDir, '--provider', 'gemini']);
    expect(result.code).toBe(1);
    expect(stderrLines(result)).toEqual([
      'error: [UNAUTHENTICATED] The gemini provider needs an API key: set GEMINI_API_KEY (or use --provider keyword, which works offline)',
    ]);
    expect(result.stdout).toBe('');
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('rejects an unknown provider and bad numbers with exit 2', async () => {
    const { cli } = await cliWithSampleBuckets();
    for (const [flags, message] of [
      [['--provider', 'openai'], /'--provider <name>' argument 'openai' is invalid/],
      [['--rpm', '0'], /'--rpm <n>' argument '0' is invalid/],
      [['--concurrency', '100'], /'--concurrency <n>' argument '100' is invalid/],
    ] as const) {
      const result = await cli(['categorize', samplesDir, ...flags]);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(stderrLines(result), flags.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/^error: \[USAGE\] /);
      expect(result.stderr).toMatch(message);
    }
  });

  it('uses Gemini when GEMINI_API_KEY is set, and keyword when asked for', async () => {
    const server = await startRefusingGemini();
    try {
      const { cli } = await cliWithSampleBuckets();
      const env = {
        GEMINI_API_KEY: 'test-key',
        VBUCKETS_GEMINI_BASE_URL: server.baseURL,
      };
      const clip = join(samplesDir, 'bloated-after-lunch.mp4');

      const gemini = await cli(['categorize', clip, '--rpm', '600'], { env });
      expect(gemini.code, gemini.stderr).toBe(0);
      expect(stderrLines(gemini)[0]).toBe(
        'Using Gemini (GEMINI_API_KEY is set), 600 requests/min; --provider keyword works offline',
      );
      expect(server.requests.length).toBeGreaterThan(0);
      expect(server.requests.every((request) => request.key === 'test-key')).toBe(true);
      expect(gemini.stdout).toMatch(/^bloated-after-lunch\.mp4\s+\(error\)\s+-\s+\S/m);
      expect(gemini.stderr).toMatch(/bloated-after-lunch\.mp4: failed — .*gemini/i);

      server.requests.length = 0;
      const keyword = await cli(['categorize', clip, '--provider', 'keyword'], { env });
      expect(keyword.code).toBe(0);
      expect(stderrLines(keyword)[0]).toBe('Using the offline keyword categorizer');
      expect(server.requests).toEqual([]);
      expect(keyword.stdout).toMatch(/^bloated-after-lunch\.mp4\s+Gut Health\s+\d+%/m);
    } finally {
      await server.close();
    }
  });

  it('refuses --provider claude without ANTHROPIC_API_KEY before reading anything', async () => {
    const { cli } = await cliWithSampleBuckets();
    const result = await cli(['categorize', samplesDir, '--provider', 'claude']);
    expect(result.code).toBe(1);
    expect(stderrLines(result)).toEqual([
      'error: [UNAUTHENTICATED] The claude provider needs an API key: set ANTHROPIC_API_KEY (or use --provider keyword, which works offline)',
    ]);
  });

  // Claude is sent frames that ffmpeg takes.
  it.runIf(spawnSync('ffprobe', ['-version']).status === 0)(
    'files videos with Claude when asked for, sending its key, model and frames',
    async () => {
      const server = await startFakeAnthropicServer({
        apiKey: 'claude-key',
        bucketsByFilename: { 'bloated-after-lunch.mp4': 'Gut Health' },
      });
      try {
        const { cli } = await cliWithSampleBuckets();
        const env = {
          ANTHROPIC_API_KEY: 'claude-key',
          ANTHROPIC_BASE_URL: server.baseUrl,
          VBUCKETS_CLAUDE_MODEL: 'claude-categorize-test',
          // Claude only when asked for: a key alone keeps the default.
          GEMINI_API_KEY: '',
        };
        const clip = join(samplesDir, 'bloated-after-lunch.mp4');
        const result = await cli(['categorize', clip, '--provider', 'claude', '--rpm', '600'], {
          env,
        });
        expect(result.code, result.stderr).toBe(0);
        expect(stderrLines(result)[0]).toBe(
          'Using Claude (claude-categorize-test), 600 requests/min',
        );
        expect(result.stdout).toMatch(/^bloated-after-lunch\.mp4\s+Gut Health\s+90%/m);
        const [sent] = server.requestsTo('messages');
        expect(sent?.headers.authorization).toBe('Bearer claude-key');
        expect(sent?.json).toMatchObject({ model: 'claude-categorize-test' });
        expect(sent?.images.length).toBeGreaterThan(0);

        const byDefault = await cli(['categorize', clip], { env });
        expect(stderrLines(byDefault)[0]).toBe(
          'Using the offline keyword categorizer (no GEMINI_API_KEY set; set it to use Gemini)',
        );
        expect(server.requestsTo('messages')).toHaveLength(1);
      } finally {
        await server.close();
      }
    },
  );
});

describe('categorize input errors', () => {
  it('rejects a folder without videos with exit 2', async () => {
    const { cli, dataDir } = await cliWithSampleBuckets();
    const empty = join(dataDir, 'empty');
    await mkdir(empty);
    const textOnly = join(dataDir, 'text-only');
    await mkdir(textOnly);
    await writeFile(join(textOnly, 'notes.txt'), 'hello');
    for (const folder of [empty, textOnly]) {
      const result = await cli(['categorize', folder]);
      expect(result.code, folder).toBe(2);
      expect(stderrLines(result)).toEqual([
        `error: [VALIDATION] No video files (.mp4, .mov, .avi, .webm) in ${folder}`,
      ]);
    }
  });

  it('reports a missing path with exit 1 and a product without buckets with exit 2', async () => {
    const { cli } = await cliWithSampleBuckets();
    const missing = await cli(['categorize', 'no-such-folder']);
    expect(missing.code).toBe(1);
    expect(stderrLines(missing)).toEqual([
      'error: [NOT_FOUND] No such file or directory: no-such-folder',
    ]);

    const empty = await cli(['categorize', samplesDir, '--product', 'other', '-q']);
    expect(empty.code).toBe(2);
    expect(stderrLines(empty)).toHaveLength(1);
    expect(empty.stderr).toMatch(/^error: \[VALIDATION\] Product other has no buckets/);
  });

  it('needs at least one path', async () => {
    const { cli } = await cliWithSampleBuckets();
    const result = await cli(['categorize']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: \[USAGE\] missing required argument 'files\|dir'/);
  });
});
