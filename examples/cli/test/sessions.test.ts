import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Categorization, SessionSummary, UploadedBucketGroup } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { stderrLines } from './helpers';
import { startRefusingGemini } from './refusing-gemini';
import { cliWithSampleBuckets, EXPECTED_BUCKETS, SAMPLE_FILES, samplesDir } from './samples';

interface BatchJson {
  sessionId: string;
  rows: Categorization[];
}

async function categorized(argv: readonly string[] = [samplesDir]) {
  const context = await cliWithSampleBuckets();
  const batch = await context.json<BatchJson>(['categorize', ...argv, '-q']);
  return { ...context, batch };
}

describe('sessions', () => {
  it('lists sessions newest first with counts by status and bucket', async () => {
    const { cli, json, batch: first } = await categorized();
    const second = await json<BatchJson>([
      'categorize',
      join(samplesDir, 'bloated-after-lunch.mp4'),
      join(samplesDir, 'sneaker-unboxing.mp4'),
      '-q',
    ]);

    const summaries = await json<SessionSummary[]>(['sessions']);
    expect(summaries.map((summary) => summary.session.id)).toEqual([
      second.sessionId,
      first.sessionId,
    ]);
    expect(summaries[1]?.countsByStatus).toEqual({
      total: 6,
      pending: 0,
      analyzed: 1,
      categorized: 5,
      error: 0,
    });
    expect(summaries[1]?.countsByBucket[0]).toEqual({ bucketName: 'Gut Health', count: 2 });
    expect(summaries[0]?.countsByBucket).toEqual([{ bucketName: 'Gut Health', count: 1 }]);

    const text = await cli(['sessions']);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^SESSION\s+CREATED\s+VIDEOS\s+CATEGORIZED\s+UNCATEGORIZED\s+FAILED\s+PENDING\s+UPLOADED\s+BUCKETS$/,
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^${second.sessionId.slice(0, 8)}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+2\\s+1\\s+1\\s+0\\s+0\\s+0\\s+Gut Health 1$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^${first.sessionId.slice(0, 8)}\\s+\\S+ \\S+\\s+6\\s+5\\s+1\\s+0\\s+0\\s+0\\s+Gut Health 2, `,
      ),
    );

    expect((await json<SessionSummary[]>(['sessions', '--limit', '1'])).length).toBe(1);
    expect(await json<SessionSummary[]>(['sessions', '--product', 'other'])).toEqual([]);
    const none = await cli(['sessions', '--product', 'other']);
    expect(none.stdout).toContain('No sessions in product "other" yet');
  });
});

describe('results', () => {
  it('prints the table by id, id prefix or latest, and --json rows in file order', async () => {
    const { cli, json, batch } = await categorized();
    for (const reference of [batch.sessionId, batch.sessionId.slice(0, 8), 'latest']) {
      const result = await cli(['results', reference]);
      expect(result.code, reference).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toMatch(/^FILE\s+BUCKET\s+CONF\s+UPLOADED\s+REASONING$/);
      expect(lines.slice(1, 7).map((line) => line.split(/\s{2,}/)[0])).toEqual(SAMPLE_FILES);
      expect(result.stdout).toContain(`\nSession: ${batch.sessionId}\n`);
    }
    const rows = await json<BatchJson>(['results', batch.sessionId]);
    expect(rows).toEqual({ sessionId: batch.sessionId, rows: batch.rows });
  });

  it('writes RFC 4180 CSV that parses back to the rows, awkward names included', async () => {
    const { cli, dataDir } = await cliWithSampleBuckets();
    const clips = join(dataDir, 'clips');
    await mkdir(clips);
    const awkward = 'bloated, "really" after lunch.mp4';
    await copyFile(join(samplesDir, 'bloated-after-lunch.mp4'), join(clips, awkward));
    await copyFile(
      join(samplesDir, 'bloated-after-lunch.srt'),
      join(clips, 'bloated, "really" after lunch.srt'),
    );
    await copyFile(join(samplesDir, 'sneaker-unboxing.mp4'), join(clips, 'sneaker-unboxing.mp4'));
    const notes = join(clips, 'notes.txt');
    await writeFile(notes, 'not a video');
    const run = await cli(['categorize', clips, notes, '--json', '-q']);
    const { sessionId, rows } = JSON.parse(run.stdout) as BatchJson;

    const csv = await cli(['results', sessionId, '--csv']);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toBe('');
    const [header, ...records] = parseCsv(csv.stdout);
    expect(header).toEqual([
      'filename',
      'bucket',
      'confidence',
      'status',
      'reasoning',
      'summary',
      'uploaded',
      'error',
    ]);
    expect(records).toHaveLength(3);
    expect(records.map((record) => record[0])).toEqual([
      awkward,
      'sneaker-unboxing.mp4',
      'notes.txt',
    ]);
    for (const [index, record] of records.entries()) {
      const row = rows[index] as Categorization;
      expect(record).toEqual([
        row.filename,
        row.bucketName ?? '',
        row.confidence === null ? '' : String(row.confidence),
        row.status,
        row.reasoning ?? '',
        row.summary ?? '',
        'no',
        row.errorMessage ?? '',
      ]);
    }
    expect(records[0]?.slice(1, 4)).toEqual(['Gut Health', records[0]?.[2], 'categorized']);
    expect(records[2]?.[3]).toBe('error');
    expect(records[2]?.[7]).toMatch(/notes\.txt/);
  });

  it('reports an unknown session with exit 1 and one NOT_FOUND line, in every command', async () => {
    const { cli } = await cliWithSampleBuckets();
    const commands = [
      ['results', 'nope-nope'],
      ['results', 'nope-nope', '--csv'],
      ['resume', 'nope-nope'],
      ['retry', 'nope-nope'],
      ['export', 'nope-nope'],
      ['mark-uploaded', 'nope-nope', '--all'],
      ['unmark-uploaded', 'nope-nope', 'a.mp4'],
    ];
    for (const argv of commands) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stdout, argv.join(' ')).toBe('');
      expect(stderrLines(result).at(-1), argv.join(' ')).toBe(
        'error: [NOT_FOUND] No session "nope-nope" in org "local"',
      );
    }
    const latest = await cli(['results', 'latest']);
    expect(latest.code).toBe(1);
    expect(latest.stderr).toBe(
      'error: [NOT_FOUND] Product "default" has no sessions yet: categorize some videos first\n',
    );
  });

  it('does not show another org the session', async () => {
    const { cli, batch } = await categorized();
    const result = await cli(['results', batch.sessionId, '--org', 'acme']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: [NOT_FOUND] No session "${batch.sessionId}" in org "acme"\n`,
    );
  });
});

