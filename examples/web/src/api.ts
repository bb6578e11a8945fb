/** Where the host's REST API lives, relative to the page the host serves. */
export const API_BASE = '/api/v1';

const TOKEN_KEY = 'vbuckets.token';

/**
 * A failed call: the host's RFC 9457 problem (its `detail` written for people, its `code`), or
 * a network failure or unreadable answer described in the same shape, so a screen always has a
 * sentence to show.
 */
export class ApiError extends Error {
  /** The HTTP status; 0 when the host did not answer at all. */
  readonly status: number;
  /** The SDK's error code (`VALIDATION`, `NOT_FOUND`, …), or `NETWORK` when the host did not answer. */
  readonly code: string;
  /** What went wrong, for people. */
  readonly detail: string;
  /** For validation errors: the field at fault, e.g. `body.name`. */
  readonly path: string | undefined;
  /** Whether the same request may succeed later. */
  readonly retryable: boolean;

  constructor(problem: {
    status: number;
    code: string;
    detail: string;
    path?: string | undefined;
    retryable?: boolean;
  }) {
    super(problem.detail);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.path = problem.path;
    this.retryable = problem.retryable ?? false;
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Send the bearer token (default true); public routes are called without it. */
  authenticated?: boolean;
  /** Extra request headers, e.g. an `Idempotency-Key`. */
  headers?: Record<string, string>;
}

/** A call whose body is not JSON (a multipart form) or whose answer is read as it is (a file, a stream). */
export interface SendOptions extends Omit<RequestOptions, 'body'> {
  /** A multipart form, or text sent as it is (with its content type in `headers`). */
  body?: FormData | string;
}

/** A client of the host's `/api/v1`: JSON in and out, the bearer token on every call. */
export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** The host's response itself, once it is a success; a refusal as its ApiError, as `request`. */
  send(method: string, path: string, options?: SendOptions): Promise<Response>;
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  delete<T = void>(path: string, options?: RequestOptions): Promise<T>;
}

export interface ApiClientOptions {
  /** The bearer token to send, read on every call; undefined sends none. */
  token: () => string | undefined;
  /** Told when the host refuses the token of an authenticated call (expired, revoked). */
  onUnauthenticated?: (error: ApiError) => void;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** `/buckets/a b` with `{ productId: 'x' }` as `/api/v1/buckets/a%20b?productId=x`. */
function urlOf(base: string, path: string, query: Query | undefined): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) search.set(name, String(value));
  }
  const text = search.toString();
  return `${base}${path}${text === '' ? '' : `?${text}`}`;
}

/** What a call the host never answered fails with. */
export function networkError(): ApiError {
  return new ApiError({
    status: 0,
    code: 'NETWORK',
    detail: 'The host did not answer: check that the server is running and reachable',
    retryable: true,
  });
}

/** The problem of a failed response, or a description of what came instead of one. */
export async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const problem = JSON.parse(text) as Partial<Record<string, unknown>>;
    if (typeof problem.detail === 'string' && typeof problem.code === 'string') {
      return new ApiError({
        status: response.status,
        code: problem.code,
        detail: problem.detail,
        path: typeof problem.path === 'string' ? problem.path : undefined,
        retryable: problem.retryable === true,
      });
    }
  } catch {
    // Not JSON: a proxy's error page, for instance. Described below.
  }
  return new ApiError({
    status: response.status,
    code: 'HTTP',
    detail: `The host answered ${[response.status, response.statusText].filter(Boolean).join(' ')} without an explanation`,
    retryable: response.status >= 500,
  });
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl ?? API_BASE;
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function send(
    method: string,
    path: string,
    { query, body, signal, authenticated = true, headers: extra }: SendOptions = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    const token = authenticated ? options.token() : undefined;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetchFn(urlOf(base, path, query), {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (thrown) {
      if (signal?.aborted) throw thrown;
      throw networkError();
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.status === 401 && token !== undefined) options.onUnauthenticated?.(error);
      throw error;
    }
    return response;
  }

  async function request<T>(
    method: string,
    path: string,
    { body, headers, ...rest }: RequestOptions = {},
  ): Promise<T> {
    const json = body === undefined ? {} : { body: JSON.stringify(body) };
    const response = await send(method, path, {
      ...rest,
      ...json,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  return {
    request,
    send,
    get: (path, rest) => request('GET', path, rest),
    post: (path, body, rest) => request('POST', path, { ...rest, body }),
    put: (path, body, rest) => request('PUT', path, { ...rest, body }),
    patch: (path, body, rest) => request('PATCH', path, { ...rest, body }),
    delete: (path, rest) => request('DELETE', path, rest),
  };
}

/** The message a screen shows for anything a call threw. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The token lives in sessionStorage: it survives a reload but not the tab, and is never sent
 * anywhere but this host's API. Storage may be off (private modes): then it lives in memory.
 */
let memoryToken: string | undefined;

export function loadToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return memoryToken;
  }
}

export function saveToken(token: string): void {
  memoryToken = token;
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Kept in memory only.
  }
}

export function clearToken(): void {
  memoryToken = undefined;
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored.
  }
}

/** `encodeURIComponent` for a path segment of an id. */
export const segment = (id: string) => encodeURIComponent(id);
