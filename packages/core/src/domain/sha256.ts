const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** An incremental SHA-256: feed chunks with `update`, read the hex digest once with `digestHex`. */
export interface Sha256 {
  update(chunk: Uint8Array): void;
  /** Lower-case hex digest; the hash cannot be updated afterwards. */
  digestHex(): string;
}

const rotr = (value: number, bits: number) => (value >>> bits) | (value << (32 - bits));

/**
 * A small pure-TypeScript SHA-256 (FIPS 180-4). Core has no runtime crypto it can stream
 * through (WebCrypto digests whole buffers only), and verifying a stored video must not hold
 * it in memory; BlobStore.put still does the hashing of writes at native speed.
 */
export function createSha256(): Sha256 {
  const state = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const block = new Uint8Array(64);
  const words = new Uint32Array(64);
  let blockLength = 0;
  let totalBytes = 0;
  let finished = false;

  const compress = () => {
    for (let index = 0; index < 16; index += 1) {
      const offset = index * 4;
      words[index] =
        ((block[offset] ?? 0) << 24) |
        ((block[offset + 1] ?? 0) << 16) |
        ((block[offset + 2] ?? 0) << 8) |
        (block[offset + 3] ?? 0);
    }
    for (let index = 16; index < 64; index += 1) {
      const before15 = words[index - 15] ?? 0;
      const before2 = words[index - 2] ?? 0;
      const sigma0 = rotr(before15, 7) ^ rotr(before15, 18) ^ (before15 >>> 3);
      const sigma1 = rotr(before2, 17) ^ rotr(before2, 19) ^ (before2 >>> 10);
      words[index] = ((words[index - 16] ?? 0) + sigma0 + (words[index - 7] ?? 0) + sigma1) | 0;
    }
    let a: number = state[0] ?? 0;
    let b: number = state[1] ?? 0;
    let c: number = state[2] ?? 0;
    let d: number = state[3] ?? 0;
    let e: number = state[4] ?? 0;
    let f: number = state[5] ?? 0;
    let g: number = state[6] ?? 0;
    let h: number = state[7] ?? 0;
    for (let index = 0; index < 64; index += 1) {
      const sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const choice = (e & f) ^ (~e & g);
      const temp1: number = (h + sum1 + choice + (K[index] ?? 0) + (words[index] ?? 0)) | 0;
      const sum0: number = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const majority = (a & b) ^ (a & c) ^ (b & c);
      const temp2: number = (sum0 + majority) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + temp1) | 0;
      d = c;
      c = b;
      b = a;
      a = (temp1 + temp2) | 0;
    }
    const results = [a, b, c, d, e, f, g, h];
    for (let index = 0; index < 8; index += 1) {
      state[index] = ((state[index] ?? 0) + (results[index] ?? 0)) | 0;
    }
  };

  const update = (chunk: Uint8Array) => {
    if (finished) throw new Error('SHA-256 update after digest');
    totalBytes += chunk.byteLength;
    let position = 0;
    while (position < chunk.byteLength) {
      const take = Math.min(64 - blockLength, chunk.byteLength - position);
      block.set(chunk.subarray(position, position + take), blockLength);
      blockLength += take;
      position += take;
      if (blockLength === 64) {
        compress();
        blockLength = 0;
      }
    }
  };

  return {
    update,
    digestHex() {
      if (finished) throw new Error('SHA-256 digest read twice');
      const bitLength = totalBytes * 8;
      const padding = new Uint8Array((blockLength < 56 ? 56 : 120) - blockLength + 8);
      padding[0] = 0x80;
      const view = new DataView(padding.buffer);
      view.setUint32(padding.length - 8, Math.floor(bitLength / 2 ** 32));
      view.setUint32(padding.length - 4, bitLength >>> 0);
      update(padding);
      finished = true;
      return Array.from(state, (word) => (word >>> 0).toString(16).padStart(8, '0')).join('');
    },
  };
}
