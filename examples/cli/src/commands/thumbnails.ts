import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BlobStore } from '@vbuckets/core/adapter-kit';
import { type Command, InvalidArgumentError } from 'commander';
import { BLOBS_DIR, withVBuckets } from '../context';
import { unwrap } from '../errors';
import { CLI_COMMAND, type CliIo, printJson, printLine } from '../io';
import { parseInteger } from '../market-options';
import { type CandidateRow, candidatesTable, thumbnailsTable } from '../output/task-text';
import { type Settings, settingsOf } from '../settings';
import { thumbnailSetup } from '../thumbnail-scorer';

function parseUnit(value: string): number {
  const number = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new InvalidArgumentError('Expected a number from 0 to 1.');
  }
  return number;
}

/** Where a stored JPEG is: its file under `<data-dir>/blobs/` on local storage, else its key. */
function imageLocation(settings: Settings, key: string): string {
  return settings.storage.kind === 'local'
    ? join(settings.dataDir, BLOBS_DIR, ...key.split('/'))
    : `${settings.storage.kind}:${key}`;
}

async function copyImage(blobs: BlobStore, key: string, path: string): Promise<void> {
  const object = await unwrap(blobs.get(key));
  await writeFile(path, new Uint8Array(await new Response(object.body).arrayBuffer()));
}

