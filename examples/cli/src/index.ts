import { CommanderError } from 'commander';
import { debugEnabled, EXIT_OK, EXIT_USAGE, reportFailure } from './errors';
import type { CliIo } from './io';
import { createProgram } from './program';

export type { CliIo } from './io';

/**
 * Runs the `vbuckets` command in-process and resolves to its exit code; it never calls
 * `process.exit` and never throws. `argv` is the arguments after the program name.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    const report = reportFailure(error, { debug: debugEnabled(io.env) });
    io.stderr.write(report.line);
    return report.exitCode;
  }
}

/** Commander has already written its message or help; only the exit code is left to choose. */
function commanderExitCode(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
    return EXIT_OK;
  return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
}
