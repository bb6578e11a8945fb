/** The source of the current time, injected so tests control it. */
export interface Clock {
  readonly specificationVersion: 'v1';
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { specificationVersion: 'v1', now: () => Date.now() };
