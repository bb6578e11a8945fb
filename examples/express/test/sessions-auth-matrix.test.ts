import { afterAll, beforeAll, describe, it } from 'vitest';
import { assertMatrix, type MatrixActor, ORG_SHARED } from './auth-matrix';
import {
  createBuckets,
  PRODUCT,
  type RunView,
  sampleClips,
  startCategorizeHost,
  upload,
} from './categorize-fixtures';
import { STORES, type TestHost } from './host';

/** Lists of a product: every signed-in caller gets 200 (another org's list is simply empty). */
const ANY_MEMBER = (success: number): Record<MatrixActor, number> => ({
  ...ORG_SHARED(success),
  otherOrg: success,
});

describe.each(STORES)('who may call the categorize and session routes on %s', (kind) => {
  let context: Awaited<ReturnType<typeof startCategorizeHost>>;
  let host: TestHost;
  let buckets: Record<string, string>;
  let shared: RunView | undefined;
  beforeAll(async () => {
    context = await startCategorizeHost(kind);
    host = context.host;
  });
  afterAll(() => context.close());

  /** One finished session of the owner's org, made once: the read routes change nothing. */
  async function session(owner: string): Promise<RunView> {
    if (shared === undefined) {
      buckets = await createBuckets(host, owner);
      const response = await upload(host, owner, sampleClips(1).slice(0, 2), { mode: 'inline' });
      shared = (await response.json()) as RunView;
    }
    return shared;
  }

  const reads: Array<[string, (run: RunView) => string]> = [
    ['GET /sessions/:sessionId', (run) => `/api/v1/sessions/${run.session.id}`],
    ['GET /sessions/:sessionId/results', (run) => `/api/v1/sessions/${run.session.id}/results`],
    [
      'GET /sessions/:sessionId/results.csv',
      (run) => `/api/v1/sessions/${run.session.id}/results.csv`,
    ],
    [
      'GET /sessions/:sessionId/buckets/:bucketId/zip',
      (run) => `/api/v1/sessions/${run.session.id}/buckets/${buckets['Gut Health']}/zip`,
    ],
    ['GET /sessions/:sessionId/events', (run) => `/api/v1/sessions/${run.session.id}/events`],
  ];
  it.each(reads)('%s: shared in the org, 404 for another', async (name, path) => {
    await assertMatrix(host, {
      name,
      setup: (_host, owner) => session(owner),
      request: (target, token, run) => target.call(path(run), token === undefined ? {} : { token }),
      expected: ORG_SHARED(200),
    });
  });

  it('POST /sessions/:sessionId/retry: shared in the org, 404 for another', async () => {
    await assertMatrix(host, {
      name: 'POST /sessions/:sessionId/retry',
      setup: (_host, owner) => session(owner),
      request: (target, token, run) =>
        target.call(`/api/v1/sessions/${run.session.id}/retry`, {
          method: 'POST',
          json: {},
          ...(token === undefined ? {} : { token }),
        }),
      expected: ORG_SHARED(200),
    });
  });

  it('POST /categorizations/uploaded: any member; another org matches no row', async () => {
    await assertMatrix(host, {
      name: 'POST /categorizations/uploaded',
      setup: (_host, owner) => session(owner),
      request: (target, token, run) =>
        target.call('/api/v1/categorizations/uploaded', {
          method: 'POST',
          json: { ids: run.rows.map((row) => row.id) },
          ...(token === undefined ? {} : { token }),
        }),
      expected: ANY_MEMBER(200),
    });
  });

  it.each([
    ['GET /products/:productId/sessions', `/api/v1/products/${PRODUCT}/sessions`],
    ['GET /products/:productId/uploaded', `/api/v1/products/${PRODUCT}/uploaded`],
  ])('%s: any member (lists of the caller org only)', async (name, path) => {
    await assertMatrix(host, {
      name,
      setup: (_host, owner) => session(owner),
      request: (target, token) => target.call(path, token === undefined ? {} : { token }),
      expected: ANY_MEMBER(200),
    });
  });

  it('POST /products/:productId/categorize: any member; another org has no such buckets', async () => {
    await assertMatrix(host, {
      name: 'POST /products/:productId/categorize',
      setup: (_host, owner) => session(owner),
      request: (target, token) => upload(target, token, sampleClips(2).slice(0, 1)),
      expected: { ...ORG_SHARED(202), otherOrg: 400 },
    });
  });
});
