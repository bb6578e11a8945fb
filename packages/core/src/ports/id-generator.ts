/** Makes new record ids, injected so tests get predictable ones. */
export interface IdGenerator {
  readonly specificationVersion: 'v1';
  /** A new unique id (a UUID by default). */
  next(): string;
}

/** Random UUID v4 ids from the platform's Web Crypto. */
export const randomIdGenerator: IdGenerator = {
  specificationVersion: 'v1',
  next: () => globalThis.crypto.randomUUID(),
};
