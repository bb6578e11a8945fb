// Shared set-up of the categorize service tests (not part of the package's exports).
import { createVBuckets } from '../../../src/create-vbuckets';
import type { VideoType } from '../../../src/domain/media-types/sniff-content';
import { videoTypeFromFilename } from '../../../src/domain/media-types/video-types';
import type { Sleep } from '../../../src/domain/rate-limit/sleep';
import type { Store } from '../../../src/ports/store';
import type { CategorizerAnswer } from '../../../src/ports/video-analyzer';
import type { Bucket } from '../../../src/schemas/bucket';
import type {
  CategorizationProvider,
  CategorizeFile,
  CategorizeProgressEvent,
  CategorizeSettings,
} from '../../../src/services/categorize/categorize-types';
import {
  createFakeBucketCategorizer,
  createFakeVideoAnalyzer,
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
  makeVideoAnalysis,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

export const acme = { orgId: 'acme' };
export const globex = { orgId: 'globex' };
export const PRODUCT = 'product-1';
export const START = '2026-02-18T10:00:00.000Z';

/** The answer a fake model gives, read from the filename: `gut…` and `energy…` fit, others do not. */
export function answerFor(text: string): CategorizerAnswer {
  if (text.includes('weak'))
    return { bucketName: 'Gut Health', confidence: 0.1, reasoning: 'faint' };
  if (text.includes('gut'))
    return { bucketName: 'Gut Health', confidence: 0.9, reasoning: 'digestion' };
  if (text.includes('energy')) {
    return { bucketName: 'energy & focus', confidence: 0.8, reasoning: 'focus talk' };
  }
  if (text.includes('alien')) return { bucketName: 'Space', confidence: 0.95, reasoning: 'stars' };
  return { bucketName: null, confidence: 0.5, reasoning: 'no fit' };
}

/** A provider whose analyzer does both in one request. */
export function combinedProvider(extra: Partial<CategorizationProvider> = {}) {
  const analyzer = createFakeVideoAnalyzer({
    combined: true,
    fallbackCombined: (call) => ({
      analysis: makeVideoAnalysis({
        summary: `about ${call.video.filename}`,
        transcript: call.video.knownText ?? '',
      }),
      answer: answerFor(call.video.filename),
    }),
  });
  return {
    analyzer,
    provider: { analyzer, requestsPerMinute: Number.POSITIVE_INFINITY, ...extra },
  };
}

/** A provider that needs two requests: analyze, then categorize. */
export function separateProvider(extra: Partial<CategorizationProvider> = {}) {
  const analyzer = createFakeVideoAnalyzer({
    fallbackAnalysis: (call) =>
      makeVideoAnalysis({ summary: `about ${call.video.filename}`, transcript: 'words' }),
  });
  const categorizer = createFakeBucketCategorizer({
    fallback: (call) => answerFor(call.analysis.summary),
  });
  return {
    analyzer,
    categorizer,
    provider: {
      analyzer,
      categorizer,
      requestsPerMinute: Number.POSITIVE_INFINITY,
      ...extra,
    } satisfies CategorizationProvider,
  };
}

export interface SetupOptions {
  providers?: Record<string, CategorizationProvider>;
  categorize?: CategorizeSettings;
  store?: Store;
  bucketNames?: string[];
}

export async function setup(options: SetupOptions = {}) {
  const clock = createManualClock(START);
  const sleeps: number[] = [];
  // Lets runnable work go first, as a timer would, then moves the fake clock.
  const sleep: Sleep = async (milliseconds, signal) => {
    sleeps.push(milliseconds);
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!signal?.aborted) clock.advance(milliseconds);
  };
  const store = options.store ?? createMemoryStore();
  const blobs = createMemoryBlobStore();
  const ids = createSequentialIdGenerator('id');
  const vb = createVBuckets({
    store,
    blobs,
    clock,
    ids,
    providers: options.providers ?? { fake: combinedProvider().provider },
    categorize: { sleep, random: () => 0.5, ...options.categorize },
  })._unsafeUnwrap();
  const buckets: Bucket[] = [];
  for (const name of options.bucketNames ?? ['Gut Health', 'Energy & Focus']) {
    buckets.push((await vb.buckets.create(acme, { productId: PRODUCT, name }))._unsafeUnwrap());
  }
  return { vb, clock, store, blobs, ids, sleeps, buckets };
}

/** A file whose bytes sniff as `type` (by default from its extension); `seed` varies the content. */
export function videoFile(
  filename: string,
  options: { type?: VideoType; seed?: number; bytes?: Uint8Array; knownText?: string } = {},
): CategorizeFile {
  const type = options.type ?? videoTypeFromFilename(filename);
  const bytes =
    options.bytes ??
    (type === null
      ? new TextEncoder().encode(`not a video: ${filename}`)
      : sampleVideoBytes(type, options.seed ?? hashSeed(filename), 512));
  return {
    filename,
    body: () => bytes,
    ...(options.knownText === undefined ? {} : { knownText: options.knownText }),
  };
}

function hashSeed(text: string): number {
  let hash = 0;
  for (const character of text) hash = (hash * 31 + character.charCodeAt(0)) % 997;
  return hash;
}

/** Collects progress events; `stagesOf(name)` lists one file's stages in order. */
export function progressLog() {
  const events: CategorizeProgressEvent[] = [];
  return {
    events,
    onProgress: (event: CategorizeProgressEvent) => {
      events.push(event);
    },
    stagesOf: (filename: string) =>
      events.filter((event) => event.filename === filename).map((event) => event.stage),
  };
}
