import { describe, expect, it } from 'vitest';
import { checkEnqueue } from '../../../src/domain/jobs/job-rules';

/** The JSON text of `{"s":"…"}` is 8 bytes plus the string's UTF-8 bytes. */
const payloadOf = (text: string) => ({ s: text });

describe('checkEnqueue payload size', () => {
  it('counts UTF-8 bytes, not characters, at the limit', () => {
    const max = 100;
    expect(checkEnqueue('k', payloadOf('a'.repeat(92)), undefined, max).isOk()).toBe(true);
    expect(checkEnqueue('k', payloadOf('a'.repeat(93)), undefined, max).isErr()).toBe(true);
    // 46 two-byte characters: 54 characters of JSON but 100 bytes, still allowed.
    expect(checkEnqueue('k', payloadOf('é'.repeat(46)), undefined, max).isOk()).toBe(true);
    const over = checkEnqueue('k', payloadOf('é'.repeat(47)), undefined, max);
    expect(over.isErr() && over.error.message).toBe(
      'The job payload is 102 bytes; at most 100 are allowed (store large data and pass its id)',
    );
    // Three-byte characters: 31 of them are 93 bytes of text, 101 bytes of JSON.
    expect(checkEnqueue('k', payloadOf('€'.repeat(30)), undefined, max).isOk()).toBe(true);
    expect(checkEnqueue('k', payloadOf('€'.repeat(31)), undefined, max).isErr()).toBe(true);
  });

  it('fills in the defaults when no options are given, and checks given ones', () => {
    const checked = checkEnqueue('k', { n: 1 }, undefined);
    expect(checked.isOk() && checked.value).toMatchObject({
      jobId: null,
      delayMs: 0,
      attempts: 3,
      payload: { n: 1 },
    });
    const refused = checkEnqueue('k', { n: 1 }, { attempts: 0 });
    expect(refused.isErr() && refused.error.code).toBe('VALIDATION');
  });
});
