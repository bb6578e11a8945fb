import type { FakeMetricsControls } from '../fake-metrics';

/** The kinds of request the fake tells apart; `videos-list` is `GET /youtube/v3/videos`. */
export type FakeYouTubeRoute = 'start' | 'chunk' | 'status' | 'videos-list' | 'unknown';

/** One request as the fake received it. */
export interface FakeYouTubeRequest {
  route: FakeYouTubeRoute;
  method: string;
  /** Path and query, e.g. `/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`. */
  path: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string>;
  /** Bytes of the body that arrived (all of them, unless the request was interrupted). */
  bodyBytes: number;
  /** The parsed JSON body of a session start. */
  json?: unknown;
  /** The session a chunk or status request addressed. */
  sessionId?: string;
  /** The ids of a `videos-list` request (its `id` parameter, split). */
  videoIds?: string[];
  /** The failure `chaos` injected into this request, if any. */
  injected?: FakeYouTubeChaosKind;
}

/** A failure to inject, consumed by the first request of its route that matches. */
export type FakeYouTubeFailure =
  | {
      kind: 'rate-limit';
      /** Google's reason; `quotaExceeded` (default), `rateLimitExceeded`, `userRateLimitExceeded`. */
      reason?: string;
      /** 403 (default, as YouTube answers) or 429. */
      status?: number;
      retryAfterSeconds?: number;
    }
  | { kind: 'server-error'; status?: number }
  | { kind: 'unauthorized' }
  | { kind: 'reject-media'; status?: number; reason?: string; message?: string }
  /**
   * Reads `afterBytes` of the chunk (default: half of it), stores the first `keepBytes` of
   * them (default 0, as a server that persisted part of the chunk) and drops the connection.
   */
  | { kind: 'interrupt'; afterBytes?: number; keepBytes?: number }
  /**
   * Holds the request (a chunk's body unread) until `until` settles, then serves it as if
   * nothing were scripted; without `until` it hangs until the client gives up or `close()`.
   */
  | { kind: 'hold'; until?: Promise<unknown> };

export interface FakeYouTubeScript {
  /** Which request fails: the session start, a chunk PUT, an empty status query PUT or a videos.list GET. */
  route: Exclude<FakeYouTubeRoute, 'unknown'>;
  failure: FakeYouTubeFailure;
  /** For chunks: only a chunk starting at or after this offset matches (1 = not the first chunk). */
  fromOffset?: number;
}

/** A resumable upload session. */
export interface FakeYouTubeSession {
  id: string;
  uri: string;
  /** The JSON metadata of the start request. */
  metadata: unknown;
  totalBytes: number;
  contentType: string;
  /** Bytes stored so far. */
  receivedBytes: number;
  /** The video id once the last byte arrived. */
  videoId?: string;
  /** An expired session answers 404 to everything. */
  expired: boolean;
}

/** A finished upload. */
export interface FakeYouTubeVideo {
  id: string;
  sessionId: string;
  bytes: Uint8Array;
  /** The JSON metadata (snippet, status) sent at the session start. */
  metadata: unknown;
  contentType: string;
}

/**
 * A failure `chaos` injects: `rate-limit` answers 429 `rateLimitExceeded` with Retry-After;
 * `server-error` answers 503 `backendError` without doing anything; `reset` drops the
 * connection before reading the request; `lost-response` does the work (stores the chunk,
 * finishes the video, opens the session) and then drops the connection instead of answering.
 */
export type FakeYouTubeChaosKind = 'rate-limit' | 'server-error' | 'reset' | 'lost-response';

/** Random failures of a share of the requests (session starts, chunk PUTs, status queries). */
export interface FakeYouTubeChaos {
  /** Share in [0, 1] of requests that fail transiently (one of `failureKinds`). Default 0. */
  failureRate?: number;
  /** Share in [0, 1] of requests answered 429 with Retry-After. Default 0. */
  rateLimitRate?: number;
  /** The Retry-After of the injected 429s, in seconds (default 1; fractions are sent as given). */
  retryAfterSeconds?: number;
  /** The transient failures to pick from, evenly (default all three). */
  failureKinds?: Array<Exclude<FakeYouTubeChaosKind, 'rate-limit'>>;
  /** A source of numbers in [0, 1) (default Math.random); one draw per request, one more per failure. */
  random?: () => number;
}

export interface FakeYouTubeServerOptions {
  /** Bearer tokens the fake accepts (default `['fake-youtube-token']`). */
  accessTokens?: string[];
  /**
   * Random failures on top of the scripted ones, drawn first: a request chaos fails (but for
   * `lost-response`, which runs the handler) leaves the scripted failures queued.
   */
  chaos?: FakeYouTubeChaos;
  /**
   * Milliseconds every request waits before it is served (default 0), as a distant API's
   * round trip: the request is recorded (and its chaos drawn) on arrival, then answered late.
   */
  latencyMs?: number;
}

/**
 * The fake also serves `GET /youtube/v3/videos?part=statistics&id=a,b` (videos.list): each
 * finished upload, and each post given `setMetrics`, answers its counts as decimal strings
 * (`viewCount`, `likeCount`, `favoriteCount`, `commentCount`; a hidden count is left out); a
 * deleted or unknown id is left out of `items`, as YouTube does.
 */
export interface FakeYouTubeServer extends FakeMetricsControls {
  /** e.g. `http://127.0.0.1:54321`, to pass as the uploader's `baseURL`. */
  baseUrl: string;
  /** Every request, in order. */
  requests: FakeYouTubeRequest[];
  /** Finished uploads by video id. */
  videos: Map<string, FakeYouTubeVideo>;
  /** Sessions by id. */
  sessions: Map<string, FakeYouTubeSession>;
  /** Bytes stored across all sessions, counting re-sent ranges again. */
  acceptedBytes(): number;
  /** Queues failures; each is used once. */
  script(...entries: FakeYouTubeScript[]): void;
  /** Makes a session answer 404 from now on, as an expired one does. */
  expireSession(sessionId: string): void;
  close(): Promise<void>;
}