describe('mark-uploaded / unmark-uploaded / uploaded', () => {
  it('marks by file name, row id or --all, groups the uploaded by bucket, and unmarks', async () => {
    const { cli, json, batch } = await categorized();
    const byName = (name: string) =>
      batch.rows.find((row) => row.filename === name) as Categorization;
    const gut = byName('bloated-after-lunch.mp4');
    const sleep = byName('lying-awake-at-3am.webm');

    const marked = await cli(['mark-uploaded', batch.sessionId, gut.filename, sleep.id]);
    expect(marked.code, marked.stderr).toBe(0);
    expect(marked.stdout).toBe(
      `Marked 2 videos as uploaded in session ${batch.sessionId}: bloated-after-lunch.mp4, lying-awake-at-3am.webm\n`,
    );
    let uploaded = await json<{ total: number; groups: UploadedBucketGroup[] }>(['uploaded']);
    expect(uploaded.total).toBe(2);
    expect(
      uploaded.groups.map((group) => [group.bucketName, group.rows.map((row) => row.filename)]),
    ).toEqual([
      ['Gut Health', ['bloated-after-lunch.mp4']],
      ['Sleep', ['lying-awake-at-3am.webm']],
    ]);

    // --all takes the categorized videos not marked yet, never the uncategorized one.
    const all = await json<{ count: number; rows: Array<{ filename: string }> }>([
      'mark-uploaded',
      'latest',
      '--all',
    ]);
    expect(all.count).toBe(3);
    expect(all.rows.map((row) => row.filename)).toEqual([
      '3pm-crash-coffee.mov',
      'gut-reset-day-3.mov',
      'kids-brought-home-a-cold.mp4',
    ]);
    const text = await cli(['uploaded']);
    expect(text.stdout).toMatch(
      /^Uploaded: 5 videos\n\nEnergy & Focus \(1\)\n {2}FILE\s+CONF\s+SESSION\s+ROW\n {2}3pm-crash-coffee\.mov\s+\d+%\s+\S+\s+\S+\n\nGut Health \(2\)\n/,
    );
    expect(text.stdout).toMatch(/^ {2}bloated-after-lunch\.mp4\s+\d+%/m);
    expect(text.stdout).toContain('\nImmunity (1)\n');
    expect(text.stdout).toContain('\nSleep (1)\n');
    expect(text.stdout).not.toContain('sneaker-unboxing.mp4');
    const results = await cli(['results', 'latest']);
    expect(results.stdout).toMatch(/^bloated-after-lunch\.mp4\s+Gut Health\s+\d+%\s+yes\s+/m);
    expect(results.stdout).toMatch(/^sneaker-unboxing\.mp4\s+\(uncategorized\)\s+\d+%\s+No known/m);

    const unmarked = await cli(['unmark-uploaded', batch.sessionId.slice(0, 6), gut.id]);
    expect(unmarked.stdout).toBe(
      `Unmarked 1 video as not uploaded in session ${batch.sessionId}: bloated-after-lunch.mp4\n`,
    );
    uploaded = await json(['uploaded']);
    expect(uploaded.total).toBe(4);
    const gutGroup = uploaded.groups.find((group) => group.bucketName === 'Gut Health');
    expect(gutGroup?.rows.map((row) => row.filename)).toEqual(['gut-reset-day-3.mov']);

    const none = await json<{ count: number }>(['unmark-uploaded', 'latest', '--all']);
    expect(none.count).toBe(4);
    expect(await json(['uploaded'])).toEqual({ total: 0, groups: [] });
    expect((await cli(['uploaded'])).stdout).toBe('Uploaded: 0 videos\n');
    const again = await cli(['unmark-uploaded', 'latest', '--all']);
    expect(again.stdout).toBe(`Nothing to unmark in session ${batch.sessionId}\n`);
  });

  it('refuses unclear requests', async () => {
    const { cli, batch } = await categorized();
    const cases: Array<[string[], number, RegExp]> = [
      [['mark-uploaded', batch.sessionId], 2, /^error: \[VALIDATION\] Name the videos to mark/],
      [
        ['mark-uploaded', batch.sessionId, '--all', 'a.mp4'],
        2,
        /^error: \[VALIDATION\] Give --all or the videos to mark, not both/,
      ],
      [
        ['mark-uploaded', batch.sessionId, 'nope.mp4'],
        1,
        new RegExp(`^error: \\[NOT_FOUND\\] No video "nope\\.mp4" in session ${batch.sessionId}`),
      ],
      [['mark-uploaded'], 2, /^error: \[USAGE\] missing required argument 'session'/],
    ];
    for (const [argv, code, message] of cases) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(code);
      expect(stderrLines(result), argv.join(' ')).toHaveLength(1);
      expect(result.stderr, argv.join(' ')).toMatch(message);
    }
  });
});

