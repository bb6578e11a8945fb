import type { IdGenerator } from '../ports/id-generator';

/** An IdGenerator whose ids a test can predict. */
export interface SequentialIdGenerator extends IdGenerator {
  /** How many ids it has made. */
  readonly count: number;
}

/** Ids `prefix-1`, `prefix-2`, … in call order (default prefix `id`). */
export function createSequentialIdGenerator(prefix = 'id'): SequentialIdGenerator {
  let count = 0;
  return {
    specificationVersion: 'v1',
    next() {
      count += 1;
      return `${prefix}-${count}`;
    },
    get count() {
      return count;
    },
  };
}
