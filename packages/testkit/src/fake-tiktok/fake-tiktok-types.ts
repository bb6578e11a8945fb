import type { FakeMetricsControls } from '../fake-metrics';

/** The Content Posting API endpoints the fake serves, and the Display API's video query. */
export type FakeTikTokRoute =
  | 'video-query'
  | 'init-inbox'
  | 'init-direct'
  | 'upload-chunk'
  | 'status-fetch'
  | 'unknown';

/** One request as the fake received it. */
export interface FakeTikTokRequest {
  route: FakeTikTokRoute;
  method: string;
  /** Path and query. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The JSON body, when there was one. */
  json?: unknown;
  /** Body size (chunk bytes of a PUT). */
  bodyBytes: number;
}

/** Scripted behaviour for the next request of a route. */
export type FakeTikTokBehaviour =
  /** Handled normally (to script a fault for a later request of the route). */
  | { type: 'pass' }
  /** HTTP 429 `rate_limit_exceeded`, with `Retry-After` when `retryAfterSeconds` is given. */
  | { type: 'rate-limit'; retryAfterSeconds?: number }
  /** HTTP 403 `spam_risk_too_many_posts` (the daily posting cap). */
  | { type: 'too-many-posts' }
  /** A 5xx `internal_error` (default 500). */
  | { type: 'server-error'; status?: number }
  /** Any status and TikTok error code. */
  | { type: 'error'; status: number; code: string; message: string }
  /** The socket is destroyed before the request is handled (nothing is stored). */
  | { type: 'reset' }
  /** The request is handled (a chunk is stored), then the socket is destroyed unanswered. */
  | { type: 'reset-after-handling' };

/** Where processing ends once all chunks arrived and the processing polls are used up. */
export type FakeTikTokOutcome = { status: 'DONE' } | { status: 'FAILED'; failReason: string };

export interface FakeTikTokSwitches {
  /** Status fetches answered `PROCESSING_UPLOAD` after the last chunk (default 1). */
  processingPolls: number;
  /** DONE: `SEND_TO_USER_INBOX` (inbox) or `PUBLISH_COMPLETE` (direct post); or FAILED. */
  outcome: FakeTikTokOutcome;
}

export interface FakeTikTokServerOptions extends Partial<FakeTikTokSwitches> {
  /** The bearer token the fake accepts (default `fake-tiktok-token`). */
  accessToken?: string;
  /** Smallest chunk the fake accepts, except a whole video (TikTok: 5 MB; tests lower it). */
  minChunkBytes?: number;
}

/** One publish as the fake keeps it. */
export interface FakeTikTokPublish {
  publishId: string;
  uploadId: string;
  mode: 'inbox' | 'direct';
  videoSize: number;
  chunkSize: number;
  totalChunkCount: number;
  /** The init body's `post_info` (direct post). */
  postInfo?: Record<string, unknown>;
  received: Buffer;
  /** The upload URL refuses chunks once expired (see `expireUpload`). */
  expired: boolean;
  polls: number;
  /** Set when processing succeeded. */
  postId?: string;
}

/**
 * The fake also serves the Display API's `POST /v2/video/query/?fields=…` with `{ filters: {
 * video_ids } }` (20 ids at most): the direct posts that completed, and every post given
 * `setMetrics`, answer the requested Video Object fields (`view_count`, `like_count`,
 * `comment_count`, `share_count`); deleted and unknown ids are left out of `data.videos`.
 */
export interface FakeTikTokServer extends FakeMetricsControls {
  /** `http://127.0.0.1:<port>`, the uploader's `baseURL`. */
  baseUrl: string;
  accessToken: string;
  requests: FakeTikTokRequest[];
  publishes: Map<string, FakeTikTokPublish>;
  switches: FakeTikTokSwitches;
  enqueue(route: FakeTikTokRoute, ...behaviours: FakeTikTokBehaviour[]): void;
  requestsTo(route: FakeTikTokRoute): FakeTikTokRequest[];
  /** Chunk bytes stored, counting a chunk again each time it is re-sent. */
  acceptedBytes(): number;
  /** Makes a publish's upload URL refuse further chunks, as an expired URL does. */
  expireUpload(publishId: string): void;
  /** Publishes whose processing succeeded. */
  completed(): FakeTikTokPublish[];
  close(): Promise<void>;
}
