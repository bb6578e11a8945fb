import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bucket, Categorization } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { cliWithDataDir, escapeRegExp } from './helpers';
import { EXPECTED_BUCKETS, SAMPLE_FILES } from './samples';

interface DemoJson {
  import: { created: number; updated: number; unchanged: number };
  buckets: Bucket[];
  sessionId: string;
  rows: Categorization[];
  exportDir: string;
  zips: Array<{ bucketName: string; path: string; entries: Array<{ filename: string }> }>;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('demo: the main job on sample data', () => {
  it('imports the buckets, categorizes the sample clips offline, prints the table and writes the ZIPs', async () => {
    const { cli, dataDir } = await cliWithDataDir();
    const result = await cli(['demo']);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toContain('4 created, 0 updated, 0 unchanged');
    for (const name of ['Gut Health', 'Energy & Focus', 'Sleep', 'Immunity']) {
      expect(out).toMatch(new RegExp(`^\\s+\\d+\\s+${name.replace('&', '\\&')}\\s`, 'm'));
    }
    expect(out).toMatch(/^FILE\s+BUCKET\s+CONF\s+REASONING$/m);
    for (const filename of SAMPLE_FILES) {
      const bucket = EXPECTED_BUCKETS[filename] ?? '(uncategorized)';
      expect(out).toMatch(
        new RegExp(`^${escapeRegExp(filename)}\\s+${escapeRegExp(bucket)}\\s+\\d+%\\s+\\S`, 'm'),
      );
    }
    expect(out).toContain(
      '6 videos: 5 categorized, 1 uncategorized, 0 failed · Gut Health 2, Energy & Focus 1, Immunity 1, Sleep 1',
    );
    const sessionId = /^Session: (\S+)$/m.exec(out)?.[1] ?? '';
    const exportDir = join(dataDir, 'exports', sessionId);
    expect(out).toContain(`ZIPs, one per bucket, in ${exportDir}:`);
    // The hint is a command that runs (`vbuckets` alone is on nobody's PATH).
    expect(out).toContain(`Next: pnpm -s vbuckets results ${sessionId} --csv`);
    expect(out).toMatch(
      new RegExp(
        `^Gut Health\\s+2\\s+\\S+ KB\\s+${escapeRegExp(join(exportDir, 'Gut Health.zip'))}$`,
        'm',
      ),
    );
    expect((await readdir(exportDir)).sort()).toEqual([
      'Energy & Focus.zip',
      'Gut Health.zip',
      'Immunity.zip',
      'Sleep.zip',
    ]);
    for (const zip of await readdir(exportDir))
      execFileSync('unzip', ['-tqq', join(exportDir, zip)]);
    // Progress went to stderr, saying the provider.
    expect(result.stderr).toMatch(/^Using the offline keyword categorizer\n/);
    expect(result.stderr).toContain(
      `Session ${sessionId}: categorizing 6 sample videos with keyword`,
    );
  });

  it('runs again: nothing new imported, a new session, identical videos stored once', async () => {
    const { json, cli, dataDir } = await cliWithDataDir();
    const first = await json<DemoJson>(['demo', '-q']);
    const blobsAfterFirst = await filesUnder(join(dataDir, 'blobs', 'videos'));
    expect(blobsAfterFirst).toHaveLength(SAMPLE_FILES.length);

    const second = await json<DemoJson>(['demo', '-q']);
    expect(first.import).toEqual({ created: 4, updated: 0, unchanged: 0 });
    expect(second.import).toEqual({ created: 0, updated: 0, unchanged: 4 });
    expect(second.buckets.map((bucket) => bucket.name)).toEqual([
      'Gut Health',
      'Energy & Focus',
      'Sleep',
      'Immunity',
    ]);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(second.exportDir).toBe(join(dataDir, 'exports', second.sessionId));
    expect(second.zips.map((zip) => zip.bucketName)).toEqual([
      'Gut Health',
      'Energy & Focus',
      'Sleep',
      'Immunity',
    ]);
    // Same videos: the second session's rows point at the first session's videos.
    expect(second.rows.map((row) => row.videoId)).toEqual(first.rows.map((row) => row.videoId));
    expect((await filesUnder(join(dataDir, 'blobs', 'videos'))).sort()).toEqual(
      blobsAfterFirst.sort(),
    );

    const sessions = await cli(['sessions']);
    expect(sessions.stdout.trimEnd().split('\n')).toHaveLength(3);
  });
});
