import { graphHttpError } from './meta-graph-error';
import { mapNetworkFailure } from './uploader-error';

/** Returns the current access token; refreshing it is the host's job. */
export type AccessTokenSource = () => string | Promise<string>;

/** Waits `milliseconds`; rejects when `signal` aborts. */
export type UploaderSleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

/** A timer that an abort cuts short (it then rejects with the signal's reason). */
export const timerSleep: UploaderSleep = (milliseconds, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** How a Graph client (Meta ads, Instagram) reaches the API. */
export interface GraphClientSettings {
  platform: string;
  baseURL: string;
  accessToken: AccessTokenSource;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch | undefined;
  requestTimeoutMs: number;
}

export interface GraphCall {
  method: 'GET' | 'POST';
  /** Path under `baseURL`, e.g. `/act_1/advideos`. */
  path: string;
  /** Query parameters (GET). */
  query?: Record<string, string>;
  /** The form body (POST): multipart when it holds a Blob. */
  form?: FormData;
  /** What is being done, for messages: `upload start`. */
  action: string;
  signal?: AbortSignal;
}

/**
 * Sends one Graph API request with `Authorization: Bearer <token>` (the token is read for every
 * request, so a host that refreshes it is picked up) and returns the JSON answer; a failure is
 * thrown as a VBucketsError (Graph error codes, or a network failure).
 */
export async function graphRequest(
  settings: GraphClientSettings,
  call: GraphCall,
): Promise<unknown> {
  const doFetch = settings.fetch ?? globalThis.fetch;
  const url = new URL(`${settings.baseURL}${call.path}`);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
  let response: Response;
  let text: string;
  try {
    const token = await settings.accessToken();
    const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
    const signal = call.signal === undefined ? timeout : AbortSignal.any([call.signal, timeout]);
    response = await doFetch(url, {
      method: call.method,
      headers: { ...settings.headers, authorization: `Bearer ${token}` },
      ...(call.form === undefined ? {} : { body: call.form }),
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
  if (!response.ok) {
    throw graphHttpError({
      platform: settings.platform,
      status: response.status,
      headers: response.headers,
      body: json,
      action: call.action,
    });
  }
  return json;
}
