import { Command } from 'commander';
import packageJson from '../package.json';
import { registerBucketsCommands } from './commands/buckets';
import { registerCategorizeCommands } from './commands/categorize';
import { registerDemoCommand } from './commands/demo';
import { registerExportCommand } from './commands/export';
import { registerSessionCommands } from './commands/sessions';
import { registerUploadedCommands } from './commands/uploaded';
import { usageLine } from './errors';
import type { CliIo } from './io';
import { defaultsFrom } from './settings';

/** A fresh command tree per run: commander keeps parsed state on its commands. */
export function createProgram(io: CliIo): Command {
  const defaults = defaultsFrom(io.env);
  const program = new Command('vbuckets')
    .description(
      'File short-form videos into the content buckets of your products: categorize, review, export a ZIP per bucket.',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .option(
      '--data-dir <dir>',
      'where vbuckets.db and blobs/ live, created on first use (env VBUCKETS_DATA_DIR)',
      defaults.dataDir,
    )
    .option(
      '--database-url <url>',
      'use PostgreSQL (postgres://…) instead of the SQLite file in the data dir (env VBUCKETS_DATABASE_URL)',
      defaults.databaseUrl,
    )
    .option(
      '--database-schema <name>',
      'PostgreSQL schema to keep the tables in (env VBUCKETS_DATABASE_SCHEMA)',
      defaults.databaseSchema,
    )
    .option('--org <id>', 'organisation (tenant) to work in (env VBUCKETS_ORG)', defaults.org)
    .option('--json', 'print machine-readable JSON instead of text')
    .addHelpText(
      'after',
      `
Environment:
  VBUCKETS_DATA_DIR   default for --data-dir (otherwise ./.vbuckets)
  VBUCKETS_DATABASE_URL     PostgreSQL URL; when set, records live there, videos stay in the data dir
  VBUCKETS_DATABASE_SCHEMA  PostgreSQL schema (otherwise "public")
  VBUCKETS_ORG        default for --org (otherwise "local")
  VBUCKETS_PRODUCT    default for --product (otherwise "default")
  GEMINI_API_KEY      when set, categorize/resume/retry use Gemini (otherwise the offline keyword categorizer)
  VBUCKETS_GEMINI_MODEL     Gemini model (otherwise gemini-2.5-flash)
  VBUCKETS_GEMINI_BASE_URL  Gemini API root, e.g. a proxy (otherwise Google's)

Exit codes: 0 success, 1 failure, 2 bad input (usage, validation, name conflict), 130 interrupted.

Examples:
  $ vbuckets demo
  $ vbuckets categorize ./clips --product acme-greens
  $ vbuckets results latest --csv > results.csv
  $ vbuckets export latest --out ./zips
  $ vbuckets buckets list --json`,
    );
  registerDemoCommand(program, io);
  registerCategorizeCommands(program, io);
  registerSessionCommands(program, io);
  registerExportCommand(program, io);
  registerUploadedCommands(program, io);
  registerBucketsCommands(program, io);
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
