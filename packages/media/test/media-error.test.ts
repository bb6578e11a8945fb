import { describe, expect, it } from 'vitest';
import { binaryError, cleanStderr, exitError } from '../src/media-error';

describe('media errors', () => {
  it('removes the input path and ffmpeg context addresses from stderr', () => {
    const stderr =
      '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55bb83a9d1c0] moov atom not found\nfile:/home/someone/clip.mp4: Invalid data found when processing input\n';
    expect(cleanStderr(stderr, ['file:/home/someone/clip.mp4', '/home/someone/clip.mp4'])).toBe(
      '[mov,mp4,m4a,3gp,3g2,mj2] moov atom not found; input: Invalid data found when processing input',
    );
  });

  it('bounds a long stderr', () => {
    expect(cleanStderr('x'.repeat(2000), []).length).toBe(500);
  });

  it('says which signal ended a process killed from outside', () => {
    const error = exitError('ffmpeg', { code: null, signal: 'SIGSEGV' }, '');
    expect(error.code).toBe('MEDIA');
    expect(error.message).toContain('killed by SIGSEGV');
  });

  it('keeps the errno of a start failure in details and the cause', () => {
    const cause = Object.assign(new Error('spawn x ENOENT'), { code: 'ENOENT' });
    const error = binaryError('ffprobe', 'x', cause);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ tool: 'ffprobe', binary: 'x', errno: 'ENOENT' });
  });
});
