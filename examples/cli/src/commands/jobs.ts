import { type JobInfo, type JobSchedule, type VBuckets, validationError } from '@vbuckets/core';
import type { Command } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { type CliIo, printJson, printLine } from '../io';
import { renderTable } from '../output/table';
import { settingsOf } from '../settings';
import { workerSetup } from '../worker-extras';
import { positiveInteger } from './upload';

interface WorkerOptions {
  concurrency?: number;
  kinds?: string[];
  grace?: number;
  quiet?: boolean;
  runDueEvery?: number;
  syncMetricsEvery?: number;
}

/** The repeating jobs a worker's flags set up for the org, by schedule name. */
function schedulesOf(options: WorkerOptions, orgId: string): JobSchedule[] {
  const schedules: JobSchedule[] = [];
  if (options.runDueEvery !== undefined) {
    schedules.push({
      name: `uploads.runDue:${orgId}`,
      kind: 'uploads.runDue',
      payload: { orgId },
      everyMs: options.runDueEvery * 1000,
    });
  }
  if (options.syncMetricsEvery !== undefined) {
    schedules.push({
      name: `segments.syncMetrics:${orgId}`,
      kind: 'segments.syncMetrics',
      payload: { orgId },
      everyMs: options.syncMetricsEvery * 1000,
    });
  }
  return schedules;
}

/** `vbuckets worker`, `vbuckets jobs` and `jobs retry`: background work and its queue. */
export function registerJobsCommands(program: Command, io: CliIo): void {
  program
    .command('worker')
    .description('run queued jobs (categorize --queue, upload --queue, …) until stopped')
    .option('--concurrency <n>', 'jobs at once (default 4)', positiveInteger)
    .option('--kinds <a,b>', 'only these job kinds (default every kind)', (value: string) =>
      value
        .split(',')
        .map((each) => each.trim())
        .filter((each) => each !== ''),
    )
    .option(
      '--grace <seconds>',
      'on SIGTERM or Ctrl-C, how long running jobs may finish before they are stopped and handed back (default 30)',
      positiveInteger,
    )
    .option(
      '--run-due-every <seconds>',
      "retry the org's due uploads (failed ones whose backoff is over) every N seconds",
      positiveInteger,
    )
    .option(
      '--sync-metrics-every <seconds>',
      "sync the social metrics of the org's posted segments every N seconds",
      positiveInteger,
    )
    .option('-q, --quiet', 'no line per job on stderr')
    .addHelpText(
      'after',
      `
Jobs are kept in the database (the SQLite file or --database-url) unless --redis-url names a
Redis server, where BullMQ keeps them; run as many workers as you like, on any machine that
reaches the same database (and Redis). Every job is done once: the database's claims decide.
The platforms, providers and analyzers a worker can use come from its environment.

--run-due-every and --sync-metrics-every keep a repeating job in the queue (one per org, however
many workers set it; the last period set wins) that stays after the worker stops, until
'vbuckets jobs unschedule <name>' removes it ('vbuckets jobs' lists the schedules).

SIGTERM or Ctrl-C stops taking jobs and lets the running ones finish (--grace); those still
running are then stopped and retried by the next worker, from their checkpoints. Exit 0.

Examples:
  $ vbuckets worker --concurrency 4 --run-due-every 60
  $ VBUCKETS_REDIS_URL=redis://127.0.0.1:6379 vbuckets worker --kinds uploads.upload`,
    )
    .action(async (options: WorkerOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const setup = await workerSetup(io, settings);
      const quiet = options.quiet === true;
      const graceMs = (options.grace ?? 30) * 1000;
      await withVBuckets(
        settings,
        async (vbuckets) => {
          const signal = io.signal;
          for (const schedule of schedulesOf(options, settings.scope.orgId)) {
            await unwrap(vbuckets.jobs.schedule(schedule));
            if (!quiet) {
              io.stderr.write(
                `Scheduled ${schedule.kind} every ${schedule.everyMs / 1000} s (${schedule.name})\n`,
              );
            }
          }
          const started = vbuckets.jobs.work({
            ...(options.kinds === undefined ? {} : { kinds: options.kinds }),
            ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
            onEvent: (event) => {
              if (quiet) return;
              const name = `${event.kind} ${event.id} (attempt ${event.attempt})`;
              if (event.type === 'job-started') io.stderr.write(`▶ ${name}\n`);
              else if (event.type === 'job-completed') io.stderr.write(`✓ ${name}\n`);
              else io.stderr.write(`✗ ${name}: ${event.error.message}\n`);
            },
            onError: (error) => io.stderr.write(`warning: [${error.code}] ${error.message}\n`),
          });
          if (started.isErr()) throw started.error;
          const worker = started.value;
          io.stderr.write(
            `Worker started (${vbuckets.jobs.engine} queue): providers ${setup.providers.join(', ')}; platforms ${setup.platforms.join(', ') || 'none'}; metrics ${setup.metrics.join(', ') || 'none'}; market analysis ${setup.analyzer ?? 'none'}. Stop with Ctrl-C or SIGTERM.\n`,
          );
          await new Promise<void>((resolve) => {
            if (signal === undefined || signal.aborted) resolve();
            else signal.addEventListener('abort', () => resolve(), { once: true });
          });
          io.stderr.write(
            `Stopping: ${worker.running} running job(s) may finish within ${graceMs / 1000} s\n`,
          );
          await worker.close({ graceful: true, graceMs });
          io.stderr.write('Worker stopped\n');
        },
        setup.extra,
      );
    });

  const jobs = program
    .command('jobs')
    .description('queued jobs: counts per kind and state, failed jobs with their reasons')
    .option('--limit <n>', 'failed jobs to list (default 20)', positiveInteger)
    .action(async (options: { limit?: number }, command: Command) => {
      const settings = settingsOf(command, io);
      const { engine, counts, failed, schedules } = await withVBuckets(
        settings,
        async (vbuckets) => ({
          engine: vbuckets.jobs.engine,
          counts: await unwrap(vbuckets.jobs.counts()),
          failed: await unwrap(vbuckets.jobs.failed({ limit: options.limit ?? 20 })),
          schedules: await unwrap(vbuckets.jobs.schedules()),
        }),
      );
      if (settings.json) {
        printJson(io, { engine, counts, failed, schedules });
        return;
      }
      if (schedules.length > 0) {
        printLine(io, 'Repeating jobs (remove one with: vbuckets jobs unschedule <name>):');
        printLine(io, renderTable(scheduleColumns, schedules));
        printLine(io);
      }
      if (counts.length === 0) {
        printLine(io, `No jobs (${engine} queue)`);
        return;
      }
      const states = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const;
      const kinds = [...new Set(counts.map((count) => count.kind))].sort();
      const countOf = (kind: string, state: string) =>
        counts.find((count) => count.kind === kind && count.state === state)?.count ?? 0;
      printLine(
        io,
        renderTable(
          [
            { header: 'KIND', value: (kind: string) => kind },
            ...states.map((state) => ({
              header: state.toUpperCase(),
              value: (kind: string) => String(countOf(kind, state)),
              align: 'right' as const,
            })),
          ],
          kinds,
        ),
      );
      if (failed.length > 0) {
        printLine(io);
        printLine(io, 'Failed jobs (retry one with: vbuckets jobs retry <id>):');
        printLine(io, renderTable(failedColumns, failed));
      }
    });

  jobs
    .command('retry')
    .argument('<id>', 'the id of a failed job, as `vbuckets jobs` lists it')
    .option('--kind <kind>', 'the job kind, when two kinds have a failed job with this id')
    .description('run a failed job again, with fresh attempts')
    .action(async (id: string, options: { kind?: string }, command: Command) => {
      const settings = settingsOf(command, io);
      const job = await withVBuckets(settings, async (vbuckets) => {
        const kind = options.kind ?? (await kindOfFailed(vbuckets, id));
        return unwrap(vbuckets.jobs.retry(kind, id));
      });
      if (settings.json) {
        printJson(io, job);
        return;
      }
      printLine(io, `Job ${job.kind} ${job.id} is ${job.state} again; a worker will run it`);
    });

  jobs
    .command('unschedule')
    .argument('<name>', 'the name of a repeating job, as `vbuckets jobs` lists it')
    .description('stop a repeating job (set by worker --run-due-every or --sync-metrics-every)')
    .action(async (name: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const removed = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.jobs.unschedule(name)),
      );
      if (!removed) {
        throw validationError(`No repeating job "${name}": 'vbuckets jobs' lists them`, {
          path: 'name',
        });
      }
      if (settings.json) printJson(io, { name, removed });
      else printLine(io, `Repeating job ${name} removed`);
    });
}

