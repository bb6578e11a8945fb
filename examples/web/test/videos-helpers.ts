import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Upload, UploadAttempt, Video } from '@vbuckets/core';
import { expect } from 'vitest';
import type { DashboardHost } from './dashboard-host';

export type VideoRow = Video & { uploads: Record<string, string> };
export type HistoryEntry = Upload & { symbol: string; attempts: UploadAttempt[] };

/** A webhook receiver for the host's `webhook` platform: answers `{ id }`, or a rate limit when told. */
export interface WebhookReceiver {
  url: string;
  /** The `VBUCKETS_WEBHOOK_*` settings that point the host at it. */
  env: Record<string, string>;
  /** Deliveries received, answered or not. */
  readonly deliveries: number;
  /** The next delivery is answered 429 with `Retry-After: <seconds>`. */
  rateLimitNext(seconds: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let deliveries = 0;
  let limits: number[] = [];
  const server = createServer((request, response) => {
    // The whole delivery is read before answering, as a real receiver would.
    request.resume();
    request.on('end', () => {
      deliveries += 1;
      const [retryAfter, ...rest] = limits;
      limits = rest;
      if (retryAfter !== undefined) {
        response.writeHead(429, { 'retry-after': String(retryAfter) }).end('slow down');
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: `hook-${deliveries}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deliveries`;
  return {
    url,
    env: { VBUCKETS_WEBHOOK_URL: url, VBUCKETS_WEBHOOK_SECRET: 'a-test-secret-of-32-characters!!' },
    get deliveries() {
      return deliveries;
    },
    rateLimitNext: (seconds) => limits.push(seconds),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const base64url = (text: string | Buffer) => Buffer.from(text).toString('base64url');

/**
 * A token of a member (no roles) of org `local`, signed with the host's development secret as
 * its own `/dev/token` signs the admin's (issuer `vbuckets`, audience `vbuckets-api`).
 */
export function memberToken(host: DashboardHost, userId: string): string {
  const secret = readFileSync(join(host.dataDir, 'dev-jwt-secret'), 'utf8').trim();
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = base64url(
    JSON.stringify({
      sub: userId,
      org_id: 'local',
      roles: [],
      iss: 'vbuckets',
      aud: 'vbuckets-api',
      iat: now,
      exp: now + 3600,
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
  return `${header}.${claims}.${signature}`;
}

/** Registers a video through the host's multipart route as the admin (201 expected). */
export async function registerThroughApi(
  host: DashboardHost,
  bytes: Uint8Array,
  title: string,
): Promise<Video> {
  const form = new FormData();
  form.append('title', title);
  form.append('video', new Blob([new Uint8Array(bytes)], { type: 'video/mp4' }), 'clip.mp4');
  const response = await host.api('/videos', { method: 'POST', body: form });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { video: Video }).video;
}

/** The org's videos as the host lists them (the first page, newest first). */
export const storedVideos = async (host: DashboardHost) =>
  (await (await host.api('/videos?limit=1000')).json()) as VideoRow[];

/** A video's upload history as the host has it. */
export const storedHistory = async (host: DashboardHost, videoId: string) =>
  (await (await host.api(`/videos/${videoId}/uploads`)).json()) as HistoryEntry[];
