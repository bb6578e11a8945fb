import zlib from 'node:zlib';
// @ts-expect-error jszip ships no types for its internals; the shape used is declared below.
import Crc32ProbeModule from 'jszip/lib/stream/Crc32Probe.js';

interface ProbeChunk {
  data: unknown;
}

interface Crc32Probe {
  streamInfo: { crc32?: number };
  push(chunk: ProbeChunk): void;
}

interface Crc32ProbeClass {
  prototype: { processChunk(this: Crc32Probe, chunk: ProbeChunk): void };
}

let installed = false;

/**
 * jszip computes each entry's CRC-32 in JavaScript a byte at a time (150–400 MB/s here), which
 * held a stored ZIP of video at about half the speed of `zip -0`. zlib.crc32 (Node ≥ 20.15)
 * does the same sum natively at over 1 GB/s, so jszip's CRC step is pointed at it for byte
 * chunks; strings keep jszip's own code, and an older Node keeps jszip's code altogether.
 * The checksums are the same (the round-trip tests check every archive with `unzip -t`).
 * It changes this process's copy of jszip, for every user of it, the first time an archive
 * is made: faster, never different.
 */
export function useNativeCrc32(): void {
  if (installed) return;
  installed = true;
  const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  const probe = Crc32ProbeModule as Crc32ProbeClass | undefined;
  const original = probe?.prototype?.processChunk;
  if (typeof native !== 'function' || probe === undefined || typeof original !== 'function') return;
  probe.prototype.processChunk = function processChunk(this: Crc32Probe, chunk: ProbeChunk) {
    if (!(chunk.data instanceof Uint8Array)) {
      original.call(this, chunk);
      return;
    }
    // zlib takes and gives the sum unsigned; jszip keeps it signed and compares it with `!==`
    // when it checks a loaded archive, so it goes back signed.
    this.streamInfo.crc32 = native(chunk.data, (this.streamInfo.crc32 ?? 0) >>> 0) | 0;
    this.push(chunk);
  };
}
