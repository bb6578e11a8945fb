import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { useNativeCrc32 } from '../../src/node/jszip-native-crc32';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

describe('useNativeCrc32', () => {
  it('replaces the CRC step of the jszip that archives are made with, once', () => {
    const probe = require('jszip/lib/stream/Crc32Probe.js') as {
      prototype: { processChunk: unknown };
    };
    const before = probe.prototype.processChunk;
    useNativeCrc32();
    const after = probe.prototype.processChunk;
    expect(after).not.toBe(before);
    useNativeCrc32();
    expect(probe.prototype.processChunk).toBe(after);
  });

  // A sum with the high bit set came back unsigned, and jszip's own CRC check rejected the archive.
  it('gives jszip the same checksums, high bit set included, checked by jszip and unzip', async () => {
    useNativeCrc32();
    const bytes = randomBytes(3 * 1024 * 1024 + 5);
    while (zlib.crc32(bytes) < 0x8000_0000) bytes[0] = (bytes[0]! + 1) % 256;
    const zip = new JSZip();
    zip.file('bytes.bin', bytes, { binary: true });
    zip.file('text.txt', 'héllo wörld, not bytes');
    zip.file('empty.bin', new Uint8Array(0), { binary: true });
    const archive = await zip.generateAsync({
      type: 'nodebuffer',
      streamFiles: true,
      compression: 'STORE',
    });

    const loaded = await JSZip.loadAsync(archive, { checkCRC32: true });
    expect(Buffer.from(await loaded.file('bytes.bin')!.async('uint8array')).equals(bytes)).toBe(
      true,
    );
    expect(await loaded.file('text.txt')!.async('string')).toBe('héllo wörld, not bytes');

    const folder = await mkdtemp(path.join(tmpdir(), 'vbuckets-crc-'));
    try {
      const file = path.join(folder, 'a.zip');
      await writeFile(file, archive);
      const { stdout } = await run('/usr/bin/unzip', ['-t', file]);
      expect(stdout).toContain('No errors detected');
      const { stdout: verbose } = await run('/usr/bin/unzip', ['-v', file]);
      const expected = zlib.crc32(bytes).toString(16).padStart(8, '0');
      expect(verbose).toMatch(new RegExp(`${expected}\\s+bytes\\.bin`, 'u'));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
