import { resolve } from 'node:path';
import type { MediaProbe } from '@vbuckets/core/adapter-kit';
import { createMediaProbe } from '@vbuckets/media';

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
  /**
   * The probe to ask, so that the run that reads the tags also gives intake its duration and
   * streams (the CLI's shared probe); else one made of the options below.
   */
  probe?: MediaProbe;
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
const MAX_TAG_CHARS = 10_000;

/**
 * Reads a video's content tags (title, description, synopsis, comment, keywords; any case,
 * so Matroska's `COMMENT` counts) from the MediaProbe's answer. Tags are optional evidence, so
 * this never rejects: without ffprobe, when the probe fails (a corrupt or non-video file; the
 * pipeline's own checks report those) or runs past its time limit (ffprobe is killed), the
 * answer is `{}`.
 */
export async function readContainerTags(
  path: string,
  options: ReadContainerTagsOptions = {},
): Promise<ContainerTags> {
  const probe = options.probe ?? probeOf(options);
  // An absolute path, so that a relative one means the same to every caller of the probe.
  const probed = await probe.probe(
    resolve(path),
    options.signal === undefined ? {} : { signal: options.signal },
  );
  return probed.isOk() ? contentTags(probed.value.tags) : {};
}

function probeOf(options: ReadContainerTagsOptions): MediaProbe {
  const env = options.env ?? process.env;
  return createMediaProbe({
    ffprobePath: nonEmpty(options.ffprobePath) ?? nonEmpty(env.FFPROBE_PATH) ?? 'ffprobe',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
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

/** The content tags among a probe's (lower-cased) tags, trimmed; blank ones are left out. */
function contentTags(probed: Readonly<Record<string, string>>): ContainerTags {
  const tags: ContainerTags = {};
  for (const name of CONTENT_TAGS) {
    const text = probed[name]?.trim().slice(0, MAX_TAG_CHARS);
    if (text !== undefined && text !== '') tags[name] = text;
  }
  return tags;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
