import { join } from 'node:path';
import type { Categorization } from '@vbuckets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuiltCli, spawnCli } from './built-cli';
import { run, tempDir } from './helpers';
import { eightClips, expectFiledOnce, sampleBucketsFile } from './samples';

/** `[3/8] name.mp4: done → Sleep (98%)` → `name.mp4`, for lines of the given stage. */
function filesAt(lines: readonly string[], stage: string): string[] {
  return lines
    .map((line) => /^\[\d+\/\d+\] (.+?): (\w+)/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && match[2] === stage)
    .map((match) => match[1] as string);
}

async function sessionRows(dataDir: string, sessionId: string): Promise<Categorization[]> {
  const result = await run(['--data-dir', dataDir, 'results', sessionId, '--json']);
  if (result.code !== 0) throw new Error(result.stderr);
  return (JSON.parse(result.stdout) as { rows: Categorization[] }).rows;
}

describe('a batch stopped mid-way, then resumed (the built CLI in a child process)', () => {
  beforeAll(() => {
    ensureBuiltCli();
  }, 300_000);

  it('after SIGKILL, resume categorizes every file exactly once and leaves finished rows alone', async () => {
    const root = await tempDir();
    const dataDir = join(root, 'data');
    const clips = join(root, 'clips');
    const expected = await eightClips(clips);
    const imported = await run(['--data-dir', dataDir, 'buckets', 'import', sampleBucketsFile]);
    expect(imported.code, imported.stderr).toBe(0);
    // The keyword provider is instant: the test hook slows each analysis so the kill lands mid-batch.
    const env = { VBUCKETS_CLI_TEST_DELAY_MS: '300' };

    const doneBeforeKill: string[] = [];
    const crashed = await spawnCli(
      ['--data-dir', dataDir, 'categorize', clips, '--provider', 'keyword', '--concurrency', '1'],
      {
        cwd: root,
        env,
        onLine: (line, kill) => {
          const done = filesAt([line], 'done');
          doneBeforeKill.push(...done);
          if (doneBeforeKill.length >= 3) kill('SIGKILL');
        },
      },
    );
    expect(crashed.signal).toBe('SIGKILL');
    expect(crashed.stdout).toBe('');
    const sessionId = /^Session (\S+): categorizing 8 videos with keyword$/.exec(
      crashed.stderrLines.find((line) => line.startsWith('Session ')) ?? '',
    )?.[1];
    expect(sessionId).toBeDefined();
    expect(filesAt(crashed.stderrLines, 'stored')).toHaveLength(8);

    const afterCrash = await sessionRows(dataDir, sessionId ?? '');
    expect(afterCrash).toHaveLength(8);
    const finishedBefore = afterCrash.filter((row) => row.status !== 'pending');
    const pendingBefore = afterCrash.filter((row) => row.status === 'pending');
    // Exactly the rows the child reported done were saved; the rest wait.
    expect(finishedBefore.map((row) => row.filename).sort()).toEqual([...doneBeforeKill].sort());
    expect(pendingBefore.length).toBeGreaterThan(0);

    const resumed = await spawnCli(
      ['--data-dir', dataDir, 'resume', sessionId ?? '', '--provider', 'keyword'],
      {
        cwd: root,
        env: { VBUCKETS_CLI_TEST_DELAY_MS: '10' },
      },
    );
    expect(resumed.code, resumed.stderrLines.join('\n')).toBe(0);
    expect(resumed.stderrLines).toContain(
      `Session ${sessionId}: resuming ${pendingBefore.length} of 8 videos with keyword`,
    );
    // Only the unfinished rows reached the provider again.
    const pendingNames = pendingBefore.map((row) => row.filename).sort();
    expect(filesAt(resumed.stderrLines, 'analyzing').sort()).toEqual(pendingNames);
    expect(filesAt(resumed.stderrLines, 'done').sort()).toEqual(pendingNames);
    expect(resumed.stdout).toContain(`Session: ${sessionId}`);

    const final = await sessionRows(dataDir, sessionId ?? '');
    expect(final.map((row) => row.id).sort()).toEqual(afterCrash.map((row) => row.id).sort());
    expectFiledOnce(final, expected, finishedBefore);
    const sessions = await run(['--data-dir', dataDir, 'sessions', '--json']);
    expect(JSON.parse(sessions.stdout)).toHaveLength(1);
  }, 60_000);

  it('on Ctrl-C (SIGINT), stops cleanly with exit 130 and prints the resume command that works', async () => {
    const root = await tempDir();
    const dataDir = join(root, 'data');
    const clips = join(root, 'clips');
    await eightClips(clips);
    await run(['--data-dir', dataDir, 'buckets', 'import', sampleBucketsFile]);

    let done = 0;
    let sent = false;
    const interrupted = await spawnCli(
      ['--data-dir', dataDir, 'categorize', clips, '--concurrency', '1'],
      {
        cwd: root,
        env: { VBUCKETS_CLI_TEST_DELAY_MS: '300' },
        onLine: (line, kill) => {
          done += filesAt([line], 'done').length;
          if (done === 2 && !sent) {
            sent = true;
            kill('SIGINT');
          }
        },
      },
    );
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toBe('');
    expect(interrupted.stderrLines).toContain(
      'Interrupted: stopping… (Ctrl-C again to quit at once)',
    );
    const last = interrupted.stderrLines.filter((line) => line !== '').at(-1) ?? '';
    const hint =
      /^error: \[CANCELLED\] Interrupted with \d videos? unfinished in session (\S+); finish them with: (pnpm -s vbuckets .+)$/.exec(
        last,
      );
    expect(hint, last).not.toBeNull();
    const command = (hint?.[2] ?? '').split(' ');
    expect(command.slice(0, 5)).toEqual(['pnpm', '-s', 'vbuckets', '--data-dir', dataDir]);

    const resumed = await spawnCli(command.slice(3), { cwd: root });
    expect(resumed.code, resumed.stderrLines.join('\n')).toBe(0);
    const rows = await sessionRows(dataDir, hint?.[1] ?? '');
    expect(rows).toHaveLength(8);
    expect(rows.filter((row) => row.status === 'pending')).toEqual([]);
    expect(new Set(rows.map((row) => row.filename)).size).toBe(8);
  }, 60_000);
});
