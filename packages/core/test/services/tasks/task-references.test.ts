import { describe, expect, it } from 'vitest';
import { acme, setup, summerVibes } from './tasks-setup';

describe('task file references', () => {
  // A music file of "../../etc/passwd" was stored as given, for whatever resolves it later.
  it('refuses ".." segments and control characters in musicFile and videoUrl', async () => {
    const { vb } = setup();
    for (const [field, value] of [
      ['musicFile', '../../etc/passwd'],
      ['musicFile', 'songs\\\\..\\\\..\\\\secret.mp3'],
      ['videoUrl', 'https://cdn.example/a/../../b.mp4'],
      ['musicFile', 'song\u0000.mp3'],
    ] as const) {
      const error = (
        await vb.tasks.create(acme, { ...summerVibes, [field]: value })
      )._unsafeUnwrapErr();
      expect(error).toMatchObject({ code: 'VALIDATION', path: field });
    }
    expect((await vb.tasks.list(acme))._unsafeUnwrap()).toEqual([]);
    const fine = { ...summerVibes, musicFile: 'music/2025/electric..dreams.mp3' };
    expect((await vb.tasks.create(acme, fine))._unsafeUnwrap().musicFile).toBe(fine.musicFile);
  });
});
