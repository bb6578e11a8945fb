/** The endpoints the fake serves, named for scripting and for filtering recorded requests. */
export type FakeAnthropicRoute = 'messages' | 'unknown';

/** An image block of a request, decoded for assertions. */
export interface FakeAnthropicImage {
  /** `source.media_type` as sent, e.g. `image/jpeg`. */
  mediaType: string;
  /** The decoded `source.data`. */
  bytes: Uint8Array;
  /** From the JPEG's frame header; null for other formats or a broken JPEG. */
  width: number | null;
  height: number | null;
  /** The text block right before the image, which a prompt uses to label it. */
  precedingText: string | undefined;
}

/** One request as the fake received it. */
export interface FakeAnthropicRequest {
  route: FakeAnthropicRoute;
  method: string;
  /** Path and query, e.g. `/v1/messages`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body parsed as JSON, when it was JSON. */
  json?: unknown;
  bodyBytes: number;
  /** Every image block of every message, in order. */
  images: FakeAnthropicImage[];
  /** The fake's time (`now()`) when the request arrived. */
  receivedAt: number;
}

/**
 * Scripted behaviour for the next Messages request (see `enqueue`); once the queue is empty the
 * fake answers normally again.
 */
export type FakeAnthropicBehaviour =
  /** 401 `authentication_error`, as for a revoked key. */
  | { type: 'unauthorized' }
  /** 429 `rate_limit_error`; `retryAfter` is the `retry-after` header in seconds (default "20", null: none). */
  | { type: 'rate-limit'; retryAfter?: string | null }
  /** 529 `overloaded_error`; `retryAfter` as for `rate-limit` (default none). */
  | { type: 'overloaded'; retryAfter?: string | null }
  /** A 5xx with an `api_error` body (default 500). */
  | { type: 'server-error'; status?: number; message?: string }
  /** Any status with Anthropic's error body; `errorType` defaults to the status's type. */
  | {
      type: 'error';
      status: number;
      errorType?: string;
      message?: string;
      details?: Record<string, unknown>;
      headers?: Record<string, string>;
    }
  /** The server destroys the socket without answering (a connection reset). */
  | { type: 'reset' }
  /** Waits this long, then answers normally. */
  | { type: 'delay'; ms: number }
  /** Answers the forced tool with exactly this `input` (a malformed or invalid tool output). */
  | { type: 'tool-input'; input: unknown }
  /** `stop_reason: "refusal"` with a text block and `stop_details` carrying the explanation. */
  | { type: 'refusal'; explanation?: string; category?: string | null }
  /** `stop_reason: "end_turn"` with one text block and no tool call. */
  | { type: 'text'; text: string }
  /** `stop_reason: "max_tokens"`: the tool call was cut off, its input is empty. */
  | { type: 'max-tokens' };

/** Behaviour read at each request; change it on `server.switches` while a test runs. */
export interface FakeAnthropicSwitches {
  /** filename (found in the prompt text) → bucket name the default answer picks; absent → "none". */
  bucketsByFilename: Record<string, string | null>;
  /** Field values that replace the default answer's (by tool input property name). */
  answerFields: Record<string, unknown>;
  /** Every Messages request waits this long before answering (default 0). */
  messageDelayMs: number;
}

export interface FakeAnthropicServerOptions extends Partial<FakeAnthropicSwitches> {
  /** The key the fake accepts, in `x-api-key` or `Authorization: Bearer` (default `fake-anthropic-key`). */
  apiKey?: string;
  /** Time source of `receivedAt` (default `Date.now`). */
  now?: () => number;
}

/** A fake Anthropic Messages API on 127.0.0.1 for `@anthropic-ai/sdk` (`baseURL`). */
export interface FakeAnthropicServer {
  /** `http://127.0.0.1:{port}`: pass it as the SDK's `baseURL`. */
  readonly baseUrl: string;
  /** The key the fake accepts. */
  readonly apiKey: string;
  /** Every request in arrival order. */
  readonly requests: FakeAnthropicRequest[];
  /** Behaviour switches, read at each request. */
  readonly switches: FakeAnthropicSwitches;
  /** Scripts the next Messages requests, in order. */
  enqueue(...behaviours: FakeAnthropicBehaviour[]): void;
  /** The recorded requests of one route. */
  requestsTo(route: FakeAnthropicRoute): FakeAnthropicRequest[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}
