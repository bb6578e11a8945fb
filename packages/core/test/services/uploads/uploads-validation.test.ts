import { err, ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createVBuckets } from '../../../src/create-vbuckets';
import { validationError } from '../../../src/errors';
import type { PlatformUploader } from '../../../src/ports/platform-uploader';
import type { Store } from '../../../src/ports/store';
import {
  createFakeAuditSink,
  createFakePlatformUploader,
  createMemoryBlobStore,
  createMemoryStore,
  createSequentialIdGenerator,
} from '../../../src/testing/index';
import { sampleVideoBytes } from '../../domain/media-types/sample-video-bytes';

const acme = { orgId: 'acme' };

/** A platform whose metadata needs a string `title`, as the real uploaders check theirs. */
function titledUploader(): PlatformUploader {
  const fake = createFakePlatformUploader({
    platform: 'youtube',
    fallback: { platformPostId: 'post-1' },
  });
  return {
    ...fake,
    upload: fake.upload,
    validateMetadata: (metadata) =>
      typeof metadata.title === 'string'
        ? ok(metadata)
        : err(
            validationError('Invalid youtube metadata: title must be a string', { path: 'title' }),
          ),
  };
}

async function setup() {
  const store = createMemoryStore();
  const auditSink = createFakeAuditSink();
  const sdk = createVBuckets({
    store,
    blobs: createMemoryBlobStore(),
    ids: createSequentialIdGenerator('id'),
    uploaders: [titledUploader()],
    auditSink,
  })._unsafeUnwrap();
  const video = (
    await sdk.videos.register(acme, {
      filename: 'clip.mp4',
      body: () => sampleVideoBytes('mp4', 1),
      ownerId: 'user-1',
      mimeType: 'video/mp4',
    })
  )._unsafeUnwrap().video;
  return { sdk, store, auditSink, video };
}

async function expectNoTrace(store: Store, videoId: string, auditSink: { events: unknown[] }) {
  expect((await store.uploads.get(acme, videoId, 'youtube'))._unsafeUnwrap()).toBeNull();
  expect((await store.uploads.listByVideo(acme, videoId))._unsafeUnwrap()).toEqual([]);
  expect((await store.auditEvents.list(acme, { videoId }))._unsafeUnwrap()).toEqual([]);
  expect(auditSink.events).toEqual([]);
}

describe('uploads input validation', () => {
  // Issue 10 (0c): invalid metadata left a FAILED_FINAL row, and the corrected call was a DUPLICATE_UPLOAD.
  it('refuses metadata the uploader rejects before claiming, so the corrected call posts', async () => {
    const { sdk, store, auditSink, video } = await setup();
    const refused = (
      await sdk.uploads.upload(acme, video.id, 'youtube', { title: 42 })
    )._unsafeUnwrapErr();
    expect(refused.code).toBe('VALIDATION');
    await expectNoTrace(store, video.id, auditSink);

    const posted = await sdk.uploads.upload(acme, video.id, 'youtube', { title: 'Launch' });
    expect(posted._unsafeUnwrap().status).toBe('SUCCESS');
  });

  it.each([
    ['null', null],
    ['an array', ['title']],
    ['a string', 'title'],
  ])('refuses metadata that is %s without a trace', async (_label, metadata) => {
    const { sdk, store, auditSink, video } = await setup();
    const refused = (
      await sdk.uploads.upload(acme, video.id, 'youtube', metadata as never)
    )._unsafeUnwrapErr();
    expect(refused.code).toBe('VALIDATION');
    expect(refused.message).toContain('metadata');
    await expectNoTrace(store, video.id, auditSink);
  });

  it('refuses an unknown platform without a trace', async () => {
    const { sdk, store, auditSink, video } = await setup();
    const refused = (await sdk.uploads.upload(acme, video.id, 'vimeo'))._unsafeUnwrapErr();
    expect(refused.code).toBe('VALIDATION');
    await expectNoTrace(store, video.id, auditSink);
    expect((await store.uploads.list(acme, {}))._unsafeUnwrap()).toEqual([]);
  });
});

describe('createVBuckets options', () => {
  // Issue 10 (0c): createVBuckets(undefined) and a null store threw a TypeError.
  it.each([
    ['undefined options', undefined, 'options'],
    ['null options', null, 'options'],
    ['a null store', { store: null, blobs: createMemoryBlobStore() }, 'store'],
    ['no store', { blobs: createMemoryBlobStore() }, 'store'],
    ['a null blob store', { store: createMemoryStore(), blobs: null }, 'blobs'],
  ])('returns VALIDATION for %s', (_label, options, path) => {
    const created = createVBuckets(options as never);
    const error = created._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe(path);
  });
});
