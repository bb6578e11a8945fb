import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeywordProvider, KEYWORD_PROVIDER } from '@vbuckets/core';
import { createLocalBlobStore } from '@vbuckets/fs';
import { afterAll, beforeAll, expect } from 'vitest';
import type { CreateAppOptions } from '../src/app';
import { type StoreKind, startTestHost, type TestHost, tokenFor } from './host';

export const PRODUCT = 'serum';

/** Buckets the keyword categorizer tells apart by the clips' transcripts. */
export const BUCKETS = [
  {
    name: 'Gut Health',
    bestFor: 'Bloating and digestion stories',
    painPoints: ['Bloated after every lunch', 'Digestion that ruins the afternoon'],
    keyCopyHooks: ['Your gut is talking'],
  },
  {
    name: 'Energy & Focus',
    bestFor: 'The 3pm crash, coffee swaps, deep work',
    painPoints: ['The afternoon crash', 'Jittery after the second coffee'],
    keyCopyHooks: ['Steady energy without the jitters'],
  },
  {
    name: 'Sleep',
    bestFor: 'Insomnia, lying awake at night, bedtime routines',
    painPoints: ['Lying awake at 3am', 'Waking up tired'],
    keyCopyHooks: ['Fall asleep, stay asleep'],
  },
] as const;

/** One clip of an upload: its bytes, an optional sidecar transcript, the bucket it belongs in. */
export interface Clip {
  filename: string;
  bytes: Uint8Array;
  sidecar?: { filename: string; text: string };
  bucket: string | null;
}

/**
 * Bytes that sniff as MP4 (an ISO-BMFF `ftyp` box) padded with a pattern of `seed`: what the
 * keyword categorizer needs (it reads the transcript, never the pixels), at any size.
 */
