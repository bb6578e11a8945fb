import { describe, expect, it } from 'vitest';
import { untilAborted } from '../../src/domain/until-aborted';

const never = () => new Promise<never>(() => {});

describe('untilAborted', () => {
  it('settles with the promise when nothing aborts', async () => {
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
    const failure = new Error('read failed');
    await expect(untilAborted(Promise.reject(failure), undefined)).rejects.toBe(failure);
  });

  it("rejects with the signal's reason as soon as it aborts, or at once when it already has", async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const waiting = untilAborted(never(), controller.signal);
    setTimeout(() => controller.abort(reason), 5);
    await expect(waiting).rejects.toBe(reason);
    await expect(untilAborted(never(), controller.signal)).rejects.toBe(reason);
  });

  it('rejects with the error the caller makes of the abort', async () => {
    const made = new Error('cancelled');
    await expect(untilAborted(never(), AbortSignal.abort(), () => made)).rejects.toBe(made);
  });
});
