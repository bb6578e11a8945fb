import { join, resolve } from 'node:path';
import { type PlatformUploader, validationError } from '@vbuckets/core';
import {
  createLocalDirectoryUploader,
  createMetaAdVideoUploader,
  createTikTokUploader,
  createWebhookUploader,
  createYouTubeUploader,
} from '@vbuckets/uploaders';
import type { CliIo } from './io';

/** The folder inside the data dir that the `local` platform copies videos into by default. */
export const PUBLISHED_DIR = 'published';

type Env = CliIo['env'];

/** A platform the CLI can post to and the environment variables that turn it on. */
export interface UploadPlatform {
  name: string;
  /** All must be set for the platform to be available. */
  required: readonly string[];
  /** Tuning read when present. */
  optional: readonly string[];
  create(env: Env, where: { dataDir: string; cwd: string }): PlatformUploader;
}

export const UPLOAD_PLATFORMS: readonly UploadPlatform[] = [
  {
    name: 'local',
    required: [],
    optional: ['VBUCKETS_PUBLISH_DIR'],
    create: (env, { dataDir, cwd }) =>
      createLocalDirectoryUploader({
        directory: resolve(cwd, value(env, 'VBUCKETS_PUBLISH_DIR') ?? join(dataDir, PUBLISHED_DIR)),
      }),
  },
  {
    name: 'webhook',
    required: ['VBUCKETS_WEBHOOK_URL', 'VBUCKETS_WEBHOOK_SECRET'],
    optional: [],
    create: (env) =>
      createWebhookUploader({
        url: value(env, 'VBUCKETS_WEBHOOK_URL') ?? '',
        secret: value(env, 'VBUCKETS_WEBHOOK_SECRET') ?? '',
      }),
  },
  {
    name: 'youtube',
    required: ['YOUTUBE_ACCESS_TOKEN'],
    optional: ['VBUCKETS_YOUTUBE_BASE_URL'],
    create: (env) =>
      createYouTubeUploader({
        accessToken: tokenOf(env, 'YOUTUBE_ACCESS_TOKEN'),
        ...baseUrlOf(env, 'VBUCKETS_YOUTUBE_BASE_URL'),
      }),
  },
  {
    name: 'meta',
    required: ['META_ACCESS_TOKEN', 'META_AD_ACCOUNT_ID'],
    optional: ['VBUCKETS_META_BASE_URL'],
    create: (env) =>
      createMetaAdVideoUploader({
        accessToken: tokenOf(env, 'META_ACCESS_TOKEN'),
        adAccountId: value(env, 'META_AD_ACCOUNT_ID') ?? '',
        ...baseUrlOf(env, 'VBUCKETS_META_BASE_URL'),
      }),
  },
  {
    name: 'tiktok',
    required: ['TIKTOK_ACCESS_TOKEN'],
    optional: ['VBUCKETS_TIKTOK_BASE_URL'],
    create: (env) =>
      createTikTokUploader({
        accessToken: tokenOf(env, 'TIKTOK_ACCESS_TOKEN'),
        ...baseUrlOf(env, 'VBUCKETS_TIKTOK_BASE_URL'),
      }),
  },
];

/** Platforms with an uploader in the SDK that the CLI leaves out, and why. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  instagram:
    'instagram is not available in the CLI: Instagram fetches the video from a public (presigned) URL, which the local blob store cannot give',
};

/** Platform names are lower-case; `--platform YouTube,tiktok` is two platforms. */
export function platformNames(values: readonly string[]): string[] {
  const names = values
    .flatMap((each) => each.split(','))
    .map((each) => each.trim().toLowerCase())
    .filter((each) => each !== '');
  return [...new Set(names)];
}

/** The platforms whose environment variables are all set (`local` always). */
export function configuredPlatforms(env: Env): string[] {
  return UPLOAD_PLATFORMS.filter((platform) =>
    platform.required.every((name) => value(env, name) !== undefined),
  ).map((platform) => platform.name);
}

/**
 * The uploaders of these platforms, built from the environment; VALIDATION naming the
 * variables to set when a platform is unknown or not configured, or when a value is invalid.
 */
export function uploadersFor(
  platforms: readonly string[],
  env: Env,
  where: { dataDir: string; cwd: string },
): PlatformUploader[] {
  return platforms.map((name) => {
    const platform = UPLOAD_PLATFORMS.find((each) => each.name === name);
    if (platform === undefined) {
      const known = UPLOAD_PLATFORMS.map((each) => each.name).join(', ');
      throw validationError(UNSUPPORTED[name] ?? `Unknown platform "${name}" (known: ${known})`, {
        path: 'platform',
      });
    }
    const missing = platform.required.filter((variable) => value(env, variable) === undefined);
    if (missing.length > 0) {
      throw validationError(
        `Platform ${name} is not configured: set ${missing.join(' and ')} in the environment`,
        { path: 'platform', details: { platform: name, missing } },
      );
    }
    try {
      return platform.create(env, where);
    } catch (error) {
      const variables = [...platform.required, ...platform.optional].join(', ');
      throw validationError(
        `Platform ${name} is misconfigured (check ${variables}): ${error instanceof Error ? error.message : String(error)}`,
        { path: 'platform', cause: error, details: { platform: name } },
      );
    }
  });
}

/** Every configured platform's uploader (for retries of whatever is due). */
export function configuredUploaders(
  env: Env,
  where: { dataDir: string; cwd: string },
): PlatformUploader[] {
  return uploadersFor(configuredPlatforms(env), env, where);
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function tokenOf(env: Env, name: string): () => string {
  const token = value(env, name) ?? '';
  return () => token;
}

function baseUrlOf(env: Env, name: string): { baseURL?: string } {
  const baseURL = value(env, name);
  return baseURL === undefined ? {} : { baseURL };
}
