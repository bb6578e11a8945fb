import { type ChildProcess, spawn } from 'node:child_process';
import type { VBucketsError } from '@vbuckets/core';
import {
  abortError,
  binaryError,
  cleanStderr,
  exitError,
  type MediaTool,
  outputTooLargeError,
  timeoutError,
} from './media-error';

/** Enough for any ffmpeg error report; more is noise we would not show anyway. */
export const MAX_STDERR_BYTES = 64 * 1024;
/** A ffprobe JSON or one JPEG frame is far below this; a runaway output is stopped here. */
export const MAX_STDOUT_BYTES = 32 * 1024 * 1024;

export interface RunRequest {
  tool: MediaTool;
  binary: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Milliseconds left for this process; the error names `timeoutMs` (the limit of the whole call). */
  remainingMs: number;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** Strings removed from stderr before it reaches a message (the input path). */
  redact: readonly string[];
  /** Working directory of the child (default ours). */
  cwd?: string;
}

export interface RunOutput {
  stdout: Buffer;
}

type Stop = { kind: 'timeout' } | { kind: 'abort'; reason: unknown } | { kind: 'overflow' };

/**
 * Runs one ffmpeg/ffprobe process to completion and returns its stdout; rejects with a
 * VBucketsError. On timeout, abort or runaway output the child gets SIGKILL and the promise
 * settles only once it has exited, so a caller never outlives its child.
 */
export function runMediaProcess(request: RunRequest): Promise<RunOutput> {
  const { tool, signal } = request;
  return new Promise<RunOutput>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(tool, signal.reason));
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(request.binary, [...request.args], {
        env: request.env,
        ...(request.cwd === undefined ? {} : { cwd: request.cwd }),
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      reject(binaryError(tool, request.binary, error));
      return;
    }

    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    const stderrChunks: Buffer[] = [];
    let stderrBytes = 0;
    let stop: Stop | undefined;
    let settled = false;
    let exited = false;

    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: VBucketsError) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(error);
    };
    const stopError = (reason: Stop): VBucketsError =>
      reason.kind === 'timeout'
        ? timeoutError(tool, request.timeoutMs)
        : reason.kind === 'abort'
          ? abortError(tool, reason.reason)
          : outputTooLargeError(tool, MAX_STDOUT_BYTES);
    const kill = (reason: Stop) => {
      if (stop !== undefined || settled) return;
      stop = reason;
      child.stdout?.destroy();
      child.stderr?.destroy();
      // Already reaped (between `exit` and `close`): nothing left to kill or wait for.
      if (exited) fail(stopError(reason));
      else child.kill('SIGKILL');
    };
    const onAbort = () => kill({ kind: 'abort', reason: signal?.reason });
    const timer = setTimeout(() => kill({ kind: 'timeout' }), Math.max(1, request.remainingMs));
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_STDOUT_BYTES) kill({ kind: 'overflow' });
      else stdoutChunks.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const room = MAX_STDERR_BYTES - stderrBytes;
      if (room <= 0) return;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      stderrChunks.push(kept);
      stderrBytes += kept.length;
    });
    // Destroyed pipes may report errors of their own; the exit status tells the story.
    child.stdout?.on('error', () => {});
    child.stderr?.on('error', () => {});

    child.on('error', (error) => {
      if (child.pid === undefined) fail(binaryError(tool, request.binary, error));
      else kill({ kind: 'abort', reason: error });
    });
    // After a kill, settle on `exit` (the child is reaped): a grandchild holding the pipes
    // open must not keep the call waiting for `close`.
    child.on('exit', () => {
      exited = true;
      if (stop !== undefined) fail(stopError(stop));
    });
    child.on('close', (code, exitSignal) => {
      if (stop !== undefined || settled) return;
      if (code !== 0) {
        const stderr = cleanStderr(Buffer.concat(stderrChunks).toString('utf8'), request.redact);
        fail(exitError(tool, { code, signal: exitSignal }, stderr));
        return;
      }
      settled = true;
      cleanup();
      resolve({ stdout: Buffer.concat(stdoutChunks) });
    });
  });
}
