import type { JobEvent } from '@vbuckets/core';
import type { TestHost } from './host';

/**
 * Runs a worker of `kind` in the test process until the job `jobId` completes or fails (its
 * first outcome), then closes it: waits on the worker's own event, never on a timer.
 */
export async function runJob(host: TestHost, kind: string, jobId: string): Promise<JobEvent> {
  let settle: (event: JobEvent) => void = () => {};
  const outcome = new Promise<JobEvent>((resolve) => {
    settle = resolve;
  });
  const worker = host.vbuckets.jobs.work({
    kinds: [kind],
    onEvent: (event) => {
      if (event.id === jobId && event.type !== 'job-started') settle(event);
    },
  });
  if (worker.isErr()) throw new Error(worker.error.message);
  try {
    return await outcome;
  } finally {
    await worker.value.close();
  }
}
