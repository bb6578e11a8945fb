import { describe, expect, it } from 'vitest';
import { transientNetworkCode } from '../../src/domain/network-errors';

describe('transientNetworkCode', () => {
  it('finds the socket code fetch wraps in its cause', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(transientNetworkCode(error)).toBe('ECONNRESET');
  });

  it('looks into AggregateError members and undici names', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1'), { code: 'ECONNREFUSED' });
    const aggregate = new AggregateError([new Error('other'), refused], 'connect failed');
    expect(transientNetworkCode(new Error('wrapped', { cause: aggregate }))).toBe('ECONNREFUSED');
    const socket = Object.assign(new Error('other side closed'), { name: 'UND_ERR_SOCKET' });
    expect(transientNetworkCode(socket)).toBe('UND_ERR_SOCKET');
  });

  it('says undefined for other errors, unless the adapter adds the code', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    expect(transientNetworkCode(dns)).toBeUndefined();
    expect(transientNetworkCode(dns, new Set(['ENOTFOUND']))).toBe('ENOTFOUND');
    expect(transientNetworkCode(new Error('plain'))).toBeUndefined();
    expect(transientNetworkCode('a string')).toBeUndefined();
  });

  it('stops at a few levels of causes, even for a cycle', () => {
    const looped: { code?: string; cause?: unknown } = {};
    looped.cause = looped;
    expect(transientNetworkCode(looped)).toBeUndefined();
    let deep: unknown = { code: 'ECONNRESET' };
    for (let level = 0; level < 6; level += 1) deep = { cause: deep };
    expect(transientNetworkCode(deep)).toBeUndefined();
  });
});
