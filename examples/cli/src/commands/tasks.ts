import { resolve } from 'node:path';
import type { TaskCreateInput, TaskStatusUpdate, TaskUpdateInput } from '@vbuckets/core';
import { validationError } from '@vbuckets/core';
import { videoFile } from '@vbuckets/core/node';
import { type Command, InvalidArgumentError } from 'commander';
import { withVBuckets } from '../context';
import { unwrap } from '../errors';
import { CLI_COMMAND, type CliIo, printJson, printLine } from '../io';
import { DEFAULT_USER, parseInteger, parseNumber } from '../market-options';
import { probeOption } from '../media-probe';
import { costText, statsText, taskDetails, tasksTable } from '../output/task-text';
import { settingsOf } from '../settings';

/** The task fields as flags, shared by `tasks add` and `tasks update`. */
interface TaskFieldOptions {
  project?: string;
  engine?: string;
  prompt?: string;
  song?: string;
  music?: string;
  genre?: string;
  bpm?: number;
  videoUrl?: string;
  title?: string;
  description?: string;
  tag?: string[];
  cost?: number;
  credits?: number;
  duration?: number;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function addTaskFieldOptions(command: Command, required: boolean): Command {
  const field = required ? command.requiredOption.bind(command) : command.option.bind(command);
  field('--project <name>', 'project name, e.g. "Summer Vibes 2025"');
  field('--engine <name>', 'generation engine, e.g. runway_standard');
  field('--prompt <text>', 'the generation prompt');
  return command
    .option('--song <title>', 'song title')
    .option('--music <path-or-url>', 'the music file')
    .option('--genre <name>', 'genre')
    .option('--bpm <n>', 'beats per minute', parseInteger)
    .option('--video-url <url>', 'where the generated video is')
    .option('--title <text>', 'YouTube title (at most 100 characters)')
    .option('--description <text>', 'YouTube description')
    .option('--tag <tag>', 'a YouTube tag (repeat for more; on update, replaces the list)', collect)
    .option('--cost <dollars>', 'what the generation cost', parseNumber)
    .option('--credits <n>', 'credits the generation used', parseInteger)
    .option('--duration <seconds>', 'seconds of video', parseNumber);
}

function taskFieldsOf(options: TaskFieldOptions): TaskUpdateInput {
  const fields: Record<string, unknown> = {
    projectName: options.project,
    engine: options.engine,
    prompt: options.prompt,
    songTitle: options.song,
    musicFile: options.music,
    genre: options.genre,
    bpm: options.bpm,
    videoUrl: options.videoUrl,
    youtubeTitle: options.title,
    youtubeDescription: options.description,
    youtubeTags: options.tag,
    cost: options.cost,
    creditsUsed: options.credits,
    durationSec: options.duration,
  };
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as TaskUpdateInput;
}

const STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

function parseStatus(value: string): (typeof STATUSES)[number] {
  const status = value.trim().toLowerCase();
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw new InvalidArgumentError(`Expected one of ${STATUSES.join(', ')}.`);
  }
  return status as (typeof STATUSES)[number];
}

