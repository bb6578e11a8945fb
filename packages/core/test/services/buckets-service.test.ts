import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../src/create-vbuckets';
import {
  createManualClock,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
} from '../../src/testing/index';

function setup() {
  const clock = createManualClock(Date.UTC(2026, 1, 18, 10, 0, 0));
  const vb = createVBuckets({
    store: createMemoryStore(),
    blobs: createMemoryBlobStore(),
    clock,
    ids: createSequentialIdGenerator('bucket'),
  })._unsafeUnwrap();
  return { vb, clock };
}

const acme = { orgId: 'acme' };
const globex = { orgId: 'globex' };

describe('buckets service', () => {
  it('creates a bucket with trimmed fields, defaults and the clock time', async () => {
    const { vb } = setup();
    const bucket = (
      await vb.buckets.create(acme, {
        productId: 'p1',
        name: '  Gut Health ',
        painPoints: [' bloating ', '', 'cramps'],
      })
    )._unsafeUnwrap();
    expect(bucket).toMatchObject({
      id: 'bucket-1',
      orgId: 'acme',
      productId: 'p1',
      name: 'Gut Health',
      bestFor: '',
      painPoints: ['bloating', 'cramps'],
      solutionMechanism: [],
      displayOrder: 0,
      createdAt: '2026-02-18T10:00:00.000Z',
    });
  });

  it('appends new buckets after the last display position of the product', async () => {
    const { vb } = setup();
    (
      await vb.buckets.create(acme, { productId: 'p1', name: 'A', displayOrder: 7 })
    )._unsafeUnwrap();
    const next = (await vb.buckets.create(acme, { productId: 'p1', name: 'B' }))._unsafeUnwrap();
    const otherProduct = (
      await vb.buckets.create(acme, { productId: 'p2', name: 'C' })
    )._unsafeUnwrap();
    expect(next.displayOrder).toBe(8);
    expect(otherProduct.displayOrder).toBe(0);
  });

  it('refuses a name the product already has, ignoring case and spacing', async () => {
    const { vb } = setup();
    (await vb.buckets.create(acme, { productId: 'p1', name: 'Energy & Focus' }))._unsafeUnwrap();
    const clash = await vb.buckets.create(acme, { productId: 'p1', name: '  energy   &  FOCUS' });
    expect(clash._unsafeUnwrapErr().code).toBe('CONFLICT');
    expect(
      (await vb.buckets.create(acme, { productId: 'p2', name: 'Energy & Focus' })).isOk(),
    ).toBe(true);
    expect(
      (await vb.buckets.create(globex, { productId: 'p1', name: 'Energy & Focus' })).isOk(),
    ).toBe(true);
  });

  it('names the offending field of invalid input', async () => {
    const { vb } = setup();
    const empty = (
      await vb.buckets.create(acme, { productId: 'p1', name: '   ' })
    )._unsafeUnwrapErr();
    expect(empty.code).toBe('VALIDATION');
    expect(empty.path).toBe('name');
    expect(empty.message).toContain('bucket.name');
    const badList = (
      await vb.buckets.create(acme, {
        productId: 'p1',
        name: 'X',
        keyCopyHooks: ['ok', 'x'.repeat(1001)],
      })
    )._unsafeUnwrapErr();
    expect(badList.path).toBe('keyCopyHooks.1');
    const unknownField = (
      await vb.buckets.create(acme, { productId: 'p1', name: 'X', colour: 'red' } as never)
    )._unsafeUnwrapErr();
    expect(unknownField.code).toBe('VALIDATION');
    const badScope = (await vb.buckets.list({ orgId: '' }))._unsafeUnwrapErr();
    expect(badScope.path).toBe('orgId');
  });

  it("hides another org's bucket as NOT_FOUND on every operation", async () => {
    const { vb } = setup();
    const bucket = (
      await vb.buckets.create(acme, { productId: 'p1', name: 'Sleep' })
    )._unsafeUnwrap();
    expect((await vb.buckets.get(globex, bucket.id))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect(
      (await vb.buckets.update(globex, bucket.id, { name: 'Mine' }))._unsafeUnwrapErr().code,
    ).toBe('NOT_FOUND');
    expect((await vb.buckets.delete(globex, bucket.id))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await vb.buckets.get(acme, bucket.id))._unsafeUnwrap().name).toBe('Sleep');
  });

  it('lists by display order then name, and across orgs only when asked', async () => {
    const { vb } = setup();
    (
      await vb.buckets.create(acme, { productId: 'p1', name: 'b', displayOrder: 1 })
    )._unsafeUnwrap();
    (
      await vb.buckets.create(acme, { productId: 'p1', name: 'a', displayOrder: 1 })
    )._unsafeUnwrap();
    (
      await vb.buckets.create(acme, { productId: 'p1', name: 'z', displayOrder: 0 })
    )._unsafeUnwrap();
    (await vb.buckets.create(globex, { productId: 'p1', name: 'theirs' }))._unsafeUnwrap();
    const names = (await vb.buckets.list(acme, { productId: 'p1' }))
      ._unsafeUnwrap()
      .map((bucket) => bucket.name);
    expect(names).toEqual(['z', 'a', 'b']);
    const everyone = (
      await vb.buckets.list({ orgId: 'acme', allOrgs: true }, { productId: 'p1' })
    )._unsafeUnwrap();
    expect(everyone.map((bucket) => bucket.name).sort()).toEqual(['a', 'b', 'theirs', 'z']);
  });

  it('treats a cross-org scope as read-only', async () => {
    const { vb } = setup();
    const bucket = (
      await vb.buckets.create(acme, { productId: 'p1', name: 'Sleep' })
    )._unsafeUnwrap();
    const superuser = { orgId: 'acme', allOrgs: true };
    expect(
      (await vb.buckets.create(superuser, { productId: 'p1', name: 'New' }))._unsafeUnwrapErr()
        .code,
    ).toBe('FORBIDDEN');
    expect(
      (await vb.buckets.update(superuser, bucket.id, { name: 'x' }))._unsafeUnwrapErr().code,
    ).toBe('FORBIDDEN');
    expect((await vb.buckets.delete(superuser, bucket.id))._unsafeUnwrapErr().code).toBe(
      'FORBIDDEN',
    );
    expect((await vb.buckets.get(acme, bucket.id)).isOk()).toBe(true);
  });

  it('updates only the given fields and stamps updatedAt', async () => {
    const { vb, clock } = setup();
    const bucket = (
      await vb.buckets.create(acme, {
        productId: 'p1',
        name: 'Sleep',
        angle: 'calm',
        painPoints: ['insomnia'],
      })
    )._unsafeUnwrap();
    clock.advance(60_000);
    const updated = (
      await vb.buckets.update(acme, bucket.id, { angle: 'science' })
    )._unsafeUnwrap();
    expect(updated).toMatchObject({ name: 'Sleep', angle: 'science', painPoints: ['insomnia'] });
    expect(updated.updatedAt).toBe('2026-02-18T10:01:00.000Z');
    expect(updated.createdAt).toBe('2026-02-18T10:00:00.000Z');
  });

  it('refuses a rename onto another bucket of the product', async () => {
    const { vb } = setup();
    (await vb.buckets.create(acme, { productId: 'p1', name: 'Sleep' }))._unsafeUnwrap();
    const other = (
      await vb.buckets.create(acme, { productId: 'p1', name: 'Energy' })
    )._unsafeUnwrap();
    expect(
      (await vb.buckets.update(acme, other.id, { name: 'SLEEP' }))._unsafeUnwrapErr().code,
    ).toBe('CONFLICT');
    expect((await vb.buckets.update(acme, other.id, { name: 'energy' }))._unsafeUnwrap().name).toBe(
      'energy',
    );
  });

  it('deletes a bucket', async () => {
    const { vb } = setup();
    const bucket = (
      await vb.buckets.create(acme, { productId: 'p1', name: 'Sleep' })
    )._unsafeUnwrap();
    expect((await vb.buckets.delete(acme, bucket.id)).isOk()).toBe(true);
    expect((await vb.buckets.get(acme, bucket.id))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
    expect((await vb.buckets.delete(acme, bucket.id))._unsafeUnwrapErr().code).toBe('NOT_FOUND');
  });

  it('reorders a product’s buckets and refuses orders that leave out, repeat or borrow buckets', async () => {
    const { vb } = setup();
    const a = (await vb.buckets.create(acme, { productId: 'p1', name: 'A' }))._unsafeUnwrap();
    const b = (await vb.buckets.create(acme, { productId: 'p1', name: 'B' }))._unsafeUnwrap();
    const c = (await vb.buckets.create(acme, { productId: 'p1', name: 'C' }))._unsafeUnwrap();
    const foreign = (await vb.buckets.create(acme, { productId: 'p2', name: 'D' }))._unsafeUnwrap();

    const reordered = (await vb.buckets.reorder(acme, 'p1', [c.id, a.id, b.id]))._unsafeUnwrap();
    expect(reordered.map((bucket) => [bucket.name, bucket.displayOrder])).toEqual([
      ['C', 0],
      ['A', 1],
      ['B', 2],
    ]);
    const listed = (await vb.buckets.list(acme, { productId: 'p1' }))._unsafeUnwrap();
    expect(listed.map((bucket) => bucket.name)).toEqual(['C', 'A', 'B']);

    const missing = (await vb.buckets.reorder(acme, 'p1', [a.id, b.id]))._unsafeUnwrapErr();
    expect(missing.code).toBe('VALIDATION');
    expect(missing.message).toContain('C');
    expect(
      (await vb.buckets.reorder(acme, 'p1', [a.id, a.id, b.id, c.id]))._unsafeUnwrapErr().message,
    ).toContain('twice');
    expect(
      (await vb.buckets.reorder(acme, 'p1', [a.id, b.id, c.id, foreign.id]))._unsafeUnwrapErr()
        .code,
    ).toBe('VALIDATION');
    const after = (await vb.buckets.list(acme, { productId: 'p1' }))._unsafeUnwrap();
    expect(after.map((bucket) => bucket.name)).toEqual(['C', 'A', 'B']);
  });
});