export function videoBytes(seed: number, size = 4096): Uint8Array {
  const head = [0, 0, 0, 0x18, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')];
  const bytes = new Uint8Array(Math.max(size, head.length));
  bytes.set(head);
  for (let index = head.length; index < bytes.length; index += 1) {
    bytes[index] = (index * 31 + seed * 17 + 7) % 251;
  }
  return bytes;
}

/** Four clips: three with transcripts that name a bucket's pains, one that fits none. */
export function sampleClips(seed = 1): Clip[] {
  return [
    {
      filename: 'bloated-after-lunch.mp4',
      bytes: videoBytes(seed * 10 + 1),
      sidecar: {
        filename: 'bloated-after-lunch.srt',
        text: '1\n00:00:00,000 --> 00:00:02,000\nI was bloated after every lunch; my digestion finally calmed down. My gut is talking.\n',
      },
      bucket: 'Gut Health',
    },
    {
      filename: 'afternoon-crash.mov',
      bytes: videoBytes(seed * 10 + 2),
      sidecar: {
        filename: 'afternoon-crash.en.vtt',
        text: 'WEBVTT\n\n00:00.000 --> 00:02.000\nThe 3pm afternoon crash is gone: steady energy, no jitters after coffee.\n',
      },
      bucket: 'Energy & Focus',
    },
    {
      filename: 'awake-at-3am.mp4',
      bytes: videoBytes(seed * 10 + 3),
      sidecar: {
        filename: 'awake-at-3am.txt',
        text: 'Lying awake at 3am again. Now I fall asleep and stay asleep; no more waking up tired.',
      },
      bucket: 'Sleep',
    },
    { filename: 'unboxing.mp4', bytes: videoBytes(seed * 10 + 4), bucket: null },
  ];
}

/** The multipart form of an upload: each clip as a `videos` part, its sidecar beside it. */
export function categorizeForm(
  clips: readonly Clip[],
  fields: Record<string, string> = {},
): FormData {
  const form = new FormData();
  for (const clip of clips) {
    form.append('videos', new Blob([clip.bytes], { type: 'video/mp4' }), clip.filename);
    if (clip.sidecar !== undefined) {
      form.append(
        'transcripts',
        new Blob([clip.sidecar.text], { type: 'text/plain' }),
        clip.sidecar.filename,
      );
    }
  }
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

/** The offline keyword categorizer, unthrottled, as the SDK's `keyword` provider. */
export function keywordProviders() {
  return {
    [KEYWORD_PROVIDER]: { ...createKeywordProvider(), requestsPerMinute: Number.POSITIVE_INFINITY },
  };
}

/** A host whose SDK has the offline keyword categorizer, its own blob folder (given to the app for ZIPs) and upload folder. */
export async function startCategorizeHost(
  kind: StoreKind,
  options: Partial<Omit<CreateAppOptions, 'vbuckets' | 'auth'>> & { withBlobs?: boolean } = {},
) {
  const folders = mkdtempSync(join(tmpdir(), 'vbuckets-express-categorize-'));
  const blobsDir = join(folders, 'blobs');
  const tempDir = mkdtempSync(join(folders, 'uploads-'));
  const blobs = createLocalBlobStore({ root: blobsDir });
  const { withBlobs = true, ...appOptions } = options;
  const host = await startTestHost(kind, {
    tempDir,
    ssePollMs: 50,
    ...(withBlobs ? { blobs } : {}),
    ...appOptions,
    vbucketsOptions: { blobs, providers: keywordProviders() },
  });
  return {
    host,
    blobs,
    blobsDir,
    tempDir,
    async close() {
      await host.close();
      rmSync(folders, { recursive: true, force: true });
    },
  };
}

/** A host of a suite, with the owner's token and the sample buckets' ids (set in `beforeAll`). */
export interface CategorizeSuite {
  context: Awaited<ReturnType<typeof startCategorizeHost>>;
  host: TestHost;
  /** `ana` of `acme`, who made the buckets. */
  owner: string;
  buckets: Record<string, string>;
}

/** Starts a categorize host for the suite with the sample buckets, and closes it after. */
export function useCategorizeHost(
  kind: StoreKind,
  options: Parameters<typeof startCategorizeHost>[1] = {},
): CategorizeSuite {
  const suite = {} as CategorizeSuite;
  beforeAll(async () => {
    suite.context = await startCategorizeHost(kind, options);
    suite.host = suite.context.host;
    suite.owner = await tokenFor({ userId: 'ana', orgId: 'acme' });
    suite.buckets = await createBuckets(suite.host, suite.owner);
  });
  afterAll(() => suite.context.close());
  return suite;
}

/** Creates the sample buckets of a product; their ids by name. */
export async function createBuckets(
  host: TestHost,
  token: string,
  productId = PRODUCT,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const bucket of BUCKETS) {
    const created = await host.call('/api/v1/buckets', {
      method: 'POST',
      token,
      json: { productId, ...bucket },
    });
    expect(created.status).toBe(201);
    ids[bucket.name] = ((await created.json()) as { id: string }).id;
  }
  return ids;
}

/** Uploads clips to be categorized; the response as it came. */
export function upload(
  host: TestHost,
  token: string | undefined,
  clips: readonly Clip[],
  fields: Record<string, string> = {},
  productId = PRODUCT,
) {
  return host.call(`/api/v1/products/${productId}/categorize`, {
    method: 'POST',
    ...(token === undefined ? {} : { token }),
    body: categorizeForm(clips, fields),
  });
}

/** Every file under a folder (recursively): what a refused upload must leave behind (none). */
export function filesUnder(folder: string): string[] {
  try {
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/** The row shape the tests read. */
export interface RowView {
  id: string;
  filename: string;
  status: string;
  bucketName: string | null;
  videoId: string | null;
  isUploaded: boolean;
}

export interface RunView {
  session: { id: string; productId: string; counts: Record<string, number> };
  rows: RowView[];
  job?: { kind: string; id: string };
}
