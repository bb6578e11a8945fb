import { appendFileSync } from 'node:fs';
import { type CategorizationProvider, cancelledError } from '@vbuckets/core';
import { timerSleep, type VideoAnalyzer } from '@vbuckets/core/adapter-kit';
import { ResultAsync } from 'neverthrow';
import type { CliIo } from './io';

/**
 * Test hook, not a feature: `VBUCKETS_CLI_TEST_DELAY_MS` makes every analyzer call wait that
 * many milliseconds first (the wait ends early on Ctrl-C), so a test can kill a batch of the
 * instant keyword provider while it is mid-way. Undocumented for users on purpose.
 */
export const TEST_DELAY_ENV = 'VBUCKETS_CLI_TEST_DELAY_MS';

/**
 * Test hook, not a feature: `VBUCKETS_CLI_TEST_CALL_LOG` names a file that every analyzer call
 * appends `<filename> <pid>` to as it starts, so that a test across processes can count how
 * often each video reached the provider. Undocumented for users on purpose.
 */
export const TEST_CALL_LOG_ENV = 'VBUCKETS_CLI_TEST_CALL_LOG';

/** The provider with the test hooks its environment turns on (itself when none is). */
export function withTestHooks(
  provider: CategorizationProvider,
  env: CliIo['env'],
): CategorizationProvider {
  const delayMs = testDelayMs(env);
  const logPath = env[TEST_CALL_LOG_ENV]?.trim() || undefined;
  if (delayMs === undefined && logPath === undefined) return provider;
  const { analyzer } = provider;
  const before = (filename: string, signal: AbortSignal | undefined) => {
    if (logPath !== undefined) appendFileSync(logPath, `${filename} ${process.pid}\n`);
    return ResultAsync.fromPromise(
      (delayMs === undefined ? Promise.resolve() : timerSleep(delayMs, signal)).then(() =>
        signal?.throwIfAborted(),
      ),
      (error) =>
        cancelledError('The call was aborted during the test delay', {
          cause: error,
          adapter: 'test-delay',
        }),
    );
  };
  const hooked: VideoAnalyzer = {
    specificationVersion: 'v1',
    provider: analyzer.provider,
    analyze: (video, options) =>
      before(video.filename, options?.signal).andThen(() => analyzer.analyze(video, options)),
  };
  const combined = analyzer.analyzeAndCategorize;
  if (combined !== undefined) {
    hooked.analyzeAndCategorize = (video, buckets, options) =>
      before(video.filename, options?.signal).andThen(() =>
        combined.call(analyzer, video, buckets, options),
      );
  }
  return { ...provider, analyzer: hooked };
}

function testDelayMs(env: CliIo['env']): number | undefined {
  const raw = env[TEST_DELAY_ENV]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const delay = Number(raw);
  return Number.isFinite(delay) && delay > 0 ? delay : undefined;
}
