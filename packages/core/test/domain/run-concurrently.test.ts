import { describe, expect, it } from 'vitest';
import { runConcurrently } from '../../src/domain/run-concurrently';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('runConcurrently', () => {
  it('starts the items in order, never more than `concurrency` at once', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await runConcurrently(
      [10, 11, 12, 13, 14],
      async (item, index) => {
        started.push(item);
        expect(index).toBe(item - 10);
        running += 1;
        most = Math.max(most, running);
        await tick();
        running -= 1;
      },
      { concurrency: 2 },
    );
    expect(started).toEqual([10, 11, 12, 13, 14]);
    expect(most).toBe(2);
  });

  it('starts no item once the signal aborts, and settles when the started ones have', async () => {
    const controller = new AbortController();
    const finished: number[] = [];
    await runConcurrently(
      [0, 1, 2, 3],
      async (item) => {
        if (item === 1) controller.abort();
        await tick();
        finished.push(item);
      },
      { concurrency: 2, signal: controller.signal },
    );
    expect(finished.sort()).toEqual([0, 1]);
  });

  it('rejects with the first failure', async () => {
    const failure = new Error('boom');
    await expect(
      runConcurrently(
        [0, 1],
        async (item) => {
          if (item === 1) throw failure;
        },
        { concurrency: 1 },
      ),
    ).rejects.toBe(failure);
  });
});
