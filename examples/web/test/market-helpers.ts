import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Creative, MarketRanking } from '@vbuckets/core';
import { expect } from 'vitest';
import { type TestClip, uploadForm } from '../../express/test/tasks-media';
import type { DashboardHost } from './dashboard-host';

/** The development secret's file in the host's data dir (`DEV_SECRET_FILE` of the host). */
const DEV_SECRET_FILE = 'dev-jwt-secret';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * A token for a member (no roles) of org `local`, signed with the host's development secret
 * as the host's `devToken` signs its admin tokens (HS256, its default issuer and audience).
 */
export function memberToken(host: DashboardHost, userId: string): string {
  const secret = readFileSync(join(host.dataDir, DEV_SECRET_FILE), 'utf8').trim();
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256' }));
  const payload = base64url(
    JSON.stringify({
      org_id: 'local',
      roles: [],
      sub: userId,
      iss: 'vbuckets',
      aud: 'vbuckets-api',
      iat: now,
      exp: now + 3600,
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${base64url(signature)}`;
}

/** `host.api` with another bearer token. */
export function callAs(
  host: DashboardHost,
  token: string,
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<Response> {
  const { json, headers, ...rest } = init;
  const merged = new Headers(headers);
  merged.set('authorization', `Bearer ${token}`);
  if (json !== undefined) merged.set('content-type', 'application/json');
  return fetch(`${host.url}/api/v1${path}`, {
    ...rest,
    headers: merged,
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

async function jsonOf<T>(response: Response, status: number): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

let keys = 0;
/** Adds results to a creative through the host's performance route (a fresh key each time). */
export async function recordResults(
  host: DashboardHost,
  creativeId: string,
  results: { impressions?: number; clicks: number; conversions: number },
): Promise<Creative> {
  keys += 1;
  const answer = await host.api(`/creatives/${creativeId}/performance`, {
    method: 'POST',
    json: results,
    headers: { 'idempotency-key': `market-test-${keys}` },
  });
  return (await jsonOf<{ creative: Creative }>(answer, 200)).creative;
}

/** A client creative of the admin, optionally with a registered video. */
export async function addCreative(
  host: DashboardHost,
  fields: { name: string; productCategory: string; hookType?: string; videoId?: string },
): Promise<Creative> {
  return jsonOf<Creative>(await host.api('/creatives', { method: 'POST', json: fields }), 201);
}

/** Registers a private video of the clip's bytes (`POST /videos`). */
export async function registerClip(host: DashboardHost, bytes: Uint8Array, title: string) {
  const answer = await host.api('/videos', {
    method: 'POST',
    body: uploadForm({ field: 'video', bytes, filename: `${title}.mp4` }, { title }),
  });
  return (await jsonOf<{ video: { id: string } }>(answer, 201)).video;
}

/** A public benchmark video (`POST /benchmarks/videos`) ingested as a benchmark creative. */
export async function ingestBenchmark(
  host: DashboardHost,
  clip: TestClip,
  fields: { name: string; productCategory: string },
): Promise<Creative> {
  const registered = await host.api('/benchmarks/videos', {
    method: 'POST',
    body: uploadForm(
      { field: 'video', bytes: clip.variant(), filename: 'winner.mp4' },
      { title: fields.name, productCategory: fields.productCategory },
    ),
  });
  const video = (await jsonOf<{ video: { id: string } }>(registered, 201)).video;
  const ingested = await host.api('/benchmarks', {
    method: 'POST',
    json: {
      ...fields,
      videoId: video.id,
      marketCvr: 0.05,
      marketLongevityDays: 30,
      avgDailyClicks: 1000,
      sourceUrl: `https://www.facebook.com/ads/library/?id=${video.id}`,
    },
  });
  return (await jsonOf<{ creative: Creative }>(ingested, 201)).creative;
}

/** The host's own ranking of a category (what the screen must show). */
export async function hostRanking(host: DashboardHost, productCategory: string) {
  return jsonOf<MarketRanking>(
    await host.api('/market/rank', { method: 'POST', json: { productCategory } }),
    200,
  );
}

/** "4.57%", as the screen writes a rate. */
export const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
