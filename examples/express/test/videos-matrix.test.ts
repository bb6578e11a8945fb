import { createFakeVideoAnalyzer } from '@vbuckets/core/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { assertMatrix, ORG_SHARED } from './auth-matrix';
import { STORES, type TestHost } from './host';
import { startMarketHost } from './market-helpers';
import { mp4Bytes, nextSeed, registerVideo, videoForm } from './videos-helpers';

const EVERY_CALLER = { anonymous: 401, owner: 200, member: 200, admin: 200, otherOrg: 200 };

describe.each(STORES)('videos routes: who may call them, on %s', (kind) => {
  let host: TestHost;
  beforeAll(async () => {
    // A blob store that presigns, so the access route has URLs to hand out.
    host = await startMarketHost(kind, createFakeVideoAnalyzer());
  });
  afterAll(() => host.close());

  const fresh = async (_host: TestHost, owner: string) => ({
    video: await registerVideo(host, owner, nextSeed()),
  });

  it('POST /videos: any signed-in caller registers into their own org', async () => {
    await assertMatrix(host, {
      name: 'POST /videos',
      setup: async () => ({}),
      request: (_host, token) =>
        host.call('/api/v1/videos', {
          method: 'POST',
          token,
          body: videoForm(mp4Bytes(nextSeed())),
        }),
      expected: { ...EVERY_CALLER, owner: 201, member: 201, admin: 201, otherOrg: 201 },
    });
  });

  it('GET /videos: a list of the caller org', async () => {
    await assertMatrix(host, {
      name: 'GET /videos',
      setup: fresh,
      request: (_host, token) => host.call('/api/v1/videos', { token }),
      expected: EVERY_CALLER,
    });
  });

  it('GET, PATCH and verify of one video: shared in the org, hidden from others', async () => {
    await assertMatrix(host, {
      name: 'GET /videos/:videoId',
      setup: fresh,
      request: (_host, token, { video }) => host.call(`/api/v1/videos/${video.id}`, { token }),
      expected: ORG_SHARED(200),
    });
    await assertMatrix(host, {
      name: 'PATCH /videos/:videoId',
      setup: fresh,
      request: (_host, token, { video }) =>
        host.call(`/api/v1/videos/${video.id}`, {
          method: 'PATCH',
          token,
          json: { duplicateAllowed: true },
        }),
      expected: ORG_SHARED(200),
    });
    await assertMatrix(host, {
      name: 'POST /videos/:videoId/verify',
      setup: fresh,
      request: (_host, token, { video }) =>
        host.call(`/api/v1/videos/${video.id}/verify`, { method: 'POST', token }),
      expected: ORG_SHARED(200),
    });
  });

  it("GET /videos/:videoId/access: a private video is its owner's and the org admins'", async () => {
    await assertMatrix(host, {
      name: 'GET /videos/:videoId/access',
      setup: fresh,
      request: (_host, token, { video }) =>
        host.call(`/api/v1/videos/${video.id}/access`, { token }),
      expected: { anonymous: 401, owner: 200, member: 404, admin: 200, otherOrg: 404 },
    });
  });
});
