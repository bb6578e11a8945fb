import { VBucketsError } from '@vbuckets/core';
import type { z } from 'zod';
import { graphHttpError } from './meta-graph-error';
import { mapNetworkFailure } from './uploader-error';
import { type AccessTokenSource, apiRoot } from './uploader-settings';

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

/** The client settings of a Graph uploader from its parsed settings. */
export function graphClientSettings(
  platform: string,
  defaultBaseURL: string,
  value: {
    baseURL?: string | undefined;
    accessToken: AccessTokenSource;
    headers?: Record<string, string> | undefined;
    fetch?: typeof globalThis.fetch | undefined;
    requestTimeoutMs: number;
  },
): GraphClientSettings {
  return {
    platform,
    baseURL: apiRoot(value.baseURL, defaultBaseURL),
    accessToken: value.accessToken,
    headers: value.headers ?? {},
    fetch: value.fetch,
    requestTimeoutMs: value.requestTimeoutMs,
  };
}

/** A form body of string fields. */
export function graphForm(fields: Record<string, string>): FormData {
  const body = new FormData();
  for (const [name, field] of Object.entries(fields)) body.set(name, field);
  return body;
}

/** Parses a Graph answer; an unexpected one is a final PROVIDER error. */
export function parseGraphAnswer<T>(
  platform: string,
  schema: z.ZodType<T>,
  answer: unknown,
  action: string,
): T {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  throw new VBucketsError('PROVIDER', `The Graph API gave an unexpected answer to ${action}`, {
    cause: parsed.error,
    retryable: false,
    details: { platform, answer: JSON.stringify(answer)?.slice(0, 500) },
  });
}
