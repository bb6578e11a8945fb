import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemOf, startTestHost, type TestHost, tokenFor } from './host';

const INDEX = '<!doctype html><title>vbuckets</title><div id="root"></div>';
const SCRIPT = 'console.log("dashboard");';
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the web dashboard at /', () => {
  const folders: string[] = [];
  let host: TestHost;
  let unbuilt: TestHost;
  beforeAll(async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'vbuckets-web-'));
    folders.push(webRoot);
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), INDEX);
    writeFileSync(join(webRoot, 'assets', 'index-AbC123.js'), SCRIPT);
    writeFileSync(join(webRoot, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    host = await startTestHost('sqlite', { webRoot });
    const empty = mkdtempSync(join(tmpdir(), 'vbuckets-web-unbuilt-'));
    folders.push(empty);
    unbuilt = await startTestHost('sqlite', { webRoot: join(empty, 'dist') });
  });
  afterAll(async () => {
    await host.close();
    await unbuilt.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('serves index.html at / and at any page path, revalidated on every visit', async () => {
    for (const path of ['/', '/buckets', '/some/deep/link']) {
      const page = await host.call(path, { headers: HTML });
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await page.text()).toBe(INDEX);
    }
    const head = await host.call('/', { method: 'HEAD', headers: HTML });
    expect(head.status).toBe(200);
  });

  it('serves hashed assets as immutable and other files revalidated', async () => {
    const script = await host.call('/assets/index-AbC123.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe(SCRIPT);
    const icon = await host.call('/favicon.svg');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    const direct = await host.call('/index.html');
    expect(direct.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing file with a problem 404, never with the page', async () => {
    const missing = await host.call('/assets/index-gone.js', { headers: HTML });
    expect(missing.status).toBe(404);
    expect((await problemOf(missing)).code).toBe('NOT_FOUND');
  });

  it('keeps the API, health checks and OpenAPI as they were', async () => {
    const token = await tokenFor({ userId: 'ana', orgId: 'acme' });
    const unknown = await host.call('/api/v1/nothing-here', { token, headers: HTML });
    expect(unknown.status).toBe(404);
    expect((await problemOf(unknown)).detail).toBe('No route GET /api/v1/nothing-here');
    const outsideVersion = await host.call('/api/v2/buckets', { headers: HTML });
    expect(outsideVersion.status).toBe(404);
    await problemOf(outsideVersion);
    const anonymous = await host.call('/api/v1/buckets', { headers: HTML });
    expect(anonymous.status).toBe(401);
    expect(await (await host.call('/api/v1/buckets', { token })).json()).toEqual([]);
    expect(await (await host.call('/healthz', { headers: HTML })).json()).toEqual({ status: 'ok' });
    const openApi = await host.call('/openapi.json', { headers: HTML });
    expect(openApi.headers.get('content-type')).toMatch(/^application\/json/);
    const posted = await host.call('/', { method: 'POST', headers: HTML });
    expect(posted.status).toBe(404);
    await problemOf(posted);
  });

  it('gives nothing outside the web root for traversal attempts', async () => {
    for (const path of ['/..%2F..%2Fetc%2Fpasswd', '/assets/..%2F..%2Findex.html', '/.env']) {
      const response = await host.call(path, { headers: HTML });
      const text = await response.text();
      expect(text, path).not.toMatch(/root:|SECRET/);
      expect([200, 404], path).toContain(response.status);
      if (response.status === 200) expect(text, path).toBe(INDEX);
    }
  });

  it('says to build the web package when its dist is missing, and the API still answers', async () => {
    const page = await unbuilt.call('/', { headers: HTML });
    expect(page.status).toBe(404);
    expect((await problemOf(page)).detail).toMatch(/web dashboard is not built.*pnpm build/);
    expect(await (await unbuilt.call('/healthz')).json()).toEqual({ status: 'ok' });
  });
});
