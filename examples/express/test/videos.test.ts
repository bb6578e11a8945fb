import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemOf, STORES, startTestHost, type TestHost, tokenFor } from './host';
import { mp4Bytes, nextSeed, registerVideo, type VideoJson, videoForm } from './videos-helpers';

/** Every file under the host's blob folder (none until something is stored). */
function storedFiles(host: TestHost): string[] {
  try {
    return readdirSync(join(host.dataDir, 'blobs'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

describe.each(STORES)('videos routes on %s', (kind) => {
  let host: TestHost;
  let owner: string;
  let other: string;
  beforeAll(async () => {
    host = await startTestHost(kind, { limits: { fileBytes: 64 * 1024 } });
    owner = await tokenFor({ userId: 'ana', orgId: 'acme' });
    other = await tokenFor({ userId: 'dee', orgId: 'globex' });
  });
  afterAll(() => host.close());

  it('registers a streamed video, lists it, reads it, allows duplicates and verifies it', async () => {
    const bytes = mp4Bytes(nextSeed(), 48 * 1024);
    const created = await host.call('/api/v1/videos', {
      method: 'POST',
      token: owner,
      body: videoForm(bytes, {
        filename: 'Bloated after lunch.mp4',
        fields: { title: 'Bloated?', duplicateAllowed: 'true' },
      }),
    });
    expect(created.status).toBe(201);
    const registered = (await created.json()) as { video: VideoJson; created: boolean };
    expect(registered.created).toBe(true);
    expect(registered.video).toMatchObject({
      orgId: 'acme',
      ownerId: 'ana',
      title: 'Bloated?',
      filename: 'Bloated after lunch.mp4',
      sizeBytes: bytes.byteLength,
      duplicateAllowed: true,
      visibility: 'private',
    });
    const id = registered.video.id;

    // The same content again is the same video: 200, not a second one.
    const again = await host.call('/api/v1/videos', {
      method: 'POST',
      token: owner,
      body: videoForm(bytes, { filename: 'copy.mp4' }),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ created: false, video: { id } });

    const listed = await host.call('/api/v1/videos?limit=10', { token: owner });
    expect(listed.status).toBe(200);
    const videos = (await listed.json()) as (VideoJson & { uploads: object })[];
    expect(videos.find((video) => video.id === id)).toMatchObject({ id, uploads: {} });

    const read = await host.call(`/api/v1/videos/${id}`, { token: owner });
    expect(await read.json()).toMatchObject({ id, sha256: registered.video.sha256 });

    const patched = await host.call(`/api/v1/videos/${id}`, {
      method: 'PATCH',
      token: owner,
      json: { duplicateAllowed: false },
    });
    expect(await patched.json()).toMatchObject({ id, duplicateAllowed: false });

    const verified = await host.call(`/api/v1/videos/${id}/verify`, {
      method: 'POST',
      token: owner,
    });
    expect(await verified.json()).toMatchObject({
      status: 'ok',
      expected: { sizeBytes: bytes.byteLength },
      actual: { sizeBytes: bytes.byteLength, sha256: registered.video.sha256 },
    });

    // Another org meets none of it.
    expect((await host.call(`/api/v1/videos/${id}`, { token: other })).status).toBe(404);
    expect(await (await host.call('/api/v1/videos', { token: other })).json()).toEqual([]);
  });

  it('pages the list with limit and after', async () => {
    const token = await tokenFor({ userId: 'pat', orgId: `pager-${kind}` });
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      ids.push((await registerVideo(host, token, nextSeed())).id);
    }
    const first = (await (await host.call('/api/v1/videos?limit=2', { token })).json()) as {
      id: string;
    }[];
    expect(first).toHaveLength(2);
    const rest = (await (
      await host.call(`/api/v1/videos?limit=2&after=${first[1]?.id}`, { token })
    ).json()) as { id: string }[];
    expect([...first, ...rest].map((video) => video.id).sort()).toEqual([...ids].sort());

    const bad = await host.call('/api/v1/videos?limit=0', { token });
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).path).toBe('query.limit');
  });

  it('refuses a file over the limit with 413 and stores nothing', async () => {
    const token = await tokenFor({ userId: 'ana', orgId: `big-${kind}` });
    const before = storedFiles(host);
    const response = await host.call('/api/v1/videos', {
      method: 'POST',
      token,
      body: videoForm(mp4Bytes(nextSeed(), 200 * 1024)),
    });
    expect(response.status).toBe(413);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ code: 'VALIDATION', path: 'file' });
    expect(problem.detail).toMatch(/larger than the limit of 65536 bytes/);
    expect(storedFiles(host)).toEqual(before);
    expect(await (await host.call('/api/v1/videos', { token })).json()).toEqual([]);
  });

  it('answers 415 for a body that is not a form and for a file that is not a video', async () => {
    const json = await host.call('/api/v1/videos', {
      method: 'POST',
      token: owner,
      json: { title: 'x' },
    });
    expect(json.status).toBe(415);
    expect((await problemOf(json)).path).toBe('content-type');

    const text = await host.call('/api/v1/videos', {
      method: 'POST',
      token: owner,
      body: videoForm(new TextEncoder().encode('just some notes, no video'), {
        filename: 'notes.txt',
      }),
    });
    expect(text.status).toBe(415);
    expect((await problemOf(text)).detail).toMatch(/notes\.txt/);

    const disguised = await host.call('/api/v1/videos', {
      method: 'POST',
      token: owner,
      body: videoForm(new TextEncoder().encode('not an mp4 at all, only text'.repeat(20)), {
        filename: 'fake.mp4',
      }),
    });
    expect(disguised.status).toBe(415);
  });

  it('answers 400 naming the field for a bad form', async () => {
    const flag = await host.call('/api/v1/videos', {
      method: 'POST',
      token: owner,
      body: videoForm(mp4Bytes(nextSeed()), { fields: { duplicateAllowed: 'maybe' } }),
    });
    expect(flag.status).toBe(400);
    expect((await problemOf(flag)).path).toBe('body.duplicateAllowed');

    const unknown = await host.call('/api/v1/videos', {
      method: 'POST',
      token: owner,
      body: videoForm(mp4Bytes(nextSeed()), { fields: { colour: 'red' } }),
    });
    expect(unknown.status).toBe(400);
    expect((await problemOf(unknown)).path).toBe('body.colour');

    const noFile = new FormData();
    noFile.append('title', 'no file');
    const missing = await host.call('/api/v1/videos', {
      method: 'POST',
      token: owner,
      body: noFile,
    });
    expect(missing.status).toBe(400);
    expect((await problemOf(missing)).path).toBe('body.video');

    // The file is stored while it streams, so a field after it refuses the whole form.
    const token = await tokenFor({ userId: 'ana', orgId: `late-${kind}` });
    const late = await host.call('/api/v1/videos', {
      method: 'POST',
      token,
      body: videoForm(mp4Bytes(nextSeed()), { fields: { title: 'Late' }, fieldsAfter: true }),
    });
    expect(late.status).toBe(400);
    expect(await problemOf(late)).toMatchObject({ path: 'body.title' });
    expect(await (await host.call('/api/v1/videos', { token })).json()).toEqual([]);

    const patch = await host.call(
      `/api/v1/videos/${(await registerVideo(host, owner, nextSeed())).id}`,
      {
        method: 'PATCH',
        token: owner,
        json: { duplicateAllowed: 'yes' },
      },
    );
    expect(patch.status).toBe(400);
    expect((await problemOf(patch)).path).toBe('body.duplicateAllowed');
  });
});
