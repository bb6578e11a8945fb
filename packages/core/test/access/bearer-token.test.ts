import { describe, expect, it } from 'vitest';
import { bearerToken } from '../../src/access/bearer-token';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER   abc.def-_~+/ghi==', 'abc.def-_~+/ghi=='],
    ['  Bearer abc.def.ghi  ', 'abc.def.ghi'],
  ])('reads the token of %j', (header, token) => {
    expect(bearerToken(header)._unsafeUnwrap()).toBe(token);
  });

  it.each([
    [undefined, 'missing-header', 'no Authorization header'],
    [null, 'missing-header', 'no Authorization header'],
    ['', 'missing-header', 'no Authorization header'],
    ['   ', 'missing-header', 'no Authorization header'],
    ['Basic dXNlcjpwYXNz', 'not-bearer', '"Basic" scheme'],
    ['Bearerabc.def.ghi', 'not-bearer', 'not Bearer'],
    ['abc.def.ghi', 'not-bearer', 'not Bearer'],
    ['Bearer', 'empty', 'empty'],
    ['Bearer    ', 'empty', 'empty'],
    ['Bearer abc def', 'malformed', 'characters'],
    ['Bearer abc"def', 'malformed', 'characters'],
  ])('refuses %j with UNAUTHENTICATED (%s)', (header, reason, words) => {
    const error = bearerToken(header)._unsafeUnwrapErr();
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.details?.reason).toBe(reason);
    expect(error.message).toContain(words);
    expect(error.message).toMatch(/^Token refused \(/);
    expect(error).toMatchObject({ adapter: 'jwt', operation: 'bearerToken' });
  });
});
