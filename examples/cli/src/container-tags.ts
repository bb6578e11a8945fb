import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The container tags that say what a video is about, as `ffprobe` reports them. Tags that
 * describe the file rather than its content (`encoder`, `major_brand`, `creation_time`) are
 * left out, and so is `artist`: a creator's name is no evidence of a topic, and a bucket
 * would match it only by accident.
 */
export interface ContainerTags {
  title?: string;
  comment?: string;
  description?: string;
  synopsis?: string;
  keywords?: string;
}

/** The tags read, in the order their text is appended to a video's known text. */
export const CONTENT_TAGS = ['title', 'description', 'synopsis', 'comment', 'keywords'] as const;

export interface ReadContainerTagsOptions {
  /** The ffprobe binary; else `FFPROBE_PATH` from `env`, else `ffprobe` on the PATH. */
  ffprobePath?: string;
  /** How long ffprobe may run before it is killed and no tags are returned (default 5000). */
  timeoutMs?: number;
  /** Where `FFPROBE_PATH` is looked up (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Kills ffprobe on abort (Ctrl-C), which then returns no tags at once. */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 5000;
// ffprobe's JSON of a few tags is tiny; anything far larger is not worth holding in memory.
const MAX_OUTPUT_BYTES = 1024 * 1024;
const MAX_TAG_CHARS = 10_000;

/**
 * Reads a video's content tags (title, description, synopsis, comment, keywords; any case,
 * so Matroska's `COMMENT` counts) with `ffprobe -show_entries format_tags`. Tags are optional
 * evidence, so this never rejects: without ffprobe (ENOENT), when it fails (a corrupt or
 * non-video file; the pipeline's own type checks report those), when it runs past
 * `timeoutMs` (it is killed) or prints something unexpected, the answer is `{}`.
 */
export function readContainerTags(
  path: string,
  options: ReadContainerTagsOptions = {},
): Promise<ContainerTags> {
  const env = options.env ?? process.env;
  const binary = nonEmpty(options.ffprobePath) ?? nonEmpty(env.FFPROBE_PATH) ?? 'ffprobe';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // An absolute path, so that ffprobe reads it as a file: never an option (`-x`) or a
  // protocol (`concat:…`, `http:…`).
  const args = ['-v', 'error', '-print_format', 'json', '-show_entries', 'format_tags'];
  args.push(resolve(path));

  return new Promise<ContainerTags>((done) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (tags: ContainerTags) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(tags);
    };

    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(binary, args, {
        stdio: ['ignore', 'pipe', 'ignore'],
        windowsHide: true,
        ...(options.signal === undefined ? {} : { signal: options.signal, killSignal: 'SIGKILL' }),
      });
    } catch {
      // Invalid arguments (a NUL in the path, say) throw synchronously.
      done({});
      return;
    }
    const stop = () => {
      child.kill('SIGKILL');
      finish({});
    };
    const timer = setTimeout(stop, timeoutMs);

    child.stdout?.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) stop();
      else chunks.push(chunk);
    });
    // ENOENT (no ffprobe), EACCES: no tags.
    child.on('error', () => finish({}));
    child.on('close', (code) => {
      finish(code === 0 ? parseTags(Buffer.concat(chunks).toString('utf8')) : {});
    });
  });
}

/** The tags' text for known text: one value a line, in `CONTENT_TAGS` order, each once. */
export function containerTagsText(tags: ContainerTags): string {
  const values: string[] = [];
  for (const name of CONTENT_TAGS) {
    const value = tags[name];
    if (value !== undefined && !values.includes(value)) values.push(value);
  }
  return values.join('\n');
}

function parseTags(output: string): ContainerTags {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return {};
  }
  const raw = isRecord(parsed) && isRecord(parsed.format) ? parsed.format.tags : undefined;
  if (!isRecord(raw)) return {};
  const tags: ContainerTags = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = CONTENT_TAGS.find((candidate) => candidate === key.toLowerCase());
    if (name === undefined || tags[name] !== undefined || typeof value !== 'string') continue;
    const text = value.trim().slice(0, MAX_TAG_CHARS);
    if (text !== '') tags[name] = text;
  }
  return tags;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
