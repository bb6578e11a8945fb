import type {
  Bucket,
  Categorization,
  Creative,
  GenerationTask,
  Scope,
  Segment,
  SocialUsage,
  Thumbnail,
  Video,
} from '@vbuckets/core';
import type { CategorizationSessionInsert } from '@vbuckets/core/adapter-kit';

// A fixed base keeps ordering tests readable: `timestamp(30)` is 30 s after `timestamp(0)`.
const BASE_TIME_MS = Date.UTC(2026, 0, 15, 10, 0, 0);

/** An ISO-8601 UTC timestamp (with milliseconds) `offsetSeconds` after a fixed base time. */
export function timestamp(offsetSeconds = 0): string {
  return new Date(BASE_TIME_MS + offsetSeconds * 1000).toISOString();
}

/** A unique id with a readable prefix, e.g. `bucket-3f2a9c…`. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${globalThis.crypto.randomUUID()}`;
}

/** A job kind no other test uses (a valid kind: letters, digits and `_`), so tests sharing a database never take each other's jobs. */
export function uniqueJobKind(prefix = 'jobs'): string {
  return uniqueId(prefix).replaceAll('-', '_');
}

/** A random lower-case hex SHA-256, distinct per call. */
export function randomSha256(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** An org with one product, and the scope that reads it. */
export interface Tenant {
  orgId: string;
  productId: string;
  scope: Scope;
}

/** A fresh org and product, so a test owns its records even in a database other tests share. */
export function makeTenant(): Tenant {
  const orgId = uniqueId('org');
  return { orgId, productId: uniqueId('product'), scope: { orgId } };
}

type Owned<T> = Pick<T, Extract<keyof T, 'orgId' | 'productId'>> & Partial<T>;

/** A bucket of the given org and product with a unique name; any field can be overridden. */
export function makeBucket(fields: Owned<Bucket>): Bucket {
  const id = fields.id ?? uniqueId('bucket');
  return {
    id,
    name: `Bucket ${id.slice(-12)}`,
    bestFor: 'Busy parents',
    angle: 'Saves time',
    avatar: 'Working mother, 35',
    painPoints: ['no time', 'tired'],
    solutionMechanism: ['ten-minute routine'],
    keyCopyHooks: ['Stop wasting mornings'],
    displayOrder: 0,
    createdAt: timestamp(0),
    updatedAt: timestamp(0),
    ...fields,
  };
}

/** A registered video of the given org with a random content hash; any field can be overridden. */
export function makeVideo(fields: Pick<Video, 'orgId'> & Partial<Video>): Video {
  const id = fields.id ?? uniqueId('video');
  return {
    id,
    ownerId: 'owner-1',
    title: 'Morning routine',
    filename: 'morning-routine.mp4',
    blobKey: `videos/${id}.mp4`,
    sha256: randomSha256(),
    sizeBytes: 1_048_576,
    mimeType: 'video/mp4',
    durationSec: 12.5,
    duplicateAllowed: false,
    visibility: 'private',
    productCategory: null,
    createdAt: timestamp(0),
    ...fields,
  };
}

/** A categorization session of the given org and product. */
export function makeSession(
  fields: Owned<CategorizationSessionInsert>,
): CategorizationSessionInsert {
  return { id: uniqueId('session'), createdAt: timestamp(0), ...fields };
}

/** A `pending` categorization row of a session, with every optional field null. */
export function makeCategorization(
  fields: Owned<Categorization> & Pick<Categorization, 'sessionId'>,
): Categorization {
  return {
    id: uniqueId('categorization'),
    videoId: null,
    filename: 'clip.mp4',
    bucketId: null,
    bucketName: null,
    confidence: null,
    reasoning: null,
    summary: null,
    transcript: null,
    analysis: null,
    status: 'pending',
    errorMessage: null,
    isUploaded: false,
    createdAt: timestamp(0),
    updatedAt: timestamp(0),
    ...fields,
  };
}

/** A private client creative of the given org with no source URL and zero counts. */
export function makeCreative(fields: Pick<Creative, 'orgId'> & Partial<Creative>): Creative {
  return {
    id: uniqueId('creative'),
    ownerId: 'owner-1',
    name: 'Too busy to learn?',
    productCategory: 'fitness',
    source: 'client',
    isPublic: false,
    videoId: null,
    sourcePlatform: null,
    sourceUrl: null,
    marketCvr: null,
    marketLongevityDays: null,
    avgDailyClicks: null,
    hookType: null,
    emotion: null,
    pacing: null,
    targetAudiencePain: null,
    extraTags: [],
    impressions: 0,
    clicks: 0,
    conversions: 0,
    analysisStatus: 'none',
    analysis: null,
    analysisError: null,
    analyzedAt: null,
    createdAt: timestamp(0),
    updatedAt: timestamp(0),
    ...fields,
  };
}

/** A public market benchmark of the given org, found at a unique ad library URL. */
export function makeBenchmark(fields: Pick<Creative, 'orgId'> & Partial<Creative>): Creative {
  return makeCreative({
    ownerId: null,
    source: 'benchmark',
    isPublic: true,
    sourcePlatform: 'facebook',
    sourceUrl: `https://ads.example/library/${uniqueId('ad')}`,
    marketCvr: 0.05,
    marketLongevityDays: 30,
    avgDailyClicks: 1000,
    ...fields,
  });
}

/** A pending generation task of the given org (seed 002's example); any field can be overridden. */
export function makeGenerationTask(
  fields: Pick<GenerationTask, 'orgId'> & Partial<GenerationTask>,
): GenerationTask {
  return {
    id: uniqueId('task'),
    userId: 'user_1',
    projectName: 'Summer Vibes 2025',
    songTitle: 'Electric Dreams',
    musicFile: 'https://drive.example/file/123',
    genre: 'Electronic',
    bpm: 128,
    engine: 'runway_gen3',
    prompt: 'Cinematic neon city at night',
    status: 'pending',
    videoUrl: null,
    videoId: null,
    youtubeTitle: null,
    youtubeDescription: null,
    youtubeTags: [],
    cost: null,
    creditsUsed: null,
    durationSec: null,
    errorMessage: null,
    createdAt: timestamp(0),
    updatedAt: timestamp(0),
    completedAt: null,
    ...fields,
  };
}

/** An unselected thumbnail of the given task at an external URL; any field can be overridden. */
export function makeThumbnail(
  fields: Pick<Thumbnail, 'orgId' | 'taskId'> & Partial<Thumbnail>,
): Thumbnail {
  const id = fields.id ?? uniqueId('thumb');
  return {
    id,
    variant: 'bold_text',
    imageUrl: `https://images.example/${id}.jpg`,
    blobKey: null,
    clickPrediction: null,
    qualityScore: null,
    source: 'given',
    isSelected: false,
    createdAt: timestamp(0),
    ...fields,
  };
}

/** A processed segment (number 0) of the given video, untagged and unposted; any field can be overridden. */
export function makeSegment(
  fields: Pick<Segment, 'orgId' | 'videoId'> & Partial<Segment>,
): Segment {
  const id = fields.id ?? uniqueId('segment');
  return {
    id,
    ownerId: 'owner-1',
    segmentType: 'processed',
    segmentNumber: 0,
    blobKey: `segments/${id}.mp4`,
    durationSec: 30,
    sizeBytes: 2_097_152,
    contentType: 'video/mp4',
    title: null,
    description: null,
    tags: [],
    socialUsage: [],
    createdAt: timestamp(0),
    updatedAt: timestamp(0),
    ...fields,
  };
}

/** A usage row on a platform with no post and no counts; its rate follows from the counts given. */
export function makeSocialUsage(
  fields: Pick<SocialUsage, 'platform'> & Partial<SocialUsage>,
): SocialUsage {
  const usage: SocialUsage = {
    postId: null,
    postUrl: null,
    postedAt: null,
    views: 0,
    likes: 0,
    shares: 0,
    comments: 0,
    clicks: null,
    conversions: null,
    engagementRate: null,
    lastSyncedAt: null,
    uploadId: null,
    ...fields,
  };
  const interactions = usage.likes + usage.shares + usage.comments;
  return { ...usage, engagementRate: usage.views === 0 ? null : interactions / usage.views };
}
