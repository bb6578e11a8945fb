import { VBucketsError } from '@vbuckets/core';
import type { z } from 'zod';
import { type ApiCall, type ApiClientSettings, apiClientSettings, apiRequest } from './api-client';
import { graphHttpError } from './meta-graph-error';

/** How a Graph client (Meta ads, Instagram) reaches the API. */
export type GraphClientSettings = ApiClientSettings;

export type GraphCall = Omit<ApiCall, 'json'>;

/**
 * Sends one Graph API request with `Authorization: Bearer <token>` (the token is read for every
 * request, so a host that refreshes it is picked up) and returns the JSON answer; a failure is
 * thrown as a VBucketsError (Graph error codes, or a network failure).
 */
export async function graphRequest(
  settings: GraphClientSettings,
  call: GraphCall,
): Promise<unknown> {
  const answer = await apiRequest(settings, call);
  if (!answer.ok) {
    throw graphHttpError({
      platform: settings.platform,
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
      action: call.action,
    });
  }
  return answer.body;
}

/** The client settings of a Graph uploader from its parsed settings. */
export const graphClientSettings = apiClientSettings;

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
