import { describe, expect, it } from 'vitest';
import { validateBlobKey } from '../../src/domain/blob-keys';

function problemOf(key: string, rules?: Parameters<typeof validateBlobKey>[1]): string {
  const result = validateBlobKey(key, rules);
  if (result.isOk()) throw new Error(`expected ${JSON.stringify(key)} to be refused`);
  expect(result.error.code).toBe('VALIDATION');
  expect(result.error.path).toBe('key');
  return result.error.message;
}

describe('validateBlobKey', () => {
  it.each([
    'video.mp4',
    'videos/client_42/0b8f.mp4',
    'deep/er/than/you/think.mov',
    'ünïcödé/日本語 ファイル.mp4',
    `quotes/it's "fine".webm`,
    '.hidden/file',
    'a/..b/c..',
    'x'.repeat(255),
  ])('accepts %j unchanged', (key) => {
    expect(validateBlobKey(key)._unsafeUnwrap()).toBe(key);
  });

  it.each([
    ['', /must not be empty/],
    ['../x', /"\.\." segments/],
    ['a/../../x', /"\.\." segments/],
    ['a/..', /"\.\." segments/],
    ['.', /"\." segments/],
    ['a/./b', /"\." segments/],
    ['/abs', /no leading "\/"/],
    ['a\\b', /backslash/],
    ['a\u0000b', /control characters/],
    ['line\nbreak', /control characters/],
    ['C:/windows', /drive letter/],
    ['c:file', /drive letter/],
    ['a//b', /empty segments/],
    ['a/', /empty segments/],
    [`${'x'.repeat(256)}/y`, /at most 255 bytes/],
    // 128 two-byte characters: 128 characters but 256 bytes.
    ['é'.repeat(128), /at most 255 bytes/],
    [Array.from({ length: 5 }, () => 'x'.repeat(250)).join('/'), /at most 1024 bytes/],
  ])('refuses %j', (key, problem) => {
    expect(problemOf(key)).toMatch(problem);
  });

  it('names the key in the message and the adapter in its field, not as a message tag', () => {
    expect(problemOf('../x', { adapter: 'fs' })).toBe(
      'Invalid blob key "../x": must not contain ".." segments',
    );
    const error = validateBlobKey('../x', { adapter: 'fs' })._unsafeUnwrapErr();
    expect(error).toMatchObject({ code: 'VALIDATION', path: 'key', adapter: 'fs' });
    expect(validateBlobKey('../x')._unsafeUnwrapErr().adapter).toBeUndefined();
  });

  it('refuses reserved first segments in any letter case, and only as the first segment', () => {
    const rules = { reservedFirstSegments: ['.vbuckets'] };
    expect(problemOf('.vbuckets/tmp/x', rules)).toMatch(/keeps for itself/);
    expect(problemOf('.VBuckets/meta', rules)).toMatch(/keeps for itself/);
    expect(problemOf('.vbuckets', rules)).toMatch(/keeps for itself/);
    expect(validateBlobKey('a/.vbuckets/x', rules).isOk()).toBe(true);
    expect(validateBlobKey('.vbuckets-not/x', rules).isOk()).toBe(true);
  });

  it('refuses a value that is not a string instead of throwing', () => {
    expect(problemOf(42 as unknown as string)).toMatch(/must be a string/);
  });
});
