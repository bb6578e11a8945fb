import type { FakeMetricsControls } from '../fake-metrics';

/** The Graph API endpoints the fake serves, named for scripting and for filtering recorded requests. */
export type FakeMetaRoute =
  | 'video-insights'
  | 'upload-start'
  | 'upload-transfer'
  | 'upload-finish'
  | 'video-status'
  | 'unknown';

/** One request as the fake received it. */
export interface FakeMetaRequest {
  route: FakeMetaRoute;
  method: string;
  /** Path and query, e.g. `/v24.0/act_1/advideos`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The text fields of the form body (and the query string of GETs). */
  fields: Record<string, string>;
  /** Size of the `video_file_chunk` part of a transfer. */
  chunkBytes?: number;
}

/**
 * Scripted behaviour for the next request of a route (see `enqueue`); once a route's queue is
 * empty it behaves normally again.
 */
export type FakeMetaBehaviour =
  /** Handled normally (to script a fault for a later request of the route). */
  | { type: 'pass' }
  /** A Graph rate-limit error (default code 80004, HTTP 400) with `X-Business-Use-Case-Usage`. */
  | { type: 'rate-limit'; code?: number; regainAccessMinutes?: number }
  /** A transient Graph error (default HTTP 500, code 2 "Service temporarily unavailable"). */
  | { type: 'server-error'; status?: number; code?: number }
  /** Any Graph error body. */
  | {
      type: 'error';
      status: number;
      code: number;
      message: string;
      subcode?: number;
      errorType?: string;
      userMessage?: string;
    }
  /** The socket is destroyed before the request is handled (nothing is stored). */
  | { type: 'reset' }
  /** The request is handled (a transfer's bytes are stored), then the socket is destroyed unanswered. */
  | { type: 'reset-after-handling' };

/** What a finished video turns into once its processing polls are used up. */
export type FakeMetaVideoOutcome = { status: 'ready' } | { status: 'error'; message: string };

/** Behaviour read at each request; change it on `server.switches` while a test runs. */
export interface FakeMetaSwitches {
  /** Status GETs answered `processing` before the video reaches its outcome (default 1). */
  processingPolls: number;
  /** Where processing ends (default ready). */
  videoOutcome: FakeMetaVideoOutcome;
  /**
   * Sizes of the chunks the server asks for, in order (the last repeats); default one size of
   * 1 MiB. The server, not the client, decides every `start_offset`/`end_offset`.
   */
  chunkPlan: number[];
}

export interface FakeMetaServerOptions extends Partial<FakeMetaSwitches> {
  /** The token the fake accepts as `Authorization: Bearer …` or `access_token` (default `fake-meta-token`). */
  accessToken?: string;
}

/** One upload session as the fake keeps it. */
export interface FakeMetaSession {
  sessionId: string;
  videoId: string;
  adAccountId: string;
  fileSize: number;
  /** The bytes received so far (their length is the confirmed offset). */
  received: Buffer;
  /** How many chunks the server has asked for (indexes `chunkPlan`). */
  chunksAsked: number;
  finished: boolean;
  /** An expired session refuses transfers and finish (see `expireSession`). */
  expired: boolean;
  title?: string;
  description?: string;
  /** Status polls answered so far. */
  polls: number;
}

/**
 * The fake also serves `GET /{video-id}/video_insights?metric=…` (lifetime): finished uploads
 * and posts given `setMetrics` answer `total_video_views`, `total_video_reactions_by_type_total`
 * (`{ like, …reactions }`) and `total_video_stories_by_action_type` (`{ share, like, comment }`);
 * a deleted or unknown video is Graph error 100/33.
 */
export interface FakeMetaServer extends FakeMetricsControls {
  /** `http://127.0.0.1:<port>`; point the uploader at `${baseUrl}/v24.0`. */
  baseUrl: string;
  accessToken: string;
  /** Every request received, in order. */
  requests: FakeMetaRequest[];
  /** Chunk bytes stored, counting a range again each time it is re-sent. */
  acceptedBytes(): number;
  /** Upload sessions by `upload_session_id`. */
  sessions: Map<string, FakeMetaSession>;
  switches: FakeMetaSwitches;
  /** Queues behaviours for the next requests of a route. */
  enqueue(route: FakeMetaRoute, ...behaviours: FakeMetaBehaviour[]): void;
  requestsTo(route: FakeMetaRoute): FakeMetaRequest[];
  /** Makes a session refuse further use, as Graph does once an upload session has expired. */
  expireSession(sessionId: string): void;
  /** The bytes of a finished video. */
  videoBytes(videoId: string): Buffer | undefined;
  close(): Promise<void>;
}
