import type { CategorizeProgressEvent, CategorizeStage } from '@vbuckets/core';
import { type CliOutput, widthOf } from '../io';
import { formatConfidence } from './results-text';

export interface ProgressOptions {
  /** Print nothing at all. */
  quiet: boolean;
  /** Said once, on the first event, with the session id: `categorizing 6 videos with keyword`. */
  describe: (total: number) => string;
  /** Rows already finished before this run (a resume or retry), so the bar starts there. */
  alreadyFinished?: number;
}

export interface ProgressDisplay {
  onProgress(event: CategorizeProgressEvent): void;
  /** Clears the live line; call once the batch has ended, however it ended. */
  finish(): void;
  /** The session id, once an event has named it. */
  readonly sessionId: string | undefined;
}

const STAGE_WORDS: Readonly<Record<CategorizeStage, string>> = {
  stored: 'stored',
  uploading: 'uploading',
  processing: 'processing',
  analyzing: 'analyzing',
  categorizing: 'categorizing',
  done: 'done',
  failed: 'failed',
};

const BAR_WIDTH = 12;
const CLEAR_LINE = '\r\u001b[2K';

/**
 * Progress on stderr. On a terminal, one line redrawn in place:
 * `[3/6] clip.mp4 — analyzing ▕████░░░░▏ 2/6 finished`. Elsewhere (pipes, CI, tests) one plain
 * line per step of a video: `[3/6] clip.mp4: analyzing`, and on `done` where it went.
 */
export function createProgressDisplay(
  output: CliOutput,
  options: ProgressOptions,
): ProgressDisplay {
  const live = output.isTTY === true;
  let sessionId: string | undefined;
  let finished = options.alreadyFinished ?? 0;
  let drawn = false;

  const announce = (event: CategorizeProgressEvent) => {
    if (sessionId !== undefined) return;
    sessionId = event.sessionId;
    if (!options.quiet) output.write(`Session ${sessionId}: ${options.describe(event.total)}\n`);
  };

  return {
    get sessionId() {
      return sessionId;
    },
    onProgress(event) {
      announce(event);
      if (event.stage === 'done' || event.stage === 'failed') finished += 1;
      if (options.quiet) return;
      const position = `[${event.index + 1}/${event.total}]`;
      if (live) {
        const bar = progressBar(Math.min(finished, event.total), event.total);
        const line = `${position} ${event.filename} — ${STAGE_WORDS[event.stage]} ${bar} ${Math.min(finished, event.total)}/${event.total} finished`;
        output.write(`${CLEAR_LINE}${fit(line, widthOf(output) - 1)}`);
        drawn = true;
        return;
      }
      output.write(`${position} ${event.filename}: ${stageDetail(event)}\n`);
    },
    finish() {
      if (drawn) output.write(CLEAR_LINE);
      drawn = false;
    },
  };
}

/** `done → Gut Health (87%)`, `failed — why`, `analyzing (retrying in 5 s …)`. */
function stageDetail(event: CategorizeProgressEvent): string {
  const word = STAGE_WORDS[event.stage];
  if (event.stage === 'done' && event.result !== undefined) {
    const { bucketName, confidence } = event.result;
    return bucketName === null
      ? `${word} → no bucket fits (${formatConfidence(confidence)})`
      : `${word} → ${bucketName} (${formatConfidence(confidence)})`;
  }
  if (event.stage === 'failed') return `${word} — ${oneLine(event.message ?? 'failed')}`;
  return event.message === undefined ? word : `${word} (${oneLine(event.message)})`;
}

/** `▕████░░░░▏`: `done` of `total` in eighths-free blocks, so any terminal font draws it. */
export function progressBar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `▕${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}▏`;
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
