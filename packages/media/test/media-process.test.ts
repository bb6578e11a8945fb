import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSettingsError } from '@vbuckets/core';
import { expectErrorCode, expectOk } from '@vbuckets/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaProbe } from '../src/index';
import { createMediaFixtures, isAlive, type MediaFixtures, writeScript } from './media-fixtures';

let fixtures: MediaFixtures;
let counter = 0;
beforeAll(() => {
  fixtures = createMediaFixtures();
});
afterAll(() => fixtures.remove());

/** A file name in the fixtures folder no other test uses. */
function fresh(name: string): string {
  counter += 1;
  return join(fixtures.folder, `${counter}-${name}`);
}

/**
 * A fake tool that records its pid (written then renamed, so a reader never sees an empty
 * file) and then hangs; `exec` keeps the pid, so the sleep is the child itself.
 */
function slowTool(): { binary: string; pidFile: string } {
  const pidFile = fresh('pid');
  const binary = writeScript(
    fixtures.folder,
    `${counter}-slow.sh`,
    `echo $$ > '${pidFile}.tmp'\nmv '${pidFile}.tmp' '${pidFile}'\nexec sleep 10`,
  );
  return { binary, pidFile };
}

async function waitForFile(path: string): Promise<void> {
  for (let attempt = 0; attempt < 1_000 && !existsSync(path); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(existsSync(path)).toBe(true);
}

function recordedPid(pidFile: string): number {
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  expect(pid).toBeGreaterThan(0);
  return pid;
}

describe('binary resolution', () => {
  it('reports a missing ffprobe as MEDIA "not found" with what to do', async () => {
    const media = createMediaProbe({ ffprobePath: '/nonexistent/ffprobe' });
    const error = await expectErrorCode(media.probe(fixtures.clip), 'MEDIA');
    expect(error.message).toContain('ffprobe not found');
    expect(error.message).toContain('apt-get install ffmpeg');
    expect(error.message).toContain('FFPROBE_PATH');
    expect(error.message).toContain('ffprobePath');
    expect(error.retryable).toBe(false);
  });

  it('reports a missing ffmpeg as MEDIA "not found" naming FFMPEG_PATH', async () => {
    const media = createMediaProbe({ ffmpegPath: '/nonexistent/ffmpeg' });
    const error = await expectErrorCode(media.extractFrames(fixtures.clip, [0]), 'MEDIA');
    expect(error.message).toContain('ffmpeg not found');
    expect(error.message).toContain('FFMPEG_PATH');
    expect(error.message).toContain('ffmpegPath');
  });

  it('reports a binary that cannot be run (no execute permission)', async () => {
    const path = fresh('not-executable');
    writeFileSync(path, 'not a program');
    const error = await expectErrorCode(
      createMediaProbe({ ffprobePath: path }).probe(fixtures.clip),
      'MEDIA',
    );
    expect(error.message).toMatch(/ffprobe could not be started .*EACCES/);
  });

  it('uses FFPROBE_PATH when no option is given', async () => {
    const log = fresh('called.log');
    const wrapper = writeScript(
      fixtures.folder,
      `${counter}-ffprobe-wrapper.sh`,
      `echo called >> '${log}'\nexec ffprobe "$@"`,
    );
    const media = createMediaProbe({ env: { ...process.env, FFPROBE_PATH: wrapper } });
    const info = await expectOk(media.probe(fixtures.clip));
    expect(info.width).toBe(160);
    expect(readFileSync(log, 'utf8')).toBe('called\n');
  });

  it('uses FFMPEG_PATH when no option is given', async () => {
    const log = fresh('called.log');
    const wrapper = writeScript(
      fixtures.folder,
      `${counter}-ffmpeg-wrapper.sh`,
      `echo called >> '${log}'\nexec ffmpeg "$@"`,
    );
    const media = createMediaProbe({ env: { ...process.env, FFMPEG_PATH: wrapper } });
    expect(await expectOk(media.extractFrames(fixtures.clip, [0, 3]))).toHaveLength(2);
    expect(readFileSync(log, 'utf8')).toBe('called\ncalled\n');
  });

  it('prefers the option over the environment variable', async () => {
    const log = fresh('called.log');
    const wrapper = writeScript(
      fixtures.folder,
      `${counter}-ffprobe-wrapper.sh`,
      `echo called >> '${log}'\nexec ffprobe "$@"`,
    );
    const media = createMediaProbe({
      ffprobePath: '/nonexistent/ffprobe',
      env: { ...process.env, FFPROBE_PATH: wrapper },
    });
    await expectErrorCode(media.probe(fixtures.clip), 'MEDIA');
    expect(existsSync(log)).toBe(false);
  });

  it('falls back to ffprobe on PATH', async () => {
    const bin = fresh('bin');
    mkdirSync(bin);
    const log = fresh('called.log');
    const real = (process.env.PATH ?? '')
      .split(':')
      .find((folder) => existsSync(join(folder, 'ffprobe')));
    writeScript(bin, 'ffprobe', `echo called >> '${log}'\nexec '${real}/ffprobe' "$@"`);
    const media = createMediaProbe({ env: { PATH: bin } });
    expect((await expectOk(media.probe(fixtures.clip))).height).toBe(120);
    expect(readFileSync(log, 'utf8')).toBe('called\n');
  });

  it('throws nothing for unknown or invalid settings: every call answers VALIDATION', async () => {
    const zero = createMediaProbe({ timeoutMs: 0 });
    const probed = await expectErrorCode(zero.probe(fixtures.clip), 'VALIDATION');
    expect(probed).toMatchObject({ path: 'timeoutMs', adapter: 'media', operation: 'media.probe' });
    expect(probed.message).toMatch(/^Invalid media probe settings\.timeoutMs: /);
    expect(isSettingsError(probed)).toBe(true);
    const empty = createMediaProbe({ ffmpegPath: '' });
    const extracted = await expectErrorCode(empty.extractFrames(fixtures.clip, [0]), 'VALIDATION');
    expect(extracted).toMatchObject({ path: 'ffmpegPath', operation: 'media.extractFrames' });
    const unknown = createMediaProbe({ ffprobe: 'x' } as never);
    await expectErrorCode(unknown.probe(fixtures.clip), 'VALIDATION');
  });
});

describe('time limit and cancellation', () => {
  it('kills a slow ffprobe after timeoutMs: MEDIA, retryable, child gone', async () => {
    const { binary, pidFile } = slowTool();
    const media = createMediaProbe({ ffprobePath: binary, timeoutMs: 300 });
    const started = Date.now();
    const error = await expectErrorCode(media.probe(fixtures.clip), 'MEDIA');
    // Well before the slow tool's own 10 s end, with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(error.message).toMatch(/^ffprobe timed out after 300 ms/);
    expect(error).toMatchObject({ adapter: 'media', operation: 'media.probe' });
    expect(error.retryable).toBe(true);
    expect(isAlive(recordedPid(pidFile))).toBe(false);
  });

  it('applies the time limit to a whole extractFrames call', async () => {
    const { binary, pidFile } = slowTool();
    const media = createMediaProbe({ ffmpegPath: binary, timeoutMs: 300 });
    const error = await expectErrorCode(media.extractFrames(fixtures.clip, [0, 3, 10]), 'MEDIA');
    expect(error.message).toMatch(/^ffmpeg timed out after 300 ms/);
    expect(error).toMatchObject({ adapter: 'media', operation: 'media.extractFrames' });
    expect(isAlive(recordedPid(pidFile))).toBe(false);
  });

  it('kills ffprobe when aborted mid-call: CANCELLED, child gone', async () => {
    const { binary, pidFile } = slowTool();
    const media = createMediaProbe({ ffprobePath: binary });
    const controller = new AbortController();
    const pending = media.probe(fixtures.clip, { signal: controller.signal });
    await waitForFile(pidFile);
    const pid = recordedPid(pidFile);
    expect(isAlive(pid)).toBe(true);
    controller.abort();
    const error = await expectErrorCode(pending, 'CANCELLED');
    expect(error.message).toContain('ffprobe was cancelled');
    expect(isAlive(pid)).toBe(false);
  });

  it('kills ffmpeg when aborted mid-call: CANCELLED, child gone', async () => {
    const { binary, pidFile } = slowTool();
    const media = createMediaProbe({ ffmpegPath: binary });
    const controller = new AbortController();
    const pending = media.extractFrames(fixtures.clip, [0, 3], { signal: controller.signal });
    await waitForFile(pidFile);
    const pid = recordedPid(pidFile);
    controller.abort(new Error('user left'));
    await expectErrorCode(pending, 'CANCELLED');
    expect(isAlive(pid)).toBe(false);
  });

  it('starts nothing for an already aborted signal', async () => {
    const { binary, pidFile } = slowTool();
    const media = createMediaProbe({ ffprobePath: binary });
    await expectErrorCode(media.probe(fixtures.clip, { signal: AbortSignal.abort() }), 'CANCELLED');
    expect(existsSync(pidFile)).toBe(false);
  });
});

describe('unexpected output', () => {
  it('refuses a frame that is not a JPEG', async () => {
    const binary = writeScript(fixtures.folder, `${counter}-fake-ffmpeg.sh`, 'printf "hello"');
    const error = await expectErrorCode(
      createMediaProbe({ ffmpegPath: binary }).extractFrames(fixtures.clip, [0]),
      'MEDIA',
    );
    expect(error.message).toContain('not a JPEG');
  });

  it('refuses ffprobe output that is not JSON', async () => {
    const binary = writeScript(fixtures.folder, `${counter}-fake-ffprobe.sh`, 'echo "{ nope"');
    const error = await expectErrorCode(
      createMediaProbe({ ffprobePath: binary }).probe(fixtures.clip),
      'MEDIA',
    );
    expect(error.message).toContain('not JSON');
  });

  it('stops a tool whose output runs away (over 32 MiB) and kills it', async () => {
    const pidFile = fresh('pid');
    const binary = writeScript(
      fixtures.folder,
      `${counter}-flood.sh`,
      `echo $$ > '${pidFile}'\nexec cat /dev/zero`,
    );
    const error = await expectErrorCode(
      createMediaProbe({ ffprobePath: binary }).probe(fixtures.clip),
      'MEDIA',
    );
    expect(error.message).toContain('wrote more than 33554432 bytes');
    expect(isAlive(recordedPid(pidFile))).toBe(false);
  });
});
