import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { round } from './harness';

// Large test files for the benchmarks that move bytes: written fast, incompressible, with an
// MP4 head so the registry's content check takes them for a video.

export const MiB = 1024 * 1024;

/**
 * An ISO-BMFF `ftyp` box (brand isom), so that register's content sniffing takes the bytes
 * after it for an MP4; nothing else in the file is a valid MP4 structure.
 */
export const MP4_HEAD: Uint8Array = (() => {
  const ascii = (text: string) => Array.from(text, (character) => character.charCodeAt(0));
  return Uint8Array.from([
    ...[0x00, 0x00, 0x00, 0x20],
    ...ascii('ftypisom'),
    ...[0x00, 0x00, 0x02, 0x00],
    ...ascii('isomiso2avc1mp41'),
  ]);
})();

/** Incompressible bytes, fast: the MP4 head, then 1 MiB slices at pseudo-random offsets of a random pool. */
function* videoBytes(sizeBytes: number, pool: Buffer): Generator<Uint8Array> {
  yield MP4_HEAD.subarray(0, Math.min(MP4_HEAD.byteLength, sizeBytes));
  let state = 2_654_435_761;
  for (let offset = MP4_HEAD.byteLength; offset < sizeBytes; offset += MiB) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const start = state % (pool.byteLength - MiB);
    yield pool.subarray(start, start + Math.min(MiB, sizeBytes - offset));
  }
}

/** Writes a video-like file of `sizeBytes`; returns its SHA-256. */
export async function writeVideoFile(path: string, sizeBytes: number): Promise<string> {
  const hash = createHash('sha256');
  async function* hashed() {
    for (const chunk of videoBytes(sizeBytes, randomBytes(32 * MiB))) {
      hash.update(chunk);
      yield chunk;
    }
  }
  await pipeline(hashed(), createWriteStream(path));
  return hash.digest('hex');
}

/** Flushes dirty pages, so one measurement does not pay for the writes of the one before. */
export const settleDisk = () => spawnSync('sync');

/** Throws, naming the variable that scales the benchmark, unless `bytes` are free in `directory`. */
export function requireFreeSpace(
  directory: string,
  bytes: number,
  benchmark: string,
  sizeVariable: string,
): void {
  const { bavail, bsize } = statfsSync(directory);
  if (bavail * bsize < bytes) {
    throw new Error(
      `The ${benchmark} benchmark needs ${round(bytes / 2 ** 30, 1)} GiB free in ${tmpdir()}; lower ${sizeVariable}`,
    );
  }
}

/** mulberry32: a small seeded PRNG, so a run's injected failures can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An MP4 head (registration sniffs the content) and distinct bytes per video (it deduplicates). */
export function smallVideoBytes(index: number, sizeBytes: number): Uint8Array {
  const random = seededRandom(index + 1);
  const bytes = new Uint8Array(sizeBytes);
  for (let offset = 0; offset < sizeBytes; offset++) bytes[offset] = Math.floor(random() * 256);
  bytes.set(MP4_HEAD);
  return bytes;
}
