import type { FakeMetricsControls } from '../fake-metrics';

/** The Instagram Graph API endpoints the fake serves, plus the media host it offers. */
export type FakeInstagramRoute =
  | 'media-insights'
  | 'publishing-limit'
  | 'media-create'
  | 'container-status'
  | 'media-publish'
  | 'media-host'
  | 'unknown';

/** One request as the fake received it. */
export interface FakeInstagramRequest {
  route: FakeInstagramRoute;
  method: string;
  /** Path and query. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Form fields and query parameters. */
  fields: Record<string, string>;
}

/** Scripted behaviour for the next request of a route. */
export type FakeInstagramBehaviour =
  /** Handled normally. */
  | { type: 'pass' }
  /**
   * A Graph rate-limit error (default code 4, "Application request limit reached"), with an
   * `X-Business-Use-Case-Usage` header when `regainAccessMinutes` is given.
   */
  | { type: 'rate-limit'; code?: number; regainAccessMinutes?: number }
  /** A transient Graph error (default HTTP 500, code 2). */
  | { type: 'server-error'; status?: number }
  /** Any Graph error. */
  | { type: 'error'; status: number; code: number; message: string; subcode?: number }
  /** The socket is destroyed before the request is handled. */
  | { type: 'reset' }
  /** The request is handled, then the socket is destroyed unanswered. */
  | { type: 'reset-after-handling' };

/** Where a container ends once its video is fetched and its processing polls are used up. */
export type FakeInstagramContainerOutcome =
  | { status: 'FINISHED' }
  | { status: 'ERROR'; message: string }
  | { status: 'EXPIRED' };

export interface FakeInstagramSwitches {
  /** Status GETs answered `IN_PROGRESS` after the video was fetched (default 1). */
  processingPolls: number;
  containerOutcome: FakeInstagramContainerOutcome;
  /** Posts published in the current window (`quota_usage`); publishing adds one. */
  quotaUsage: number;
  /** `config.quota_total` (default 50). */
  quotaTotal: number;
  /** `config.quota_duration` in seconds (default 86 400). */
  quotaDurationSeconds: number;
}

export interface FakeInstagramServerOptions extends Partial<FakeInstagramSwitches> {
  /** The token the fake accepts (default `fake-instagram-token`). */
  accessToken?: string;
}

/** One media container as the fake keeps it. */
export interface FakeInstagramContainer {
  containerId: string;
  igUserId: string;
  mediaType: string;
  videoUrl: string;
  caption?: string;
  /** The bytes fetched from `video_url` (undefined until fetched or when the fetch failed). */
  video?: Buffer;
  fetchError?: string;
  polls: number;
  /** Set it to make the container answer EXPIRED (unpublished containers expire after 24 h). */
  expired?: boolean;
  /** Set once published. */
  mediaId?: string;
}

/**
 * The fake also serves `GET /{ig-media-id}/insights?metric=…`: published reels and posts given
 * `setMetrics` answer `views`, `likes`, `comments`, `shares`, `saved`, `reach` and
 * `total_interactions`; the deprecated `plays`, `impressions` and `video_views` are error 100;
 * a deleted or unknown media is error 100/33.
 */
export interface FakeInstagramServer extends FakeMetricsControls {
  /** `http://127.0.0.1:<port>`; point the uploader at `${baseUrl}/v24.0`. */
  baseUrl: string;
  accessToken: string;
  requests: FakeInstagramRequest[];
  containers: Map<string, FakeInstagramContainer>;
  switches: FakeInstagramSwitches;
  enqueue(route: FakeInstagramRoute, ...behaviours: FakeInstagramBehaviour[]): void;
  requestsTo(route: FakeInstagramRoute): FakeInstagramRequest[];
  /** Serves bytes at a presigned-looking URL of this server, as a BlobStore would. */
  hostMedia(bytes: Uint8Array): string;
  /** Published containers. */
  published(): FakeInstagramContainer[];
  close(): Promise<void>;
}
