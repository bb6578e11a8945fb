import { appendFile, copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Categorization } from '@vbuckets/core';
import { expect } from 'vitest';
import { cliWithDataDir } from './helpers';

/** The committed sample clips and buckets. */
export const samplesDir = fileURLToPath(new URL('../samples/videos/', import.meta.url));
export const sampleBucketsFile = fileURLToPath(new URL('../samples/buckets.json', import.meta.url));

/** Where each sample clip belongs (null: no bucket fits), as its sidecar transcript says. */
export const EXPECTED_BUCKETS: Readonly<Record<string, string | null>> = {
  '3pm-crash-coffee.mov': 'Energy & Focus',
  'bloated-after-lunch.mp4': 'Gut Health',
  'gut-reset-day-3.mov': 'Gut Health',
  'kids-brought-home-a-cold.mp4': 'Immunity',
  'lying-awake-at-3am.webm': 'Sleep',
  'sneaker-unboxing.mp4': null,
};

/** The sample clips in the order a directory argument gives them (sorted by name). */
export const SAMPLE_FILES = Object.keys(EXPECTED_BUCKETS).sort();

/** A data dir with the sample buckets imported. */
export async function cliWithSampleBuckets() {
  const context = await cliWithDataDir();
  await context.json(['buckets', 'import', sampleBucketsFile]);
  return context;
}

/** Eight distinct clips with their transcripts: the six samples and two re-cut copies. */
export async function eightClips(directory: string): Promise<Record<string, string | null>> {
  await mkdir(directory);
  const expected: Record<string, string | null> = {};
  for (const entry of await readdir(samplesDir)) {
    await copyFile(join(samplesDir, entry), join(directory, entry));
  }
  Object.assign(expected, EXPECTED_BUCKETS);
  for (const [source, copy, sidecar] of [
    ['bloated-after-lunch.mp4', 'bloated-after-lunch-take-2.mp4', 'srt'],
    ['3pm-crash-coffee.mov', '3pm-crash-coffee-take-2.mov', 'vtt'],
  ] as const) {
    await copyFile(join(samplesDir, source), join(directory, copy));
    // Different bytes, so that it is a video of its own rather than a duplicate.
    await appendFile(join(directory, copy), Buffer.from([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65]));
    const base = source.replace(/\.\w+$/, '');
    await copyFile(
      join(samplesDir, `${base}.${sidecar}`),
      join(directory, `${copy.replace(/\.\w+$/, '')}.${sidecar}`),
    );
    expected[copy] = EXPECTED_BUCKETS[source] ?? null;
  }
  return expected;
}

/**
 * A resumed session's rows: one per clip, each in the bucket `expected` names (analyzed, in
 * none, for null), and the rows `finishedBefore` the interruption byte for byte what they were
 * (updatedAt included): not analysed again.
 */
export function expectFiledOnce(
  final: readonly Categorization[],
  expected: Readonly<Record<string, string | null>>,
  finishedBefore: readonly Categorization[],
): void {
  expect(final.map((row) => row.filename).sort()).toEqual(Object.keys(expected).sort());
  for (const row of final) {
    const bucket = expected[row.filename] ?? null;
    expect(row, row.filename).toMatchObject(
      bucket === null
        ? { status: 'analyzed', bucketName: null }
        : { status: 'categorized', bucketName: bucket },
    );
  }
  for (const before of finishedBefore) {
    expect(final.find((row) => row.id === before.id)).toEqual(before);
  }
}
