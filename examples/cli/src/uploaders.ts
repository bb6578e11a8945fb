import { join, resolve } from 'node:path';
import { validationError } from '@vbuckets/core';
import type { MetricsSource, PlatformUploader } from '@vbuckets/core/adapter-kit';
import {
  createInstagramMetricsSource,
  createInstagramReelsUploader,
  createLocalDirectoryUploader,
  createMetaAdVideoMetricsSource,
  createMetaAdVideoUploader,
  createTikTokMetricsSource,
  createTikTokUploader,
  createWebhookUploader,
  createYouTubeMetricsSource,
  createYouTubeUploader,
} from '@vbuckets/uploaders';
import type { CliIo } from './io';
import { explainUploaderSettings } from './settings-errors';

/** The folder inside the data dir that the `local` platform copies videos into by default. */
export const PUBLISHED_DIR = 'published';

type Env = CliIo['env'];

/** Where the uploaders work: the data dir, the working directory, and whether blobs have URLs. */
export interface UploaderPlace {
  dataDir: string;
  cwd: string;
  /** True when the blob store presigns URLs (S3 storage): platforms that fetch the video need it. */
  givesUrls: boolean;
}

/** A platform the CLI can post to and the environment variables that turn it on. */
export interface UploadPlatform {
  name: string;
  /** All must be set for the platform to be available. */
  required: readonly string[];
  /** Tuning read when present. */
  optional: readonly string[];
  /** The platform fetches the video from a URL, so it needs a blob store that presigns. */
  needsUrls?: boolean;
  create(env: Env, where: UploaderPlace): PlatformUploader;
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
    optional: ['VBUCKETS_TIKTOK_BASE_URL', 'VBUCKETS_TIKTOK_POST_MODE'],
    create: (env) => {
      const mode = value(env, 'VBUCKETS_TIKTOK_POST_MODE');
      return createTikTokUploader({
        accessToken: tokenOf(env, 'TIKTOK_ACCESS_TOKEN'),
        ...baseUrlOf(env, 'VBUCKETS_TIKTOK_BASE_URL'),
        // Checked by the uploader: anything but inbox or direct is a settings error naming mode.
        ...(mode === undefined ? {} : { mode: mode.toLowerCase() as 'inbox' | 'direct' }),
      });
    },
  },
  {
    name: 'instagram',
    required: ['INSTAGRAM_ACCESS_TOKEN', 'INSTAGRAM_USER_ID'],
    optional: ['VBUCKETS_INSTAGRAM_BASE_URL', 'VBUCKETS_INSTAGRAM_POLL_INTERVAL_MS'],
    needsUrls: true,
    create: (env) => {
      const pollInterval = value(env, 'VBUCKETS_INSTAGRAM_POLL_INTERVAL_MS');
      return createInstagramReelsUploader({
        accessToken: tokenOf(env, 'INSTAGRAM_ACCESS_TOKEN'),
        igUserId: value(env, 'INSTAGRAM_USER_ID') ?? '',
        ...baseUrlOf(env, 'VBUCKETS_INSTAGRAM_BASE_URL'),
        ...(pollInterval === undefined ? {} : { pollIntervalMs: Number(pollInterval) }),
      });
    },
  },
];

/** Why a platform that fetches the video from a URL is refused on the local blob store. */
function needsUrlsMessage(name: string): string {
  return `${name} needs video URLs: it fetches the video from a presigned URL, which the local blob store cannot give; keep videos in S3, R2 or MinIO with --storage s3://<bucket>`;
}

/** The place of the uploaders of a command. */
export function uploaderPlace(
  settings: { dataDir: string; storage: { kind: string } },
  io: Pick<CliIo, 'cwd'>,
): UploaderPlace {
  return { dataDir: settings.dataDir, cwd: io.cwd, givesUrls: settings.storage.kind === 's3' };
}

/** Platform names are lower-case; `--platform YouTube,tiktok` is two platforms. */
export function platformNames(values: readonly string[]): string[] {
  const names = values
    .flatMap((each) => each.split(','))
    .map((each) => each.trim().toLowerCase())
    .filter((each) => each !== '');
  return [...new Set(names)];
}

