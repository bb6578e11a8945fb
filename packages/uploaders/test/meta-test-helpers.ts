import { createHash } from 'node:crypto';

/** Deterministic bytes that differ at every offset (a shifted chunk shows up in the hash). */
export function testBytes(size: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index += 1)
    bytes[index] = (index * 31 + seed * 17 + (index >> 8)) & 0xff;
  return bytes;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