describe('retry and resume', () => {
  it('retries failed rows with another provider, and a named uncategorized one after a new bucket', async () => {
    const server = await startRefusingGemini();
    try {
      const { cli, json } = await cliWithSampleBuckets();
      const env = { GEMINI_API_KEY: 'bad-key', VBUCKETS_GEMINI_BASE_URL: server.baseURL };
      const failed = await cli(['categorize', samplesDir, '--json', '-q', '--rpm', '6000'], {
        env,
      });
      expect(failed.code, failed.stderr).toBe(0);
      const { sessionId, rows } = JSON.parse(failed.stdout) as BatchJson;
      expect(rows.every((row) => row.status === 'error' && row.videoId !== null)).toBe(true);

      const retried = await cli(['retry', sessionId, '--provider', 'keyword'], { env });
      expect(retried.code, retried.stderr).toBe(0);
      expect(retried.stderr).toContain(`Session ${sessionId}: retrying 6 of 6 videos with keyword`);
      expect(retried.stdout).toContain('6 videos: 5 categorized, 1 uncategorized, 0 failed');
      const after = await json<BatchJson>(['results', sessionId]);
      expect(after.rows.map((row) => row.id)).toEqual(rows.map((row) => row.id));
      for (const row of after.rows) {
        expect(row.bucketName, row.filename).toBe(EXPECTED_BUCKETS[row.filename]);
      }

      // Nothing failed now: a plain retry runs nothing and changes nothing.
      const idle = await json<BatchJson>(['retry', sessionId, '--provider', 'keyword']);
      expect(idle.rows).toEqual(after.rows);

      await cli([
        'buckets',
        'add',
        '--name',
        'Sneakers',
        '--best-for',
        'unboxing trainers: suede, laces, colourway and sizing',
      ]);
      const named = await json<BatchJson>([
        'retry',
        sessionId,
        '--file',
        'sneaker-unboxing.mp4',
        '--provider',
        'keyword',
      ]);
      const sneaker = named.rows.find((row) => row.filename === 'sneaker-unboxing.mp4');
      expect(sneaker).toMatchObject({ status: 'categorized', bucketName: 'Sneakers' });
      const unchanged = named.rows.filter((row) => row.filename !== 'sneaker-unboxing.mp4');
      expect(unchanged).toEqual(
        after.rows.filter((row) => row.filename !== 'sneaker-unboxing.mp4'),
      );

      const typo = await cli(['retry', sessionId, '--file', 'nope.mp4', '--provider', 'keyword']);
      expect(typo.code).toBe(2);
      expect(stderrLines(typo).at(-1)).toMatch(/^error: \[VALIDATION\] .*nope\.mp4/);
    } finally {
      await server.close();
    }
  });

  it('says so when there is nothing to resume and changes nothing', async () => {
    const { cli, json, batch } = await categorized();
    const result = await cli(['resume', batch.sessionId]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `Nothing to resume: every video of session ${batch.sessionId} has finished`,
    );
    expect(result.stdout).toContain('6 videos: 5 categorized, 1 uncategorized, 0 failed');
    expect(await json<BatchJson>(['results', batch.sessionId])).toEqual(batch);
  });
});
