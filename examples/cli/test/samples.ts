import { fileURLToPath } from 'node:url';
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
