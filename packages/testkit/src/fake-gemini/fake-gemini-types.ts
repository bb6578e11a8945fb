/** The endpoints the fake serves, named for scripting and for filtering recorded requests. */
export type FakeGeminiRoute =
  | 'upload-start'
  | 'upload-chunk'
  | 'file-get'
  | 'file-delete'
  | 'generate-content'
  | 'unknown';

/** One request as the fake received it. */
export interface FakeGeminiRequest {
  route: FakeGeminiRoute;
  method: string;
  /** Path and query, e.g. `/v1beta/files/abc123`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body parsed as JSON, when it was JSON. */
  json?: unknown;
  /** How many body bytes arrived (upload chunks are counted, not kept here). */
  bodyBytes: number;
  /** The fake's time (`now()`) when the request arrived. */
  receivedAt: number;
}

/**
 * Scripted behaviour for the next request of a route (see `enqueue`); once a route's queue is
 * empty it behaves normally again.
 */
export type FakeGeminiBehaviour =
  /** HTTP 429 RESOURCE_EXHAUSTED; `retryDelay` goes into a google.rpc.RetryInfo ("7s", "1.5s"). */
  | { type: 'rate-limit'; retryDelay?: string; retryAfterHeader?: string }
  /** A 5xx with Google's error body (default 503 UNAVAILABLE). */
  | { type: 'server-error'; status?: number; message?: string }
  /** Any status with Google's error body. */
  | { type: 'error'; status: number; message?: string; details?: Record<string, unknown>[] }
  /** The server destroys the socket without answering (a connection reset). */
  | { type: 'reset' }
  /** Waits this long, then answers normally. */
  | { type: 'delay'; ms: number }
  /** generateContent answers with exactly this text in `candidates[0].content.parts[0].text`. */
  | { type: 'answer'; text: string }
  /** generateContent answers with no candidate and `promptFeedback.blockReason`. */
  | { type: 'blocked'; reason?: string };

/** How the default answer text is written. */
export type FakeGeminiAnswerFormat =
  /** The JSON object alone, as structured output gives it. */
  | 'json'
  /** The JSON inside a ```json fence. */
  | 'fenced'
  /** The JSON wrapped in a sentence before and after. */
  | 'prose'
  /** JSON cut off in the middle. */
  | 'malformed';

/** What a processed file turns into once its PROCESSING polls are used up. */
export type FakeGeminiFileOutcome = { state: 'ACTIVE' } | { state: 'FAILED'; message: string };

/** Behaviour read at each request; change it on `server.switches` while a test runs. */
export interface FakeGeminiSwitches {
  /** File GETs answered PROCESSING before the file reaches its outcome (default 1; Infinity: never). */
  processingPolls: number;
  /** Where processing ends (default ACTIVE). */
  fileOutcome: FakeGeminiFileOutcome;
  /** filename (the file's display name) → bucket name the default answer picks; absent → "none". */
  bucketsByFilename: Record<string, string | null>;
  /** How the default answer is written (default `json`). */
  answerFormat: FakeGeminiAnswerFormat;
  /** Every generateContent waits this long before answering (default 0). */
  generateDelayMs: number;
  /** generateContent calls allowed per rolling window; beyond it a 429 with RetryInfo (default none). */
  perMinuteQuota: number | undefined;
  /** Length of the quota window (default 60 000 ms; smaller values scale minutes down for benchmarks). */
  quotaWindowMs: number;
}

export interface FakeGeminiServerOptions extends Partial<FakeGeminiSwitches> {
  /** The key the fake accepts in `x-goog-api-key` (default `fake-gemini-key`). */
  apiKey?: string;
  /** Time source for timestamps and the quota window (default `Date.now`). */
  now?: () => number;
  /** Upload chunks other than the last must be a multiple of this (default 262 144 bytes). */
  chunkGranularity?: number;
}

/** A file in the fake's Files API. */
export interface FakeGeminiFile {
  /** `files/{id}`. */
  name: string;
  displayName: string | undefined;
  mimeType: string;
  /** The bytes as reassembled from the upload chunks. */
  bytes: Uint8Array;
  /** Lower-case hex SHA-256 of `bytes`. */
  sha256: string;
  uri: string;
  state: 'PROCESSING' | 'ACTIVE' | 'FAILED';
  /** PROCESSING answers left before the outcome applies. */
  processingPollsLeft: number;
  outcome: FakeGeminiFileOutcome;
  createdAt: number;
  /** Set once a DELETE removed it (the entry stays so tests can inspect the bytes). */
  deletedAt: number | undefined;
}

/** A fake Gemini API on 127.0.0.1 for `@google/genai` (`httpOptions.baseUrl`). */
export interface FakeGeminiServer {
  /** `http://127.0.0.1:{port}`: pass it as the SDK's `httpOptions.baseUrl`. */
  readonly baseUrl: string;
  /** The key the fake accepts. */
  readonly apiKey: string;
  /** Every request in arrival order. */
  readonly requests: FakeGeminiRequest[];
  /** Every file ever finalized, by name (`files/{id}`), deleted ones included. */
  readonly files: Map<string, FakeGeminiFile>;
  /** Behaviour switches, read at each request. */
  readonly switches: FakeGeminiSwitches;
  /** Scripts the next requests of a route, in order. */
  enqueue(route: FakeGeminiRoute, ...behaviours: FakeGeminiBehaviour[]): void;
  /** The recorded requests of one route. */
  requestsTo(route: FakeGeminiRoute): FakeGeminiRequest[];
  /** Files not deleted yet. */
  liveFiles(): FakeGeminiFile[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}
