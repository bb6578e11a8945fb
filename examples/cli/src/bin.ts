#!/usr/bin/env node
import { runCli } from './index';

// A reader that stops early (`vbuckets buckets export | head`) ends the output, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

let interrupt: AbortController | undefined;
/**
 * Installed only when a command asks for the signal, so Ctrl-C still ends every other command
 * at once. The first Ctrl-C (or SIGTERM) aborts the batch (which then says how to resume); a second one
 * exits straight away. One listener for both: swapping listeners would leave a moment with
 * none, when a Ctrl-C would kill the process the default way.
 */
function interruptSignal(): AbortSignal {
  if (interrupt === undefined) {
    const controller = new AbortController();
    interrupt = controller;
    process.on('SIGINT', () => {
      if (controller.signal.aborted) process.exit(130);
      process.stderr.write('\nInterrupted: stopping… (Ctrl-C again to quit at once)\n');
      controller.abort(new Error('Interrupted (SIGINT)'));
    });
    // A service manager's stop (systemd, Kubernetes): the same clean stop as a first Ctrl-C.
    process.on('SIGTERM', () => {
      if (controller.signal.aborted) process.exit(143);
      process.stderr.write('\nTerminated: stopping…\n');
      controller.abort(new Error('Terminated (SIGTERM)'));
    });
  }
  return interrupt.signal;
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  // Lazy: only `buckets import -` touches standard input.
  stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
  get signal() {
    return interruptSignal();
  },
});