/** `vbuckets thumbnails …`: thumbnail variants of generation tasks, one selected per task. */
export function registerThumbnailsCommands(program: Command, io: CliIo): void {
  const thumbnails = program
    .command('thumbnails')
    .description(
      'thumbnail variants of generation tasks: add, cut candidates from the video, select one',
    )
    .addHelpText(
      'after',
      `
'generate' cuts candidate stills from the task's attached video with ffmpeg and scores them:
with ANTHROPIC_API_KEY set Claude predicts their click appeal, otherwise an image-quality
heuristic (exposure, contrast, sharpness, colour) scores them.

Examples:
  $ vbuckets thumbnails generate task_abc123 -n 6 --out ./thumbs
  $ vbuckets thumbnails list task_abc123
  $ vbuckets thumbnails select task_abc123 <thumbnail id>
  $ vbuckets thumbnails add task_abc123 --variant bold_text --url https://cdn.example/t.jpg --click 0.12`,
    );

  thumbnails
    .command('add')
    .argument('<task>', 'task id')
    .requiredOption('--variant <name>', 'e.g. bold_text, emotional_face, action_shot')
    .option('--url <url>', 'where the image is')
    .option('--image <file>', 'an image file to store (JPEG, PNG or WebP)')
    .option('--click <rate>', 'predicted click rate, 0..1', parseUnit)
    .option('--select', 'select it (deselecting the others)')
    .description('add a thumbnail variant to a task (give --url or --image)')
    .action(
      async (
        taskId: string,
        options: {
          variant: string;
          url?: string;
          image?: string;
          click?: number;
          select?: boolean;
        },
        command: Command,
      ) => {
        const settings = settingsOf(command, io);
        const image =
          options.image === undefined ? undefined : await readImage(resolve(io.cwd, options.image));
        const thumbnail = await withVBuckets(settings, (vbuckets) =>
          unwrap(
            vbuckets.thumbnails.add(settings.scope, taskId, {
              variant: options.variant,
              ...(options.url === undefined ? {} : { imageUrl: options.url }),
              ...(image === undefined ? {} : { image }),
              ...(options.click === undefined ? {} : { clickPrediction: options.click }),
              isSelected: options.select === true,
            }),
          ),
        );
        if (settings.json) printJson(io, thumbnail);
        else
          printLine(io, `Added thumbnail ${thumbnail.id} (${thumbnail.variant}) to task ${taskId}`);
      },
    );

  thumbnails
    .command('list')
    .alias('ls')
    .argument('<task>', 'task id')
    .description("a task's thumbnails: best click prediction first, * marks the selected one")
    .action(async (taskId: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const list = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.thumbnails.list(settings.scope, taskId)),
      );
      if (settings.json) printJson(io, list);
      else if (list.length === 0) {
        printLine(
          io,
          `No thumbnails for task ${taskId}. Cut some with: ${CLI_COMMAND} thumbnails generate ${taskId}`,
        );
      } else printLine(io, thumbnailsTable(list));
    });

  thumbnails
    .command('select')
    .argument('<task>', 'task id')
    .argument('<thumbnail>', 'thumbnail id')
    .description('select a thumbnail of a task (deselecting the others)')
    .action(async (taskId: string, thumbnailId: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const thumbnail = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.thumbnails.select(settings.scope, taskId, thumbnailId)),
      );
      if (settings.json) printJson(io, thumbnail);
      else
        printLine(
          io,
          `Selected thumbnail ${thumbnail.id} (${thumbnail.variant}) of task ${taskId}`,
        );
    });

  thumbnails
    .command('generate')
    .argument('<task>', 'task id (with an attached video: tasks attach)')
    .option('-n, --count <n>', 'at most this many candidates, 1..20', parseInteger, 6)
    .option('--out <dir>', 'also write the JPEGs here, as <variant>.jpg')
    .description("cut candidate thumbnails from the task's video with ffmpeg and score them")
    .addHelpText(
      'after',
      `
The JPEGs are stored with the task's other thumbnails: on local storage they are files under
<data-dir>/blobs/thumbnails/, printed in the JPEG column; --out copies them to a folder.
Needs ffmpeg and ffprobe (on the PATH, or FFMPEG_PATH and FFPROBE_PATH).

Examples:
  $ vbuckets thumbnails generate task_abc123
  $ ANTHROPIC_API_KEY=… vbuckets thumbnails generate task_abc123 -n 10 --out ./thumbs --json`,
    )
    .action(async (taskId: string, options: { count: number; out?: string }, command: Command) => {
      const settings = settingsOf(command, io);
      const setup = await thumbnailSetup(io);
      const out = options.out === undefined ? undefined : resolve(io.cwd, options.out);
      if (!settings.json)
        io.stderr.write(`Cutting candidates; scoring with ${setup.scorerName}…\n`);
      const rows = await withVBuckets(
        settings,
        async (vbuckets, host) => {
          const generated = await unwrap(
            vbuckets.thumbnails.generateCandidates(settings.scope, taskId, {
              count: options.count,
              ...(io.signal === undefined ? {} : { signal: io.signal }),
            }),
          );
          if (out !== undefined) await mkdir(out, { recursive: true });
          const result: CandidateRow[] = [];
          for (const candidate of generated) {
            const key = candidate.thumbnail.blobKey ?? '';
            let path = imageLocation(settings, key);
            if (out !== undefined) {
              path = join(out, `${candidate.thumbnail.variant}.jpg`);
              await copyImage(host.blobs, key, path);
            }
            result.push({ candidate, path });
          }
          return result;
        },
        setup.options,
      );
      if (settings.json) {
        printJson(
          io,
          rows.map(({ candidate, path }) => ({ ...candidate, path })),
        );
        return;
      }
      if (rows.length === 0) {
        printLine(io, 'No candidates: the video gave no distinct frames');
        return;
      }
      printLine(io, candidatesTable(rows));
      printLine(io, `Select one with: ${CLI_COMMAND} thumbnails select ${taskId} <ID>`);
    });

  thumbnails
    .command('rm')
    .alias('delete')
    .argument('<thumbnail>', 'thumbnail id')
    .description('delete a thumbnail and its stored image')
    .action(async (thumbnailId: string, _options: unknown, command: Command) => {
      const settings = settingsOf(command, io);
      const removed = await withVBuckets(settings, (vbuckets) =>
        unwrap(vbuckets.thumbnails.remove(settings.scope, thumbnailId)),
      );
      if (settings.json) printJson(io, removed);
      else
        printLine(io, `Deleted thumbnail ${removed.thumbnail.id} (${removed.thumbnail.variant})`);
    });
}

const IMAGE_TYPES = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
} as const;

async function readImage(path: string) {
  const extension = path.split('.').pop()?.toLowerCase() ?? '';
  const contentType = IMAGE_TYPES[extension as keyof typeof IMAGE_TYPES];
  if (contentType === undefined) {
    throw new InvalidArgumentError(`--image ${path}: expected a .jpg, .png or .webp file`);
  }
  return { body: new Uint8Array(await readFile(path)), contentType };
}