const scheduleColumns = [
  { header: 'NAME', value: (schedule: JobSchedule) => schedule.name, maxWidth: 60 },
  { header: 'KIND', value: (schedule: JobSchedule) => schedule.kind },
  {
    header: 'EVERY',
    value: (schedule: JobSchedule) => `${schedule.everyMs / 1000} s`,
    align: 'right' as const,
  },
];

const failedColumns = [
  { header: 'ID', value: (job: JobInfo) => job.id, maxWidth: 60 },
  { header: 'KIND', value: (job: JobInfo) => job.kind },
  { header: 'ATTEMPTS', value: (job: JobInfo) => `${job.attemptsMade}/${job.maxAttempts}` },
  { header: 'FINISHED', value: (job: JobInfo) => job.finishedAt ?? '-' },
  { header: 'REASON', value: (job: JobInfo) => job.failedReason ?? '-', maxWidth: 80 },
];

/**
 * The kind of the one failed job with this id, else of the one job with this id in another
 * state (so that the retry says it has not failed); VALIDATION when none or several have it.
 */
async function kindOfFailed(vbuckets: VBuckets, id: string): Promise<string> {
  const failed = await unwrap(vbuckets.jobs.failed({ limit: 1000 }));
  let kinds = [...new Set(failed.filter((job) => job.id === id).map((job) => job.kind))];
  if (kinds.length === 0) kinds = await kindsHolding(vbuckets, id);
  const [kind, ...others] = kinds;
  if (kind === undefined) {
    throw validationError(`No job "${id}": 'vbuckets jobs' lists the failed ones`, {
      path: 'id',
    });
  }
  if (others.length > 0) {
    throw validationError(
      `Jobs of several kinds have the id "${id}" (${kinds.join(', ')}): name one with --kind`,
      { path: 'kind' },
    );
  }
  return kind;
}

/** The kinds that have a job with this id, whatever its state. */
async function kindsHolding(vbuckets: VBuckets, id: string): Promise<string[]> {
  const found = await Promise.all(
    vbuckets.jobs.kinds().map(async (kind) => {
      const job = await vbuckets.jobs.get(kind, id);
      if (job.isOk()) return kind;
      if (job.error.code === 'NOT_FOUND') return undefined;
      throw job.error;
    }),
  );
  return found.filter((kind): kind is string => kind !== undefined);
}
