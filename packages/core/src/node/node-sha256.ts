import { createHash } from 'node:crypto';
import type { Sha256 } from '../domain/sha256';

/**
 * An incremental SHA-256 on node:crypto (OpenSSL, with the CPU's SHA instructions), for
 * `createVBuckets({ sha256: nodeSha256 })`: `videos.verify` then re-hashes at native speed.
 */
export function nodeSha256(): Sha256 {
  const hash = createHash('sha256');
  return {
    update: (chunk) => {
      hash.update(chunk);
    },
    digestHex: () => hash.digest('hex'),
  };
}
