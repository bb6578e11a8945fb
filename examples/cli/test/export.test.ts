import { execFileSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Categorization } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { escapeRegExp, stderrLines } from './helpers';
import { cliWithSampleBuckets, EXPECTED_BUCKETS, samplesDir } from './samples';

interface ExportJson {
  sessionId: string;
  outDir: string;
  zips: Array<{
    bucketName: string;
    path: string;
    bytes: number;
    entries: Array<{ filename: string; entryName: string; sizeBytes: number }>;
  }>;
}

/** Entry names of a ZIP as the system's unzip reads them (which also checks every CRC). */
function zipEntries(zipPath: string): string[] {
  execFileSync('unzip', ['-tqq', zipPath]);
  const listing = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' });
  return listing.split('\n').filter((line) => line !== '');
}

function zipEntryBytes(zipPath: string, entryName: string): Buffer {
  return execFileSync('unzip', ['-p', zipPath, entryName], { maxBuffer: 64 * 1024 * 1024 });
}

/** The sample files of each bucket, as the keyword provider files them. */
function expectedByBucket(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [filename, bucket] of Object.entries(EXPECTED_BUCKETS)) {
    if (bucket === null) continue;
    groups.set(bucket, [...(groups.get(bucket) ?? []), filename].sort());
  }
  return groups;
}

async function categorizedSamples() {
  const context = await cliWithSampleBuckets();
  const batch = await context.json<{ sessionId: string; rows: Categorization[] }>([
    'categorize',
    samplesDir,
    '-q',
  ]);
  return { ...context, sessionId: batch.sessionId };
}

describe('export', () => {
  it('writes one valid ZIP per bucket holding its videos byte for byte', async () => {
    const { cli, json, dataDir, sessionId } = await categorizedSamples();
    const out = join(dataDir, 'zips');
    const result = await json<ExportJson>(['export', sessionId, '--out', out]);
    expect(result.outDir).toBe(out);
    // The product's bucket order; the uncategorized clip is in none.
    expect(result.zips.map((zip) => zip.bucketName)).toEqual([
      'Gut Health',
      'Energy & Focus',
      'Sleep',
      'Immunity',
    ]);
    expect((await readdir(out)).sort()).toEqual(
      ['Energy & Focus.zip', 'Gut Health.zip', 'Immunity.zip', 'Sleep.zip'].sort(),
    );
    const expected = expectedByBucket();
    for (const zip of result.zips) {
      expect(zip.path).toBe(join(out, `${zip.bucketName}.zip`));
      expect((await stat(zip.path)).size).toBe(zip.bytes);
      const names = zipEntries(zip.path);
      expect(names.sort(), zip.bucketName).toEqual(expected.get(zip.bucketName));
      for (const name of names) {
        const original = await readFile(join(samplesDir, name));
        expect(zipEntryBytes(zip.path, name).equals(original), name).toBe(true);
      }
    }

    // Text output: one line per ZIP with its entry count and size, then where they went.
    const text = await cli(['export', sessionId.slice(0, 8), '--out', out]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^BUCKET\s+VIDEOS\s+SIZE\s+ZIP$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^Gut Health\\s+2\\s+\\d+\\.\\d KB\\s+${escapeRegExp(join(out, 'Gut Health.zip'))}$`,
      ),
    );
    expect(lines.at(-1)).toBe(`Wrote 4 ZIPs to ${out}`);
  });

  // Issue 10: after the stored copy was damaged, `export` still zipped it.
  it('fails without writing a ZIP when a stored copy is corrupted, naming the repair', async () => {
    const { cli, json, dataDir, sessionId } = await categorizedSamples();
    const [video] = (
      await json<Array<{ filename: string; blobKey: string }>>(['videos', 'list'])
    ).filter((each) => each.filename === 'bloated-after-lunch.mp4');
    const stored = join(dataDir, 'blobs', ...(video?.blobKey ?? '').split('/'));
    const bytes = await readFile(stored);
    bytes[300] = (bytes[300] ?? 0) ^ 0xff;
    await writeFile(stored, bytes);

    const out = join(dataDir, 'zips');
    const result = await cli(['export', sessionId, '--out', out]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/is corrupted .* register the original file again to repair it/);
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('exports one bucket by name or id, into <data dir>/exports/<session> by default', async () => {
    const { cli, json, dataDir, sessionId } = await categorizedSamples();
    const byName = await json<ExportJson>(['export', sessionId, '--bucket', 'gut  HEALTH']);
    const defaultDir = join(dataDir, 'exports', sessionId);
    expect(byName.outDir).toBe(defaultDir);
    expect(byName.zips.map((zip) => zip.bucketName)).toEqual(['Gut Health']);
    expect(await readdir(defaultDir)).toEqual(['Gut Health.zip']);
    expect(zipEntries(join(defaultDir, 'Gut Health.zip')).sort()).toEqual([
      'bloated-after-lunch.mp4',
      'gut-reset-day-3.mov',
    ]);

    const buckets = await json<Array<{ id: string; name: string }>>(['buckets', 'list']);
    const sleep = buckets.find((bucket) => bucket.name === 'Sleep');
    const byId = await json<ExportJson>(['export', 'latest', '--bucket', sleep?.id ?? '']);
    expect(
      byId.zips.map((zip) => [zip.bucketName, zip.entries.map((entry) => entry.filename)]),
    ).toEqual([['Sleep', ['lying-awake-at-3am.webm']]]);

    await cli(['buckets', 'add', '--name', 'Sneakers']);
    const empty = await cli(['export', sessionId, '--bucket', 'sneakers']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe(
      `Nothing to export: no video of session ${sessionId} was filed into "Sneakers"\n`,
    );

    const unknown = await cli(['export', sessionId, '--bucket', 'no-such-bucket']);
    expect(unknown.code).toBe(1);
    expect(stderrLines(unknown)).toEqual([
      'error: [NOT_FOUND] No bucket with id or name "no-such-bucket" in product "default"',
    ]);
  });

  it('exports a bucket deleted since the session under the name its videos were filed with', async () => {
    const { cli, json, dataDir, sessionId } = await categorizedSamples();
    expect((await cli(['buckets', 'rm', 'Immunity'])).code).toBe(0);
    const out = join(dataDir, 'zips');
    const result = await json<ExportJson>([
      'export',
      sessionId,
      '--bucket',
      'immunity',
      '--out',
      out,
    ]);
    expect(result.zips.map((zip) => zip.bucketName)).toEqual(['Immunity']);
    expect(zipEntries(join(out, 'Immunity.zip'))).toEqual(['kids-brought-home-a-cold.mp4']);
  });

  it('says there is nothing to export when no video was categorized', async () => {
    const { cli } = await cliWithSampleBuckets();
    const run = await cli(['categorize', join(samplesDir, 'sneaker-unboxing.mp4'), '--json', '-q']);
    const { sessionId } = JSON.parse(run.stdout) as { sessionId: string };
    const result = await cli(['export', sessionId]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Nothing to export: session ${sessionId} has no categorized videos\n`,
    );
  });
});
