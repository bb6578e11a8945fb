import { Command } from 'commander';
import packageJson from '../package.json';
import { registerBucketsCommands } from './commands/buckets';
import { registerDemoCommand } from './commands/demo';
import { usageLine } from './errors';
import type { CliIo } from './io';
import { defaultsFrom } from './settings';

/** A fresh command tree per run: commander keeps parsed state on its commands. */
export function createProgram(io: CliIo): Command {
  const defaults = defaultsFrom(io.env);
  const program = new Command('vbuckets')
    .description('Define content buckets for your products and file short-form videos into them.')
    .version(packageJson.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .option(
      '--data-dir <dir>',
      'where vbuckets.db and blobs/ live, created on first use (env VBUCKETS_DATA_DIR)',
      defaults.dataDir,
    )
    .option('--org <id>', 'organisation (tenant) to work in (env VBUCKETS_ORG)', defaults.org)
    .option('--json', 'print machine-readable JSON instead of text')
    .addHelpText(
      'after',
      `
Environment:
  VBUCKETS_DATA_DIR   default for --data-dir (otherwise ./.vbuckets)
  VBUCKETS_ORG        default for --org (otherwise "local")
  VBUCKETS_PRODUCT    default for --product (otherwise "default")

Exit codes: 0 success, 1 failure, 2 bad input (usage, validation, name conflict).

Examples:
  $ vbuckets demo
  $ vbuckets buckets list --json
  $ vbuckets buckets --help`,
    );
  registerBucketsCommands(program, io);
  registerDemoCommand(program, io);
  for (const command of walk(program)) configureCommand(command, io);
  return program;
}

/** Global options in every help page, and usage errors as one line pointing at the right help. */
function configureCommand(command: Command, io: CliIo): void {
  const path = commandPath(command);
  command.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: (text, write) => write(usageLine(text, `${path} --help`)),
  });
}

function* walk(command: Command): Generator<Command> {
  yield command;
  for (const child of command.commands) yield* walk(child);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent) {
    names.unshift(current.name());
  }
  return names.join(' ');
}
