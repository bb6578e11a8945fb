import { hostname } from 'node:os';

/**
 * The CLI's row claims name their process (`vbuckets-cli@<host>#<pid>/<run>`), so that a
 * resume after a crash (kill -9, a closed terminal) can tell that the run holding a row is
 * gone and take the row over at once, instead of waiting out its lease.
 */
const OWNER = /^vbuckets-cli@(.+)#(\d+)\//;

/** This process's worker name, for `categorize.workerName`. */
export function cliWorkerName(): string {
  return `vbuckets-cli@${hostname()}#${process.pid}`;
}

/**
 * For `categorize.isWorkerGone`: true only for a CLI run on this host whose process no longer
 * exists. Another host's run, another program's claim, or a live process: false (its lease
 * decides). A recycled pid makes a dead run look alive, which only means waiting for the lease.
 */
export function isCliWorkerGone(owner: string): boolean {
  const match = OWNER.exec(owner);
  if (match === null || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
