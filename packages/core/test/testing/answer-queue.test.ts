import { describe, expect, it } from 'vitest';
import { vbucketsError } from '../../src/errors';
import { createAnswerQueue } from '../../src/testing/answer-queue';

describe('createAnswerQueue', () => {
  const label = 'fake-thing.do';

  it('answers in first-in, first-out order, errors included', async () => {
    const queue = createAnswerQueue<string, number>({ label, errorCode: 'PROVIDER' });
    const failure = vbucketsError('RATE_LIMITED', 'slow down', { retryAfterMs: 2_000 });
    queue.push(1, failure);
    queue.push(3);

    expect((await queue.answer('a'))._unsafeUnwrap()).toBe(1);
    expect((await queue.answer('b'))._unsafeUnwrapErr()).toBe(failure);
    expect((await queue.answer('c'))._unsafeUnwrap()).toBe(3);
    expect(queue.remaining).toBe(0);
  });

  it('fails with a clear error naming the method when nothing is queued', async () => {
    const queue = createAnswerQueue<string, number>({ label, errorCode: 'MEDIA' });
    queue.push(1);
    expect((await queue.answer('first'))._unsafeUnwrap()).toBe(1);

    const error = (await queue.answer('second'))._unsafeUnwrapErr();
    expect(error.code).toBe('MEDIA');
    expect(error.message).toBe(
      'Call 2 of fake-thing.do found no scripted answer: queue one or set a fallback',
    );
    expect(error).toMatchObject({ adapter: 'fake-thing', operation: 'do' });
    expect(error.details).toEqual({ reason: 'no-scripted-answer', call: 2 });
  });

  it('uses the fallback once the queue is empty, as often as needed', async () => {
    const queue = createAnswerQueue<string, number>({
      label,
      errorCode: 'PROVIDER',
      fallback: { answer: 7 },
    });
    queue.push(1);

    const answers = [await queue.answer('a'), await queue.answer('b'), await queue.answer('c')];
    expect(answers.map((answer) => answer._unsafeUnwrap())).toEqual([1, 7, 7]);
  });

  it('calls a function answer with the call, awaiting it', async () => {
    const queue = createAnswerQueue<string, number>({
      label,
      errorCode: 'PROVIDER',
      fallback: { answer: async (call) => call.length },
    });
    queue.push((call) => (call === 'bad' ? vbucketsError('PROVIDER', 'bad input') : 0));

    expect((await queue.answer('bad'))._unsafeUnwrapErr().message).toBe('bad input');
    expect((await queue.answer('four'))._unsafeUnwrap()).toBe(4);
  });

  it('turns a throwing function answer into an error of its code', async () => {
    const queue = createAnswerQueue<string, number>({ label, errorCode: 'PROVIDER' });
    queue.push(() => {
      throw new Error('script bug');
    });

    const error = (await queue.answer('a'))._unsafeUnwrapErr();
    expect(error.code).toBe('PROVIDER');
    expect(error.message).toBe('The scripted answer of fake-thing.do threw: script bug');
    expect(error).toMatchObject({ adapter: 'fake-thing', operation: 'do' });
  });

  it('treats a queued undefined as an answer, for methods returning void', async () => {
    const queue = createAnswerQueue<string, void>({ label, errorCode: 'STORAGE' });
    queue.push(undefined);

    expect((await queue.answer('a')).isOk()).toBe(true);
    expect((await queue.answer('b'))._unsafeUnwrapErr().code).toBe('STORAGE');
  });

  it('answers CANCELLED for an aborted signal without using up an answer', async () => {
    const queue = createAnswerQueue<string, number>({ label, errorCode: 'PROVIDER' });
    queue.push(1);
    const controller = new AbortController();
    controller.abort();

    const cancelled = (await queue.answer('a', controller.signal))._unsafeUnwrapErr();
    expect(cancelled).toMatchObject({ code: 'CANCELLED', adapter: 'fake-thing', operation: 'do' });
    expect(cancelled.message).toBe('fake-thing.do was called with an already aborted signal');
    expect(queue.remaining).toBe(1);
    expect((await queue.answer('a', new AbortController().signal))._unsafeUnwrap()).toBe(1);
  });
});
