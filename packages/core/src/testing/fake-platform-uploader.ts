import type {
  PlatformUploader,
  PlatformUploadOptions,
  UploadableVideo,
  UploadSuccess,
} from '../ports/platform-uploader';
import { createAnswerQueue, type ScriptedAnswer } from './answer-queue';

/** One recorded call of a fake uploader. */
export interface FakePlatformUploaderCall {
  video: UploadableVideo;
  metadata: Record<string, unknown>;
  options?: PlatformUploadOptions;
}

export interface FakePlatformUploaderSettings {
  /** The platform name (default `fake`). */
  platform?: string;
  /**
   * Answer once the queue is empty; without one, that is a final `PROVIDER` error. A function
   * answer can call `call.options.onCheckpoint` to act out a resumable upload.
   */
  fallback?: ScriptedAnswer<FakePlatformUploaderCall, UploadSuccess>;
}

/** A PlatformUploader that records its calls and answers from a scripted queue. */
export interface FakePlatformUploader extends PlatformUploader {
  /** Every call, in order (aborted ones included). */
  readonly calls: FakePlatformUploaderCall[];
  /** Queues answers for `upload`: successes, or errors such as a `RATE_LIMITED` with `retryAfterMs`. */
  queueUpload(...answers: ScriptedAnswer<FakePlatformUploaderCall, UploadSuccess>[]): void;
}

export function createFakePlatformUploader(
  settings: FakePlatformUploaderSettings = {},
): FakePlatformUploader {
  const platform = settings.platform ?? 'fake';
  const calls: FakePlatformUploaderCall[] = [];
  const answers = createAnswerQueue<FakePlatformUploaderCall, UploadSuccess>({
    label: `fake-platform-uploader(${platform}).upload`,
    errorCode: 'PROVIDER',
    fallback: settings.fallback === undefined ? undefined : { answer: settings.fallback },
  });
  return {
    specificationVersion: 'v1',
    platform,
    calls,
    queueUpload: (...queued) => answers.push(...queued),
    upload(video, metadata, options) {
      const call: FakePlatformUploaderCall = { video, metadata, options };
      calls.push(call);
      return answers.answer(call, options?.signal);
    },
  };
}
