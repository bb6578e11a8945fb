import { describe, expect, it } from 'vitest';
import { abortableSleep, timerSleep } from './sleep';

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

describe('abortableSleep', () => {
  it('waits the given time when nothing aborts', async () => {
    const start = Date.now();
    await abortableSleep(20, new AbortController().signal);
    expect(Date.now() - start).toBeGreaterThanOrEqual(15);
  });

  it("rejects with the signal's reason as soon as it aborts, or at once when it already has", async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const waiting = abortableSleep(60_000, controller.signal);
    setTimeout(() => controller.abort(reason), 5);
    await expect(waiting).rejects.toBe(reason);
    await expect(abortableSleep(60_000, controller.signal)).rejects.toBe(reason);
  });
});