/** `vbuckets tasks …`: AI video-generation tasks (seed 002). */
export function registerTasksCommands(program: Command, io: CliIo): void {
  const tasks = program
    .command('tasks')
    .description('AI video-generation tasks: status, YouTube metadata, cost, the generated video')
    .addHelpText(
      'after',
      `
A task moves pending → processing → completed | failed; a failed one goes back to pending with
'tasks status <task> pending'. Attach the generated video with 'tasks attach': it is registered
like 'videos add', and 'vbuckets upload <video> --platform youtube' then posts it with the
task's --title, --description and --tag.

Examples:
  $ vbuckets tasks add --id task_abc123 --project "Summer Vibes 2025" --engine runway_standard \\
      --prompt "Cinematic neon city at night" --title "Electric Dreams" --tag synthwave
  $ vbuckets tasks status task_abc123 processing
  $ vbuckets tasks status task_abc123 completed
  $ vbuckets tasks attach task_abc123 electric-dreams.mp4
  $ vbuckets thumbnails generate task_abc123 -n 6
  $ vbuckets tasks cost --engine runway_standard --duration 60`,
    );

  addTaskFieldOptions(tasks.command('add'), true)
    .option('--id <id>', 'a task id of your choice, e.g. task_abc123 (unique in the org)')
    .option('--user <id>', 'whose task (env VBUCKETS_USER, otherwise "local")')
    .description('create a pending task')
    .action(
      async (options: TaskFieldOptions & { id?: string; user?: string }, command: Command) => {
        const settings = settingsOf(command, io);
        const input = {
          ...taskFieldsOf(options),
          ...(options.id === undefined ? {} : { id: options.id }),
          userId: options.user ?? io.env.VBUCKETS_USER ?? DEFAULT_USER,
        } as TaskCreateInput;
        const task = await withVBuckets(settings, (vbuckets) =>
          unwrap(vbuckets.tasks.create(settings.scope, input)),
        );
        if (settings.json) printJson(io, task);
        else printLine(io, `Created task ${task.id} (${task.status})`);
      },
    );

  tasks
    .command('list')
    .alias('ls')
    .option('--user <id>', "only this user's tasks")
    .option('--status <status>', `only tasks in this status (${STATUSES.join(', ')})`, parseStatus)
    .option('--limit <n>', 'at most this many (default 50)', parseInteger)
    .option('--offset <n>', 'skip this many', parseInteger)
    .description('list tasks, newest first')
    .action(
      async (
        options: { user?: string; status?: string; limit?: number; offset?: number },
        command: Command,
      ) => {
        const settings = settingsOf(command, io);
        const list = await withVBuckets(settings, (vbuckets) =>
          unwrap(
            vbuckets.tasks.list(settings.scope, {
              ...(options.user === undefined ? {} : { userId: options.user }),
              ...(options.status === undefined
                ? {}
                : { status: options.status as (typeof STATUSES)[number] }),
              ...(options.limit === undefined ? {} : { limit: options.limit }),
              ...(options.offset === undefined ? {} : { offset: options.offset }),
            }),
          ),
        );
        if (settings.json) printJson(io, list);
        else if (list.length === 0) {
          printLine(
            io,
            `No tasks yet. Add one with: ${CLI_COMMAND} tasks add --project … --engine … --prompt …`,
          );
        } else printLine(io, tasksTable(list));
      },
    );

  tasks
    .command('show')
    .argument('<task>', 'task id')
    .description('show every field of a task and its thumbnail count')
    .action(async (taskId: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const { task, thumbnails } = await withVBuckets(settings, async (vbuckets) => ({
        task: await unwrap(vbuckets.tasks.get(settings.scope, taskId)),
        thumbnails: await unwrap(vbuckets.thumbnails.list(settings.scope, taskId)),
      }));
      if (settings.json) printJson(io, { ...task, thumbnails });
      else printLine(io, taskDetails(task, thumbnails));
    });

  tasks
    .command('status')
    .argument('<task>', 'task id')
    .argument(
      '<status>',
      `the new status (${STATUSES.join(', ')}; pending re-runs a failed task)`,
      parseStatus,
    )
    .option('--video-url <url>', 'with completed: where the generated video is')
    .option('--error <message>', 'with failed: why')
    .option('--completed-at <iso>', 'with completed: when it finished (default now)')
    .description('move a task along pending → processing → completed | failed')
    .action(
      async (
        taskId: string,
        status: (typeof STATUSES)[number],
        options: { videoUrl?: string; error?: string; completedAt?: string },
        command: Command,
      ) => {
        const settings = settingsOf(command, io);
        const task = await withVBuckets(settings, (vbuckets) => {
          if (status === 'pending') return unwrap(vbuckets.tasks.retry(settings.scope, taskId));
          const change: TaskStatusUpdate = {
            status,
            ...(options.videoUrl === undefined ? {} : { videoUrl: options.videoUrl }),
            ...(options.error === undefined ? {} : { errorMessage: options.error }),
            ...(options.completedAt === undefined ? {} : { completedAt: options.completedAt }),
          };
          return unwrap(vbuckets.tasks.updateStatus(settings.scope, taskId, change));
        });
        if (settings.json) printJson(io, task);
        else printLine(io, `Task ${task.id} is ${task.status}`);
      },
    );

  addTaskFieldOptions(tasks.command('update'), false)
    .argument('<task>', 'task id')
    .description("change a task's fields (only those given)")
    .action(async (taskId: string, options: TaskFieldOptions, command: Command) => {
      const settings = settingsOf(command, io);
      const patch = taskFieldsOf(options);
      if (Object.keys(patch).length === 0) {
        throw validationError('Nothing to update: give at least one field flag (see --help)');
      }
      const task = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.tasks.update(settings.scope, taskId, patch)),
      );
      if (settings.json) printJson(io, task);
      else printLine(io, `Updated task ${task.id}`);
    });

  tasks
    .command('rm')
    .alias('delete')
    .argument('<task>', 'task id')
    .description('delete a task, its thumbnails and their images (the attached video stays)')
    .action(async (taskId: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const deleted = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.tasks.delete(settings.scope, taskId)),
      );
      if (settings.json) printJson(io, deleted);
      else {
        printLine(
          io,
          `Deleted task ${deleted.taskId} and ${deleted.thumbnailsDeleted} thumbnail(s)`,
        );
        for (const key of deleted.imagesLeft) printLine(io, `  image left to sweep: ${key}`);
      }
    });

  tasks
    .command('stats')
    .option('--user <id>', "only this user's tasks")
    .description('count tasks by status, total cost, credits and thumbnails')
    .action(async (options: { user?: string }, command: Command) => {
      const settings = settingsOf(command, io);
      const stats = await withVBuckets(settings, (vbuckets) =>
        unwrap(
          vbuckets.tasks.stats(
            settings.scope,
            options.user === undefined ? {} : { userId: options.user },
          ),
        ),
      );
      if (settings.json) printJson(io, stats);
      else printLine(io, statsText(stats));
    });

  tasks
    .command('cost')
    .requiredOption('--engine <name>', 'generation engine, e.g. runway_standard')
    .requiredOption('--duration <seconds>', 'seconds of video', parseNumber)
    .description(
      'estimate what a generation costs ($1.20 and 12 credits per started 10 s on runway_standard)',
    )
    .action(async (options: { engine: string; duration: number }, command: Command) => {
      const settings = settingsOf(command, io);
      const estimate = await withVBuckets(settings, (vbuckets) =>
        unwrap(
          vbuckets.tasks.estimateCost({ engine: options.engine, durationSec: options.duration }),
        ),
      );
      if (settings.json) printJson(io, estimate);
      else printLine(io, costText(estimate));
    });

  tasks
    .command('attach')
    .argument('<task>', 'task id')
    .argument('<video>', 'the generated video file')
    .description('register the generated video (deduplicated) and link it to the task')
    .action(async (taskId: string, path: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const attached = await withVBuckets(
        settings,
        (vbuckets) =>
          unwrap(
            vbuckets.tasks.attachVideo(settings.scope, taskId, videoFile(resolve(io.cwd, path))),
          ),
        await probeOption(io.env),
      );
      if (settings.json) {
        printJson(io, attached);
        return;
      }
      printLine(
        io,
        `${attached.created ? 'Registered' : 'Already registered'} video ${attached.video.id}; linked to task ${attached.task.id}`,
      );
      printLine(
        io,
        `Post it with the task's YouTube title, description and tags: ${CLI_COMMAND} upload ${attached.video.id} --platform youtube`,
      );
    });
}
