import type { ClaudeFrameAnalyzer } from '@vbuckets/anthropic';
import {
  type CategorizationProvider,
  createKeywordProvider,
  KEYWORD_PROVIDER,
  type VBucketsError,
  vbucketsError,
} from '@vbuckets/core';
import type { MediaProbe } from '@vbuckets/core/adapter-kit';
import { createMediaProbe } from '@vbuckets/media';
import { InvalidArgumentError } from 'commander';
import type { CliIo } from './io';
import { withTestHooks } from './provider-test-hooks';
import { loadAnthropic, loadGemini } from './vendors';

export const GEMINI_PROVIDER = 'gemini';
export const CLAUDE_PROVIDER = 'claude';
export const PROVIDER_NAMES = [GEMINI_PROVIDER, CLAUDE_PROVIDER, KEYWORD_PROVIDER] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The flags that pick and tune a provider (`categorize`, `resume`, `retry`). */
export interface ProviderOptions {
  provider?: ProviderName;
  rpm?: number;
}

/** A provider ready to register, and the sentence that tells the user which one runs. */
export interface ChosenProvider {
  name: ProviderName;
  provider: CategorizationProvider;
  notice: string;
}

/** The Gemini key from the environment the command was given (never `process.env` directly). */
export function geminiApiKey(env: CliIo['env']): string | undefined {
  const key = env.GEMINI_API_KEY?.trim() || env.GOOGLE_API_KEY?.trim();
  return key === undefined || key === '' ? undefined : key;
}

/** The Anthropic key from the environment the command was given. */
export function anthropicApiKey(env: CliIo['env']): string | undefined {
  return nonEmpty(env.ANTHROPIC_API_KEY);
}

/** The Claude model: VBUCKETS_CLAUDE_MODEL, else the adapter's default. */
export async function claudeModel(env: CliIo['env']): Promise<string> {
  return nonEmpty(env.VBUCKETS_CLAUDE_MODEL) ?? (await loadAnthropic()).DEFAULT_CLAUDE_MODEL;
}

/**
 * Claude's frame analyzer with the environment's key, model (VBUCKETS_CLAUDE_MODEL) and API
 * root (ANTHROPIC_BASE_URL), read from the command's environment rather than `process.env`.
 */
export async function createCliClaude(
  env: CliIo['env'],
  { apiKey, mediaProbe, rpm }: { apiKey: string; mediaProbe: MediaProbe; rpm?: number },
): Promise<ClaudeFrameAnalyzer> {
  const baseURL = nonEmpty(env.ANTHROPIC_BASE_URL);
  const { createClaudeFrameAnalyzer } = await loadAnthropic();
  return createClaudeFrameAnalyzer({
    apiKey,
    model: await claudeModel(env),
    mediaProbe,
    ...(baseURL === undefined ? {} : { baseURL }),
    ...(rpm === undefined ? {} : { requestsPerMinute: rpm }),
  });
}

/**
 * `--provider`, else Gemini when GEMINI_API_KEY (or GOOGLE_API_KEY) is set, else the offline
 * keyword categorizer; Claude only when asked for. Asking for Gemini or Claude without its key
 * is UNAUTHENTICATED before anything runs.
 */
export async function chooseProvider(options: ProviderOptions, io: CliIo): Promise<ChosenProvider> {
  const apiKey = geminiApiKey(io.env);
  const name: ProviderName = options.provider ?? (apiKey === undefined ? 'keyword' : 'gemini');
  let chosen: ChosenProvider;
  if (name === GEMINI_PROVIDER) {
    if (apiKey === undefined) {
      throw vbucketsError(
        'UNAUTHENTICATED',
        'The gemini provider needs an API key: set GEMINI_API_KEY (or use --provider keyword, which works offline)',
      );
    }
    const model = nonEmpty(io.env.VBUCKETS_GEMINI_MODEL);
    const baseURL = nonEmpty(io.env.VBUCKETS_GEMINI_BASE_URL);
    const { createGemini } = await loadGemini();
    const gemini = createGemini({
      apiKey,
      ...(model === undefined ? {} : { model }),
      ...(baseURL === undefined ? {} : { baseURL }),
      ...(options.rpm === undefined ? {} : { requestsPerMinute: options.rpm }),
      // Warnings (a remote file left behind) go to stderr as one line, not through console.
      onWarning: (warning: VBucketsError) => io.stderr.write(`warning: ${warning.message}\n`),
    });
    const rate = options.rpm ?? 9;
    chosen = {
      name,
      provider: gemini,
      notice:
        options.provider === undefined
          ? `Using Gemini (${keyVariable(io.env)} is set), ${rate} requests/min; --provider keyword works offline`
          : `Using Gemini, ${rate} requests/min`,
    };
  } else if (name === CLAUDE_PROVIDER) {
    const claudeKey = anthropicApiKey(io.env);
    if (claudeKey === undefined) {
      throw vbucketsError(
        'UNAUTHENTICATED',
        'The claude provider needs an API key: set ANTHROPIC_API_KEY (or use --provider keyword, which works offline)',
      );
    }
    // Frames come from ffmpeg; where it is missing each video fails with a MEDIA error row.
    const mediaProbe = createMediaProbe({ env: { ...io.env } });
    chosen = {
      name,
      provider: await createCliClaude(io.env, {
        apiKey: claudeKey,
        mediaProbe,
        ...(options.rpm === undefined ? {} : { rpm: options.rpm }),
      }),
      notice: `Using Claude (${await claudeModel(io.env)}), ${options.rpm ?? 9} requests/min`,
    };
  } else {
    chosen = {
      name,
      provider: {
        ...createKeywordProvider(),
        requestsPerMinute: options.rpm ?? Number.POSITIVE_INFINITY,
      },
      notice:
        options.provider === undefined
          ? 'Using the offline keyword categorizer (no GEMINI_API_KEY set; set it to use Gemini)'
          : 'Using the offline keyword categorizer',
    };
  }
  return { ...chosen, provider: withTestHooks(chosen.provider, io.env) };
}

function keyVariable(env: CliIo['env']): string {
  return env.GEMINI_API_KEY?.trim() ? 'GEMINI_API_KEY' : 'GOOGLE_API_KEY';
}

/** `--provider`'s parser: exit 2 for anything but the known names. */
export function parseProviderName(value: string): ProviderName {
  const name = value.trim().toLowerCase();
  if ((PROVIDER_NAMES as readonly string[]).includes(name)) return name as ProviderName;
  throw new InvalidArgumentError(`Expected one of: ${PROVIDER_NAMES.join(', ')}.`);
}

/** `--rpm`'s parser: a positive number of requests per minute. */
export function parseRequestsPerMinute(value: string): number {
  const number = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError('Expected a positive number of requests per minute.');
  }
  return number;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
