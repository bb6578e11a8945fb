import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cliWorkerName, isCliWorkerGone } from '../src/worker-liveness';

const ownerOf = (pid: number, host = hostname()) => `vbuckets-cli@${host}#${pid}/run-1`;

describe('telling a crashed CLI run from a live one', () => {
  it('names this process, and never calls it gone', () => {
    expect(cliWorkerName()).toBe(`vbuckets-cli@${hostname()}#${process.pid}`);
    expect(isCliWorkerGone(`${cliWorkerName()}/run-1`)).toBe(false);
  });

  it('is true for a run whose process has exited, false while it lives', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    await once(child, 'spawn');
    const pid = child.pid!;
    expect(isCliWorkerGone(ownerOf(pid))).toBe(false);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(isCliWorkerGone(ownerOf(pid))).toBe(true);
  }, 60_000);

  it('leaves other hosts’ runs and other programs’ claims to their leases', () => {
    expect(isCliWorkerGone(ownerOf(2 ** 22 + 1, `not-${hostname()}`))).toBe(false);
    expect(isCliWorkerGone('batch/0b6f')).toBe(false);
    expect(isCliWorkerGone(`vbuckets-cli@${hostname()}#0/x`)).toBe(false);
  });
});