/**
 * The platforms whose environment variables are all set (`local` always); those that fetch
 * the video from a URL only when the blob store gives URLs.
 */
export function configuredPlatforms(env: Env, givesUrls = false): string[] {
  return UPLOAD_PLATFORMS.filter(
    (platform) =>
      (givesUrls || platform.needsUrls !== true) &&
      platform.required.every((name) => value(env, name) !== undefined),
  ).map((platform) => platform.name);
}

/**
 * The uploaders of these platforms, built from the environment; VALIDATION naming the
 * variables to set when a platform is unknown or not configured. An invalid value is refused
 * by the uploader's first call (before an upload is claimed), naming the variables too.
 */
export function uploadersFor(
  platforms: readonly string[],
  env: Env,
  where: UploaderPlace,
): PlatformUploader[] {
  return platforms.map((name) => {
    const platform = UPLOAD_PLATFORMS.find((each) => each.name === name);
    if (platform === undefined) {
      const known = UPLOAD_PLATFORMS.map((each) => each.name).join(', ');
      throw validationError(`Unknown platform "${name}" (known: ${known})`, { path: 'platform' });
    }
    if (platform.needsUrls === true && !where.givesUrls) {
      throw validationError(needsUrlsMessage(name), {
        path: 'platform',
        details: { platform: name },
      });
    }
    const missing = platform.required.filter((variable) => value(env, variable) === undefined);
    if (missing.length > 0) {
      throw validationError(
        `Platform ${name} is not configured: set ${missing.join(' and ')} in the environment`,
        { path: 'platform', details: { platform: name, missing } },
      );
    }
    // An uploader refuses bad settings from its first call (validateMetadata, before anything
    // is claimed); the environment is where they came from, so name its variables.
    const variables = [...platform.required, ...platform.optional].join(', ');
    return explainUploaderSettings(
      platform.create(env, where),
      (message) => `Platform ${name} is misconfigured (check ${variables}): ${message}`,
    );
  });
}

/** Every configured platform's uploader (for retries of whatever is due). */
export function configuredUploaders(env: Env, where: UploaderPlace): PlatformUploader[] {
  return uploadersFor(configuredPlatforms(env, where.givesUrls), env, where);
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

/**
 * Where `segments sync` reads metrics: each platform's read API with the same token and API
 * root as its uploader (Meta needs no ad account to read a video's insights).
 */
const METRICS_PLATFORMS: ReadonlyArray<{
  name: string;
  token: string;
  baseUrl: string;
  create: (settings: { accessToken: () => string; baseURL?: string }) => MetricsSource;
}> = [
  {
    name: 'youtube',
    token: 'YOUTUBE_ACCESS_TOKEN',
    baseUrl: 'VBUCKETS_YOUTUBE_BASE_URL',
    create: createYouTubeMetricsSource,
  },
  {
    name: 'tiktok',
    token: 'TIKTOK_ACCESS_TOKEN',
    baseUrl: 'VBUCKETS_TIKTOK_BASE_URL',
    create: createTikTokMetricsSource,
  },
  {
    name: 'instagram',
    token: 'INSTAGRAM_ACCESS_TOKEN',
    baseUrl: 'VBUCKETS_INSTAGRAM_BASE_URL',
    create: createInstagramMetricsSource,
  },
  {
    name: 'meta',
    token: 'META_ACCESS_TOKEN',
    baseUrl: 'VBUCKETS_META_BASE_URL',
    create: createMetaAdVideoMetricsSource,
  },
];

/** Why `segments sync` cannot read a platform's metrics: the token to set, or none exists. */
export function metricsUnconfigured(platform: string): string {
  const known = METRICS_PLATFORMS.find((each) => each.name === platform);
  return known === undefined
    ? `no metrics API for ${platform} in the CLI (record its numbers with segments update)`
    : `set ${known.token} to read ${platform} metrics`;
}

/** The metrics sources of every platform whose token is set. */
export function configuredMetricsSources(env: Env): MetricsSource[] {
  return METRICS_PLATFORMS.filter((platform) => value(env, platform.token) !== undefined).map(
    (platform) =>
      platform.create({
        accessToken: tokenOf(env, platform.token),
        ...baseUrlOf(env, platform.baseUrl),
      }),
  );
}
