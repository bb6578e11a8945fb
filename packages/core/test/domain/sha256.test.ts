import { describe, expect, it } from 'vitest';
import { createSha256 } from '../../src/domain/sha256';

const hex = (parts: Uint8Array[]) => {
  const hash = createSha256();
  for (const part of parts) hash.update(part);
  return hash.digestHex();
};
const text = (value: string) => new TextEncoder().encode(value);

async function webDigest(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('createSha256', () => {
  it('matches the FIPS 180-4 vectors', () => {
    expect(hex([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex([text('abc')])).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex([text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')])).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('gives the same digest however the bytes are chunked, for lengths around block edges', async () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_001]) {
      const bytes = new Uint8Array(length).map((_, index) => (index * 31 + 7) & 0xff);
      const chunks: Uint8Array[] = [];
      for (let start = 0; start < length; start += 37)
        chunks.push(bytes.subarray(start, start + 37));
      expect(hex(chunks)).toBe(await webDigest(bytes));
    }
  });
});
