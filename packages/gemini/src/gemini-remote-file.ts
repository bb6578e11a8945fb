import type { GoogleGenAI } from '@google/genai';
import { VBucketsError } from '@vbuckets/core';
import { withErrorSource } from '@vbuckets/core/adapter-kit';
import { requestSignal } from './gemini-client';
import { toGeminiError } from './gemini-error';
import type { ResolvedGeminiSettings } from './gemini-settings';
import type { GeminiRemoteFile } from './gemini-upload';

function seconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(1))} s`;
}

/**
 * Waits until the Files API has processed an upload: every `pollIntervalMs` a `files.get`
 * until the state is ACTIVE. FAILED is a final PROVIDER error with the server's reason; a file
 * still PROCESSING after `pollTimeoutMs` is a retryable PROVIDER error.
 */
export async function waitUntilActive(
  client: GoogleGenAI,
  file: GeminiRemoteFile,
  filename: string,
  settings: ResolvedGeminiSettings,
  signal: AbortSignal | undefined,
): Promise<GeminiRemoteFile> {
  const started = settings.clock.now();
  let current = file;
  let failure: string | undefined;
  while (true) {
    if (current.state === 'ACTIVE') return current;
    if (current.state === 'FAILED') {
      throw new VBucketsError(
        'PROVIDER',
        `Gemini could not process "${filename}" (${file.name} is FAILED): ${failure ?? 'no reason given'}`,
        { retryable: false, details: { file: file.name, state: 'FAILED', reason: failure } },
      );
    }
    const elapsed = settings.clock.now() - started;
    if (elapsed >= settings.pollTimeoutMs) {
      throw new VBucketsError(
        'PROVIDER',
        `"${filename}" is still ${current.state ?? 'PROCESSING'} after ${seconds(settings.pollTimeoutMs)} (${file.name})`,
        { retryable: true, details: { file: file.name, state: current.state } },
      );
    }
    try {
      await settings.sleep(
        Math.min(settings.pollIntervalMs, settings.pollTimeoutMs - elapsed),
        signal,
      );
      signal?.throwIfAborted();
    } catch (error) {
      throw toGeminiError(error, `Waiting for "${filename}" to be processed`, signal);
    }
    const action = `Checking the state of ${file.name} ("${filename}")`;
    try {
      const polled = await client.files.get({
        name: file.name,
        config: { abortSignal: requestSignal(settings, signal) },
      });
      current = {
        ...current,
        state: polled.state,
        uri: polled.uri ?? current.uri,
        mimeType: polled.mimeType ?? current.mimeType,
      };
      failure = polled.error?.message;
    } catch (error) {
      throw toGeminiError(error, action, signal);
    }
  }
}

/**
 * Deletes the remote copy. Never throws: the call's own result matters more, so a failure is
 * reported through `onWarning` (the Files API drops files after 48 hours anyway). Runs without
 * the caller's signal, so a cancelled call still cleans up.
 */
export async function deleteRemoteFile(
  client: GoogleGenAI,
  name: string,
  filename: string,
  settings: ResolvedGeminiSettings,
): Promise<void> {
  try {
    await client.files.delete({
      name,
      config: { abortSignal: requestSignal(settings, undefined) },
    });
  } catch (error) {
    const problem = withErrorSource(
      toGeminiError(error, `Deleting the remote file ${name} of "${filename}"`),
      { adapter: 'gemini', operation: 'files.delete' },
    );
    try {
      settings.onWarning(problem);
    } catch {
      // A throwing warning handler must not replace the call's result.
    }
  }
}
