import { type CliOutput, widthOf } from '../io';
import { progressBar } from './progress';
import { formatBytes } from './video-text';

export interface UploadProgressOptions {
  /** Print nothing at all. */
  quiet: boolean;
  /** What is going where: `clip.mp4 → youtube`. */
  label: string;
}

export interface UploadProgressDisplay {
  onProgress(sentBytes: number, totalBytes: number): void;
  /** Clears the live line; call once the upload has ended, however it ended. */
  finish(): void;
}

/** Below this size an upload is over before a bar would tell anything: no plain lines. */
export const LONG_UPLOAD_BYTES = 4 * 1024 * 1024;

const CLEAR_LINE = '\r\u001b[2K';
const MILESTONES = [25, 50, 75, 100];

/**
 * Upload progress on stderr. On a terminal, one line redrawn in place whenever the whole
 * percentage changes: `clip.mp4 → youtube ▕██████░░░░░░▏ 50% 2.0 MB of 4.0 MB`. Elsewhere
 * (pipes, CI, tests) at most four plain lines, at 25, 50, 75 and 100 %, and only for uploads
 * of at least {@link LONG_UPLOAD_BYTES}: a log gets a heartbeat, not a line per chunk.
 */
export function createUploadProgress(
  output: CliOutput,
  options: UploadProgressOptions,
): UploadProgressDisplay {
  const live = output.isTTY === true;
  let drawnPercent = -1;
  let drawn = false;
  let nextMilestone = 0;

  return {
    onProgress(sentBytes, totalBytes) {
      if (options.quiet) return;
      const sent = Math.min(Math.max(0, sentBytes), totalBytes);
      const percent = totalBytes === 0 ? 100 : Math.floor((sent / totalBytes) * 100);
      const amount = `${percent}% ${formatBytes(sent)} of ${formatBytes(totalBytes)}`;
      if (live) {
        if (percent === drawnPercent) return;
        drawnPercent = percent;
        const line = `${options.label} ${progressBar(sent, totalBytes)} ${amount}`;
        output.write(`${CLEAR_LINE}${fit(line, widthOf(output) - 1)}`);
        drawn = true;
        return;
      }
      if (totalBytes < LONG_UPLOAD_BYTES) return;
      let reached: number | undefined;
      while (nextMilestone < MILESTONES.length && percent >= (MILESTONES[nextMilestone] ?? 101)) {
        reached = MILESTONES[nextMilestone];
        nextMilestone += 1;
      }
      if (reached !== undefined) output.write(`${options.label}: ${amount}\n`);
    },
    finish() {
      if (drawn) output.write(CLEAR_LINE);
      drawn = false;
    },
  };
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
