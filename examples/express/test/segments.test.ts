import type { Segment } from '@vbuckets/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX_USERS, ORG_SHARED } from './auth-matrix';
import { problemOf, STORES, startTestHost, type TestHost, tokenFor } from './host';
import {
  addSegment,
  recordUsage,
  registerVideo,
  segmentHostOptions,
  segmentOfNewVideo,
} from './segments-helpers';
import { assertMatrixRows, type MatrixRow } from './tasks-matrix';
import { uploadForm } from './tasks-media';

interface SegmentJson {
  id: string;
  videoId: string;
  segmentNumber: number;
  durationSec: number;
  tags: string[];
  title: string | null;
  sizeBytes: number;
  socialUsage: { platform: string; views: number }[];
}

describe.each(STORES)('segments routes on %s', (kind) => {
  let host: TestHost;
  let owner: string;
  let other: string;
  beforeAll(async () => {
    host = await startTestHost(kind, segmentHostOptions());
    owner = await tokenFor(MATRIX_USERS.owner);
    other = await tokenFor(MATRIX_USERS.otherOrg);
  });
  afterAll(() => host.close());

  const ids = async (path: string) =>
    ((await (await host.call(path, { token: owner })).json()) as SegmentJson[]).map(
      (segment) => segment.id,
    );

  it('creates a segment from an uploaded file, reads, updates, lists by video and deletes it', async () => {
    const videoId = await registerVideo(host);
    const bytes = new TextEncoder().encode('the first five seconds');
    const created = await host.call('/api/v1/segments', {
      method: 'POST',
      token: owner,
      body: uploadForm(
        { field: 'file', bytes, filename: 'part-1.mp4' },
        { videoId, durationSec: '5.5', title: 'Hook', tags: ['hook', 'intro'], id: 'seg_hook' },
      ),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const segment = (await created.json()) as SegmentJson;
    expect(segment).toMatchObject({
      id: 'seg_hook',
      videoId,
      durationSec: 5.5,
      tags: ['hook', 'intro'],
      sizeBytes: bytes.length,
      segmentNumber: 1,
    });

    const updated = await host.call('/api/v1/segments/seg_hook', {
      method: 'PUT',
      token: owner,
      json: { title: 'Hook, cut', usage: [{ platform: 'tiktok', postId: '7300', views: 10 }] },
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({
      title: 'Hook, cut',
      tags: ['hook', 'intro'],
      socialUsage: [{ platform: 'tiktok', postId: '7300', views: 10 }],
    });
    expect(await ids(`/api/v1/videos/${videoId}/segments`)).toEqual(['seg_hook']);
    expect((await host.call('/api/v1/segments/seg_hook', { token: other })).status).toBe(404);

    const deleted = await host.call('/api/v1/segments/seg_hook', {
      method: 'DELETE',
      token: owner,
    });
    expect(await deleted.json()).toMatchObject({ segment: { id: 'seg_hook' }, blobKept: false });
    expect((await host.call('/api/v1/segments/seg_hook', { token: owner })).status).toBe(404);
  });

  it('refuses a bad upload with the field named, a taken id with 409 and an unknown video with 404', async () => {
    const videoId = await registerVideo(host);
    const post = (fields: Record<string, string | string[]>, token = owner) =>
      host.call('/api/v1/segments', {
        method: 'POST',
        token,
        body: uploadForm(
          { field: 'file', bytes: new Uint8Array([1, 2, 3]), filename: 'x.mp4' },
          fields,
        ),
      });
    const noDuration = await post({ videoId });
    expect(noDuration.status).toBe(400);
    expect((await problemOf(noDuration)).path).toBe('body.durationSec');
    const badDuration = await post({ videoId, durationSec: 'long' });
    expect((await problemOf(badDuration)).path).toBe('body.durationSec');
    const unknownField = await post({ videoId, durationSec: '1', colour: 'red' });
    expect((await problemOf(unknownField)).path).toBe('body');
    expect((await post({ videoId, durationSec: '1', id: 'seg_once' })).status).toBe(201);
    const taken = await post({ videoId, durationSec: '1', id: 'seg_once' });
    expect(taken.status).toBe(409);
    const foreignVideo = await post({ videoId, durationSec: '1' }, other);
    expect(foreignVideo.status).toBe(404);

    const json = await host.call('/api/v1/segments', {
      method: 'POST',
      token: owner,
      json: { videoId },
    });
    expect(json.status).toBe(415);
    const noBoundary = await host.call('/api/v1/segments', {
      method: 'POST',
      token: owner,
      headers: { 'content-type': 'multipart/form-data' },
      body: 'not a form',
    });
    expect(noBoundary.status).toBe(400);
    expect((await problemOf(noBoundary)).path).toBe('content-type');
  });

  it('refuses a form without its one file, with a second file, in another field, or with too many fields, keeping nothing', async () => {
    const videoId = await registerVideo(host);
    const fields = { videoId, durationSec: '1' };
    const file = { field: 'file', bytes: new Uint8Array([1, 2, 3]), filename: 'x.mp4' };
    const send = (body: FormData) =>
      host.call('/api/v1/segments', { method: 'POST', token: owner, body });

    const noFile = new FormData();
    noFile.append('videoId', videoId);
    noFile.append('durationSec', '1');
    const missing = await send(noFile);
    expect(missing.status).toBe(400);
    expect(await problemOf(missing)).toMatchObject({ code: 'VALIDATION', path: 'body.file' });

    const twoFiles = uploadForm(file, fields);
    twoFiles.append('file', new Blob([new Uint8Array([4, 5])], { type: 'video/mp4' }), 'y.mp4');
    const second = await send(twoFiles);
    expect(second.status).toBe(413);
    expect(await problemOf(second)).toMatchObject({ code: 'VALIDATION', path: 'body.file' });

    const elsewhere = await send(uploadForm({ ...file, field: 'video' }, fields));
    expect(elsewhere.status).toBe(400);
    expect((await problemOf(elsewhere)).path).toBe('body.video');

    const crowded = uploadForm(file, fields);
    for (let index = 0; index < 100; index++) crowded.append(`extra${index}`, 'x');
    const tooMany = await send(crowded);
    expect(tooMany.status).toBe(400);
    expect(await problemOf(tooMany)).toMatchObject({ code: 'VALIDATION', path: 'body' });

    const listed = await host.call(`/api/v1/videos/${videoId}/segments`, { token: owner });
    expect(await listed.json()).toEqual([]);
  });

  it('answers a file over the host limit with 413 and keeps nothing of it', async () => {
    const small = await startTestHost(kind, { ...segmentHostOptions(), limits: { fileBytes: 16 } });
    try {
      const videoId = await registerVideo(small);
      const response = await small.call('/api/v1/segments', {
        method: 'POST',
        token: owner,
        body: uploadForm(
          { field: 'file', bytes: new Uint8Array(64), filename: 'big.mp4' },
          { videoId, durationSec: '1' },
        ),
      });
      expect(response.status).toBe(413);
      expect((await problemOf(response)).path).toBe('body.file');
      expect(
        await (await small.call(`/api/v1/videos/${videoId}/segments`, { token: owner })).json(),
      ).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('narrows the list with every seed-004 filter given as query parameters, and sorts it', async () => {
    const videoId = await registerVideo(host);
    const short = await addSegment(host, videoId, { durationSec: 2, tags: ['hook'] });
    const middle = await addSegment(host, videoId, { durationSec: 5, tags: ['hook', 'cta'] });
    const long = await addSegment(host, videoId, { durationSec: 9, segmentType: 'original' });
    await recordUsage(host, middle.id, { platform: 'tiktok', postId: 'p1', views: 500, likes: 50 });
    await recordUsage(host, long.id, { platform: 'youtube', postId: 'p2', views: 100, likes: 1 });
    const base = `/api/v1/segments?videoId=${videoId}`;
    expect(new Set(await ids(base))).toEqual(new Set([short.id, middle.id, long.id]));
    expect(
      await ids(`${base}&minDuration=3&maxDuration=9&sortBy=durationSec&sortOrder=asc`),
    ).toEqual([middle.id, long.id]);
    expect(await ids(`${base}&maxDuration=4.5`)).toEqual([short.id]);
    expect(new Set(await ids(`${base}&tags=hook`))).toEqual(new Set([short.id, middle.id]));
    expect(await ids(`${base}&tags=hook&tags=cta`)).toEqual([middle.id]);
    expect(await ids(`${base}&tags=hook,cta`)).toEqual([middle.id]);
    expect(await ids(`${base}&hasSocialMedia=false`)).toEqual([short.id]);
    expect(await ids(`${base}&hasSocialMedia=true&sortBy=views&sortOrder=desc`)).toEqual([
      middle.id,
      long.id,
    ]);
    expect(await ids(`${base}&platform=youtube`)).toEqual([long.id]);
    expect(await ids(`${base}&type=original`)).toEqual([long.id]);
    expect(await ids(`${base}&sortBy=durationSec&sortOrder=desc&limit=1`)).toEqual([long.id]);
    expect(await ids(`${base}&sortBy=durationSec&sortOrder=desc&limit=1&after=${long.id}`)).toEqual(
      [middle.id],
    );
  });

  it('answers a bad filter with 400 naming the query parameter', async () => {
    const cases: [string, string][] = [
      ['minDuration=abc', 'query.minDuration'],
      ['minDuration=-1', 'query.minDuration'],
      ['minDuration=5&maxDuration=2', 'query.maxDuration'],
      ['hasSocialMedia=maybe', 'query.hasSocialMedia'],
      ['type=trailer', 'query.type'],
      ['platform=myspace', 'query.platform'],
      ['sortBy=likes', 'query.sortBy'],
      ['limit=2000', 'query.limit'],
      ['minDuration=1&minDuration=2', 'query.minDuration'],
      ['min_duration=1', 'query'],
    ];
    for (const [query, path] of cases) {
      const response = await host.call(`/api/v1/segments?${query}`, { token: owner });
      expect(response.status, query).toBe(400);
      expect((await problemOf(response)).path, query).toBe(path);
    }
  });

  it('keeps segments inside their org: the auth matrix of every segment route', async () => {
    const setup = (current: TestHost) => segmentOfNewVideo(current);
    const rows: MatrixRow<Segment>[] = [
      {
        name: 'GET segment',
        request: (s) => [`/api/v1/segments/${s.id}`, {}],
        expected: ORG_SHARED(200),
      },
      {
        name: 'PUT segment',
        request: (s) => [`/api/v1/segments/${s.id}`, { method: 'PUT', json: { title: 'New' } }],
        expected: ORG_SHARED(200),
      },
      {
        name: 'DELETE segment',
        request: (s) => [`/api/v1/segments/${s.id}`, { method: 'DELETE' }],
        expected: ORG_SHARED(200),
      },
      {
        name: 'GET video segments',
        request: (s) => [`/api/v1/videos/${s.videoId}/segments`, {}],
        expected: ORG_SHARED(200),
      },
      {
        name: 'GET social-media',
        request: (s) => [`/api/v1/segments/${s.id}/social-media`, {}],
        expected: ORG_SHARED(200),
      },
      {
        name: 'POST social-media',
        request: (s) => [
          `/api/v1/segments/${s.id}/social-media`,
          { method: 'POST', json: { platform: 'instagram', postId: 'ig1', views: 3 } },
        ],
        expected: ORG_SHARED(200),
      },
      {
        name: 'GET segment analytics',
        request: (s) => [`/api/v1/segments/${s.id}/analytics`, {}],
        expected: ORG_SHARED(200),
      },
      {
        name: 'GET download (owner and admins only)',
        request: (s) => [`/api/v1/segments/${s.id}/download`, {}],
        expected: { anonymous: 401, owner: 200, member: 404, admin: 200, otherOrg: 404 },
      },
      {
        name: 'POST split, queued',
        request: (s) => [
          `/api/v1/videos/${s.videoId}/segments/split`,
          { method: 'POST', json: { segmentSeconds: 2, queue: true } },
        ],
        expected: ORG_SHARED(202),
      },
      {
        name: 'POST segment (upload to the video)',
        request: (s) => [
          '/api/v1/segments',
          {
            method: 'POST',
            body: uploadForm(
              { field: 'file', bytes: new Uint8Array([7, 7, 7]), filename: 'piece.mp4' },
              { videoId: s.videoId, durationSec: '1' },
            ),
          },
        ],
        expected: ORG_SHARED(201),
      },
      {
        name: 'GET segments (list of the video)',
        request: (s) => [`/api/v1/segments?videoId=${s.videoId}`, {}],
        expected: { ...ORG_SHARED(200), otherOrg: 200 },
      },
    ];
    await assertMatrixRows(host, setup, rows);
  });
});
