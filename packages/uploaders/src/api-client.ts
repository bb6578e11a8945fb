import { mapNetworkFailure } from './uploader-error';
import { type AccessTokenSource, apiRoot } from './uploader-settings';

/** How an adapter reaches a platform's JSON API with a bearer token (Graph, TikTok, YouTube Data). */
export interface ApiClientSettings {
  platform: string;
  baseURL: string;
  accessToken: AccessTokenSource;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch | undefined;
  requestTimeoutMs: number;
}

export interface ApiCall {
  method: 'GET' | 'POST';
  /** Path under `baseURL`, e.g. `/act_1/advideos`. */
  path: string;
  /** Query parameters. */
  query?: Record<string, string>;
  /** A form body: multipart when it holds a Blob. */
  form?: FormData;
  /** A JSON body, sent with `content-type: application/json; charset=UTF-8`. */
  json?: unknown;
  /** What is being done, for messages: `upload start`. */
  action: string;
  signal?: AbortSignal;
}

/** A platform's answer, whatever its status: the body parsed as JSON, or its text when it is not JSON. */
export interface ApiAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  body: unknown;
}

/**
 * Sends one request with `Authorization: Bearer <token>` (the token is read for every request,
 * so a host that refreshes it is picked up), under the caller's signal and a time limit, and
 * reads the whole answer. Only a failure to get an answer is thrown, mapped as a network
 * failure (the caller's abort is CANCELLED); reading the status is the caller's.
 */
export async function apiRequest(settings: ApiClientSettings, call: ApiCall): Promise<ApiAnswer> {
  const doFetch = settings.fetch ?? globalThis.fetch;
  const url = new URL(`${settings.baseURL}${call.path}`);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
  let response: Response;
  let text: string;
  try {
    const token = await settings.accessToken();
    const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
    const signal = call.signal === undefined ? timeout : AbortSignal.any([call.signal, timeout]);
    const body = call.form ?? (call.json === undefined ? undefined : JSON.stringify(call.json));
    response = await doFetch(url, {
      method: call.method,
      headers: {
        ...settings.headers,
        authorization: `Bearer ${token}`,
        ...(call.json === undefined ? {} : { 'content-type': 'application/json; charset=UTF-8' }),
      },
      ...(body === undefined ? {} : { body }),
      signal,
    });
    text = await response.text();
  } catch (error) {
    throw mapNetworkFailure(settings.platform, error, call.signal, call.action);
  }
  let json: unknown = text;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    // A non-JSON body (a proxy's error page) is kept as text for the message.
  }
  return { status: response.status, ok: response.ok, headers: response.headers, body: json };
}

/** The client settings of an adapter from its parsed settings. */
export function apiClientSettings(
  platform: string,
  defaultBaseURL: string,
  value: {
    baseURL?: string | undefined;
    accessToken: AccessTokenSource;
    headers?: Record<string, string> | undefined;
    fetch?: typeof globalThis.fetch | undefined;
    requestTimeoutMs: number;
  },
): ApiClientSettings {
  return {
    platform,
    baseURL: apiRoot(value.baseURL, defaultBaseURL),
    accessToken: value.accessToken,
    headers: value.headers ?? {},
    fetch: value.fetch,
    requestTimeoutMs: value.requestTimeoutMs,
  };
}
