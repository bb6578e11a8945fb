import { describe, expect, it } from 'vitest';
import { timerSleep } from '../../../src/domain/rate-limit/sleep';

describe('timerSleep', () => {
  it('waits about the given time', async () => {
    const start = Date.now();
    await timerSleep(20);
    expect(Date.now() - start).toBeGreaterThanOrEqual(15);
  });

  it('resolves early when the signal aborts', async () => {
    const controller = new AbortController();
    const start = Date.now();
    const waiting = timerSleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 5);
    await waiting;
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  it('resolves at once for an aborted signal', async () => {
    await expect(timerSleep(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});
