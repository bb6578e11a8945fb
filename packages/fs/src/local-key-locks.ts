/**
 * Runs tasks one at a time per key. Committing a put renames two files (bytes, then
 * metadata) and reading takes both; doing either under the key's lock means a reader in this
 * process never pairs one version's bytes with another's metadata.
 */
export interface KeyLocks {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export function createKeyLocks(): KeyLocks {
  const tails = new Map<string, Promise<void>>();
  return {
    async run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      let release: () => void = () => undefined;
      const mine = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = previous.then(() => mine);
      tails.set(key, tail);
      await previous;
      try {
        return await task();
      } finally {
        release();
        // The last holder removes the entry, so the map only holds keys in use.
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
