import { createVBuckets } from '@vbuckets/core';
import { createMemoryBlobStore, createMemoryStore } from '@vbuckets/core/testing';
import { describe, expect, it } from 'vitest';
import { allPages, allUploadedGroups, CLI_PAGE_SIZE } from '../src/paging';

const acme = { orgId: 'acme' };
const at = '2026-01-01T00:00:00.000Z';

/** A session of `count` uploaded rows: the first 60 % in bucket "A", the rest in "B". */
async function uploadedRows(count: number) {
  const store = createMemoryStore();
  const vb = createVBuckets({ store, blobs: createMemoryBlobStore() })._unsafeUnwrap();
  (
    await store.categorizationSessions.insert({
      id: 's',
      orgId: acme.orgId,
      productId: 'p',
      createdAt: at,
    })
  )._unsafeUnwrap();
  const rows = Array.from({ length: count }, (_, index) => ({
    id: `row-${String(index).padStart(5, '0')}`,
    orgId: acme.orgId,
    productId: 'p',
    sessionId: 's',
    videoId: null,
    filename: `clip-${String(index).padStart(5, '0')}.mp4`,
    bucketId: null,
    bucketName: index < count * 0.6 ? 'A' : 'B',
    confidence: 0.9,
    reasoning: null,
    summary: null,
    transcript: null,
    analysis: null,
    status: 'categorized' as const,
    errorMessage: null,
    isUploaded: true,
    createdAt: at,
    updatedAt: at,
  }));
  (await store.categorizations.insertMany(rows))._unsafeUnwrap();
  return { vb, rows };
}

describe('reading every page', () => {
  it('joins a bucket that a page end cuts in two, and reads past the first page', async () => {
    const count = CLI_PAGE_SIZE * 2 + 7;
    const { vb, rows } = await uploadedRows(count);
    const groups = await allUploadedGroups((page) =>
      vb.categorize.uploadedByBucket(acme, { productId: 'p', ...page }),
    );
    expect(groups.map((group) => [group.bucketName, group.rows.length])).toEqual([
      ['A', Math.ceil(count * 0.6)],
      ['B', count - Math.ceil(count * 0.6)],
    ]);
    expect(groups.flatMap((group) => group.rows.map((row) => row.id))).toEqual(
      rows.map((row) => row.id),
    );
  });

  it('reads a list whose length is a multiple of the page size, then stops', async () => {
    const { vb, rows } = await uploadedRows(CLI_PAGE_SIZE * 2);
    const all = await allPages((page) => vb.categorize.results(acme, 's', page));
    expect(all.map((row) => row.id)).toEqual(rows.map((row) => row.id));
  });
});
