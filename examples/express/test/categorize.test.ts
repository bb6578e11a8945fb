import { describe, expect, it } from 'vitest';
import {
  type Clip,
  filesUnder,
  PRODUCT,
  type RunView,
  sampleClips,
  upload,
  useCategorizeHost,
  videoBytes,
} from './categorize-fixtures';
import { problemOf, STORES } from './host';
import { readEvents } from './sse-client';

describe.each(STORES)('POST /products/:productId/categorize on %s', (kind) => {
  // Small limits, so that the 413s need only small bodies.
  const suite = useCategorizeHost(kind, { limits: { fileBytes: 64 * 1024, files: 5 } });

  /** Nothing of a refused upload is left: no session, no blob, no temporary file. */
  async function expectNothingStored(productId: string, blobsBefore: string[]) {
    const sessions = await suite.host.call(`/api/v1/products/${productId}/sessions`, {
      token: suite.owner,
    });
    expect(await sessions.json()).toEqual([]);
    expect(filesUnder(suite.context.blobsDir)).toEqual(blobsBefore);
    expect(filesUnder(suite.context.tempDir)).toEqual([]);
  }

  it('files uploaded videos inline by their sidecar transcripts (201)', async () => {
    const clips = sampleClips(1);
    const response = await upload(
      suite.host,
      suite.owner,
      clips,
      { mode: 'inline' },
      'inline-product',
    );
    // No buckets in that product yet: refused before anything is stored.
    expect(response.status).toBe(400);
    expect((await problemOf(response)).detail).toMatch(/no buckets/);
    await expectNothingStored('inline-product', []);

    const created = await upload(suite.host, suite.owner, clips, { mode: 'inline' });
    expect(created.status).toBe(201);
    const result = (await created.json()) as RunView;
    expect(result.rows.map((row) => [row.filename, row.status, row.bucketName])).toEqual(
      clips.map((clip) => [
        clip.filename,
        clip.bucket === null ? 'analyzed' : 'categorized',
        clip.bucket,
      ]),
    );
    expect(result.session.counts).toMatchObject({ total: 4, pending: 0, categorized: 3 });
    // The videos were stored, the temporary copies removed.
    expect(new Set(result.rows.map((row) => row.videoId)).size).toBe(4);
    expect(filesUnder(suite.context.blobsDir).length).toBeGreaterThanOrEqual(4);
    expect(filesUnder(suite.context.tempDir)).toEqual([]);
  });

  it('queues an upload (202) that a worker then files, followed live to its summary', async () => {
    const clips = sampleClips(2);
    const response = await upload(suite.host, suite.owner, clips, { mode: 'queued' });
    expect(response.status).toBe(202);
    const started = (await response.json()) as RunView;
    expect(started.rows.map((row) => row.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(started.rows.every((row) => row.videoId !== null)).toBe(true);
    expect(started.job).toMatchObject({ kind: 'categorize.session' });
    expect(filesUnder(suite.context.tempDir)).toEqual([]);

    const worker = suite.host.vbuckets.jobs.work()._unsafeUnwrap();
    try {
      const events = await readEvents(suite.host, `/api/v1/sessions/${started.session.id}/events`, {
        token: suite.owner,
      });
      const summary = events.at(-1);
      expect(summary?.event).toBe('summary');
      expect(summary?.data).toMatchObject({
        countsByStatus: { total: 4, pending: 0, categorized: 3, analyzed: 1 },
      });
    } finally {
      await worker.close();
    }
  });

  it('refuses a video over the size limit with 413 and stores nothing', async () => {
    const blobsBefore = filesUnder(suite.context.blobsDir);
    const clips: Clip[] = [
      sampleClips(3)[0] as Clip,
      { filename: 'huge.mp4', bytes: videoBytes(9, 64 * 1024 + 1), bucket: null },
    ];
    const response = await upload(suite.host, suite.owner, clips, {}, 'refusals');
    expect(response.status).toBe(413);
    const problem = await problemOf(response);
    expect(problem.detail).toMatch(/huge\.mp4.*65536 bytes/);
    await expectNothingStored('refusals', blobsBefore);
  });

  it('refuses more videos than allowed with 413 and stores nothing', async () => {
    const blobsBefore = filesUnder(suite.context.blobsDir);
    const clips = [...sampleClips(4), ...sampleClips(5)];
    const response = await upload(suite.host, suite.owner, clips, {}, 'refusals');
    expect(response.status).toBe(413);
    expect((await problemOf(response)).detail).toMatch(/at most 5/);
    await expectNothingStored('refusals', blobsBefore);
  });

  it('refuses another content type with 415, and a form without videos or a bad mode with 400', async () => {
    const blobsBefore = filesUnder(suite.context.blobsDir);
    const json = await suite.host.call(`/api/v1/products/${PRODUCT}/categorize`, {
      method: 'POST',
      token: suite.owner,
      json: { videos: [] },
    });
    expect(json.status).toBe(415);
    expect((await problemOf(json)).path).toBe('content-type');

    const empty = await upload(suite.host, suite.owner, [], { provider: 'keyword' }, 'refusals');
    expect(empty.status).toBe(400);
    expect(await problemOf(empty)).toMatchObject({ code: 'VALIDATION', path: 'body.videos' });

    const badMode = await upload(
      suite.host,
      suite.owner,
      sampleClips(6),
      { mode: 'later' },
      'refusals',
    );
    expect(badMode.status).toBe(400);
    expect((await problemOf(badMode)).path).toBe('mode');

    const badProvider = await upload(
      suite.host,
      suite.owner,
      sampleClips(6),
      { provider: 'gpt' },
      'refusals',
    );
    expect(badProvider.status).toBe(400);
    expect((await problemOf(badProvider)).path).toBe('provider');
    await expectNothingStored('refusals', blobsBefore);
  });

  it('documents the multipart body in the OpenAPI document', async () => {
    const document = (await (await suite.host.call('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    const operation = document.paths['/api/v1/products/{productId}/categorize']?.post;
    expect(operation?.requestBody?.content['multipart/form-data']).toMatchObject({
      schema: {
        properties: {
          videos: { type: 'array', items: { type: 'string', format: 'binary' } },
          mode: { enum: ['queued', 'inline'] },
        },
        required: ['videos'],
      },
    });
  });

  it('refuses anonymous callers before reading the body', async () => {
    const response = await upload(suite.host, undefined, sampleClips(7));
    expect(response.status).toBe(401);
    expect((await problemOf(response)).code).toBe('UNAUTHENTICATED');
  });
});
