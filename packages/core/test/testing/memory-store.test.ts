import { okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { vbucketsError } from '../../src/errors';
import type { StoreRepositories } from '../../src/ports/store';
import type { Bucket } from '../../src/schemas/bucket';
import type { Video } from '../../src/schemas/video';
import { createMemoryStore } from '../../src/testing/memory-store';

// The shared Store conformance suite runs against this store in packages/testkit; these
// cases pin what is particular to the in-memory implementation.

const scope = { orgId: 'org-1' };

function bucket(fields: Partial<Bucket> = {}): Bucket {
  return {
    id: 'bucket-1',
    orgId: 'org-1',
    productId: 'product-1',
    name: 'Energy',
    bestFor: '',
    angle: '',
    avatar: '',
    painPoints: [],
    solutionMechanism: [],
    keyCopyHooks: [],
    displayOrder: 0,
    createdAt: '2026-02-18T10:00:00.000Z',
    updatedAt: '2026-02-18T10:00:00.000Z',
    ...fields,
  };
}

describe('createMemoryStore', () => {
  it('commits a transaction and returns its result', async () => {
    const store = createMemoryStore();
    const result = await store.transaction((tx) =>
      tx.buckets.insert(bucket()).map((inserted) => inserted.name),
    );

    expect(result._unsafeUnwrap()).toBe('Energy');
    expect((await store.buckets.get(scope, 'bucket-1'))._unsafeUnwrap().name).toBe('Energy');
  });

  it('rolls back on an Err and on a throw', async () => {
    const store = createMemoryStore();
    const failed = await store.transaction((tx) =>
      tx.buckets.insert(bucket()).andThen(() => tx.buckets.get(scope, 'missing')),
    );
    const thrown = await store.transaction((tx) =>
      tx.buckets.insert(bucket()).map(() => {
        throw new Error('boom');
      }),
    );

    expect(failed._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect(thrown._unsafeUnwrapErr().code).toBe('STORAGE');
    expect(thrown._unsafeUnwrapErr().message).toBe('The transaction failed: boom');
    expect((await store.buckets.list(scope))._unsafeUnwrap()).toEqual([]);
  });

  it('runs transactions one at a time, in call order', async () => {
    const store = createMemoryStore();
    const events: string[] = [];
    const step = (name: string) => (tx: StoreRepositories) =>
      tx.buckets.list(scope).map(async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 2));
        events.push(`${name} end`);
      });

    await Promise.all([store.transaction(step('a')), store.transaction(step('b'))]);

    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('answers reads outside a running transaction at once, from committed state', async () => {
    const store = createMemoryStore();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = store.transaction((tx) => tx.buckets.insert(bucket()).map(() => held));

    // Settles while the transaction is still held open: reads take no lock.
    const during = await store.buckets.get(scope, 'bucket-1');
    release();
    (await transaction)._unsafeUnwrap();

    expect(during._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await store.buckets.get(scope, 'bucket-1')).isOk()).toBe(true);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    const store = createMemoryStore();
    let leaked: StoreRepositories | undefined;
    (
      await store.transaction((tx) => {
        leaked = tx;
        return okAsync(undefined);
      })
    )._unsafeUnwrap();

    const late = await leaked!.buckets.insert(bucket());

    expect(late._unsafeUnwrapErr().code).toBe('STORAGE');
    expect(late._unsafeUnwrapErr().message).toBe('The transaction has already finished');
    expect((await store.buckets.list(scope))._unsafeUnwrap()).toEqual([]);
  });

  it('keeps a thrown VBucketsError as it is', async () => {
    const store = createMemoryStore();
    const thrown = vbucketsError('CANCELLED', 'stop');
    const result = await store.transaction(() => {
      throw thrown;
    });
    expect(result._unsafeUnwrapErr()).toBe(thrown);
  });

  it('fails every call with STORAGE once closed, transactions included', async () => {
    const store = createMemoryStore();
    (await store.buckets.insert(bucket()))._unsafeUnwrap();
    await store.close();

    const results = [
      await store.buckets.get(scope, 'bucket-1'),
      await store.buckets.insert(bucket({ id: 'bucket-2', name: 'Other' })),
      await store.transaction((tx) => tx.buckets.list(scope)),
    ];
    expect(results.map((result) => result._unsafeUnwrapErr().code)).toEqual([
      'STORAGE',
      'STORAGE',
      'STORAGE',
    ]);
    expect(results[0]?._unsafeUnwrapErr().message).toBe('The store is closed');
  });

  it('stores analysis JSON as a JSON column would: undefined values are dropped', async () => {
    const store = createMemoryStore();
    (
      await store.categorizationSessions.insert({
        id: 'session-1',
        orgId: 'org-1',
        productId: 'product-1',
        createdAt: '2026-02-18T10:00:00.000Z',
      })
    )._unsafeUnwrap();
    const inserted = await store.categorizations.insert({
      id: 'row-1',
      orgId: 'org-1',
      productId: 'product-1',
      sessionId: 'session-1',
      videoId: null,
      filename: 'a.mp4',
      bucketId: null,
      bucketName: null,
      confidence: null,
      reasoning: null,
      summary: null,
      transcript: null,
      analysis: { kept: 1, dropped: undefined },
      status: 'analyzed',
      errorMessage: null,
      isUploaded: false,
      createdAt: '2026-02-18T10:00:00.000Z',
      updatedAt: '2026-02-18T10:00:00.000Z',
    });

    expect(inserted._unsafeUnwrap().analysis).toStrictEqual({ kept: 1 });
  });

  it('orders timestamps by instant, whatever their precision', async () => {
    const store = createMemoryStore();
    const video = (id: string, createdAt: string): Video => ({
      id,
      orgId: 'org-1',
      ownerId: 'owner-1',
      title: id,
      filename: `${id}.mp4`,
      blobKey: `videos/${id}.mp4`,
      sha256: (id === 'later' ? 'b' : 'a').repeat(64),
      sizeBytes: 1,
      mimeType: 'video/mp4',
      durationSec: null,
      duplicateAllowed: false,
      visibility: 'private',
      productCategory: null,
      createdAt,
    });
    (await store.videos.insert(video('later', '2026-02-18T10:00:00.5Z')))._unsafeUnwrap();
    (await store.videos.insert(video('earlier', '2026-02-18T10:00:00.250Z')))._unsafeUnwrap();

    expect((await store.videos.list(scope))._unsafeUnwrap().map((each) => each.id)).toEqual([
      'later',
      'earlier',
    ]);
    expect((await store.videos.findBySha256(scope, 'a'.repeat(64)))._unsafeUnwrap()?.id).toBe(
      'earlier',
    );
  });
});
