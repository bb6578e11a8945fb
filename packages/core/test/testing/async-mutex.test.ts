import { describe, expect, it } from 'vitest';
import { createAsyncMutex } from '../../src/testing/async-mutex';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('createAsyncMutex', () => {
  it('runs tasks one at a time, in the order they were queued', async () => {
    const mutex = createAsyncMutex();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
      return name;
    };

    const results = await Promise.all([
      mutex.run(task('a')),
      mutex.run(task('b')),
      mutex.run(task('c')),
    ]);

    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('keeps going after a task rejects, and passes the rejection to its caller', async () => {
    const mutex = createAsyncMutex();
    const failed = mutex.run(async () => {
      throw new Error('first fails');
    });
    const next = mutex.run(async () => 'second runs');

    await expect(failed).rejects.toThrow('first fails');
    await expect(next).resolves.toBe('second runs');
  });
});
