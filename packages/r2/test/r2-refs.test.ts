import { expectErrorCode } from '@vbuckets/testkit';
import { describe, expect, it } from 'vitest';
import { isR2Ref, parseR2Ref, toR2Ref } from '../src/index';

const KEYS = [
  'videos/client_42/0b7c.mp4',
  'benchmarks/9f1e.mov',
  'spaces in folder/a name with spaces.mov',
  'ünïcödé/日本語 ファイル.mp4',
  'deep/a/b/c/d/e.webm',
  'symbols/🎬 clip #1 (final) & more%20+plus?.mp4',
  'r2:/looks-like/a ref.mp4',
];

describe('toR2Ref / parseR2Ref', () => {
  it.each(KEYS)('round-trips the key %j', (key) => {
    const ref = toR2Ref('client-assets', key)._unsafeUnwrap();
    expect(ref).toBe(`r2://client-assets/${key}`);
    expect(isR2Ref(ref)).toBe(true);
    expect(parseR2Ref(ref)._unsafeUnwrap()).toEqual({ bucket: 'client-assets', key });
  });

  it("parses the seed's example", () => {
    expect(parseR2Ref('r2://client-assets/videos/client_uuid/file.mp4')._unsafeUnwrap()).toEqual({
      bucket: 'client-assets',
      key: 'videos/client_uuid/file.mp4',
    });
  });

  it.each([
    'videos/a.mp4',
    's3://client-assets/a.mp4',
    'r2://',
    'r2://client-assets',
    'r2://client-assets/',
    'r2://Client_Assets/a.mp4',
    'r2://ab/a.mp4',
    'r2://client-assets/../a.mp4',
    'r2://client-assets//a.mp4',
    'r2://client-assets/a\\b.mp4',
  ])('refuses %j with VALIDATION', async (ref) => {
    await expectErrorCode(Promise.resolve(parseR2Ref(ref)), 'VALIDATION');
  });

  it('refuses to build a ref from a bad bucket or key', async () => {
    await expectErrorCode(Promise.resolve(toR2Ref('Bad_Bucket', 'a.mp4')), 'VALIDATION');
    await expectErrorCode(Promise.resolve(toR2Ref('client-assets', '/abs.mp4')), 'VALIDATION');
  });
});
