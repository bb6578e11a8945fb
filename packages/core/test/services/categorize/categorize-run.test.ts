import { describe, expect, it } from 'vitest';
import { vbucketsError } from '../../../src/errors';
import { makeVideoAnalysis } from '../../../src/testing/index';
import {
  ebmlHeader,
  PNG_BYTES,
  sampleVideoBytes,
} from '../../domain/media-types/sample-video-bytes';
import {
  acme,
  combinedProvider,
  PRODUCT,
  progressLog,
  separateProvider,
  setup,
  videoFile,
} from './categorize-test-setup';

describe('categorize.run input', () => {
  it('refuses an empty file list without writing anything', async () => {
    const { vb, store } = await setup();
    const error = (
      await vb.categorize.run(acme, { productId: PRODUCT, files: [], provider: 'fake' })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('files');
    expect(error.message).toBe('Invalid categorize input.files: must have at least 1 file');
    const sessions = await store.categorizationSessions.listRecent(acme, { productId: PRODUCT });
    expect(sessions._unsafeUnwrap()).toEqual([]);
  });

  it('refuses more files than the batch size (default 20)', async () => {
    const { vb } = await setup();
    const files = Array.from({ length: 21 }, (_, index) => videoFile(`clip-${index}.mp4`));
    const error = (
      await vb.categorize.run(acme, { productId: PRODUCT, files, provider: 'fake' })
    )._unsafeUnwrapErr();
    expect(error.path).toBe('files');
    expect(error.message).toMatch(/at most 20 files/);
  });

  it('honours a configured batch size', async () => {
    const { vb } = await setup({ categorize: { maxBatchSize: 2 } });
    const files = ['a.mp4', 'b.mp4', 'c.mp4'].map((name) => videoFile(name));
    const error = (
      await vb.categorize.run(acme, { productId: PRODUCT, files, provider: 'fake' })
    )._unsafeUnwrapErr();
    expect(error.message).toMatch(/at most 2 files/);
  });

  it('names the configured providers when given an unknown one', async () => {
    const { vb } = await setup();
    const error = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'gemini',
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('provider');
    expect(error.message).toBe('Unknown provider "gemini"; configured: fake');
  });

  it('refuses a provider that cannot categorize', async () => {
    const { analyzer } = separateProvider();
    const { vb } = await setup({ providers: { half: { analyzer } } });
    const error = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'half',
      })
    )._unsafeUnwrapErr();
    expect(error.path).toBe('providers.half.categorizer');
  });

  it('refuses a product without buckets', async () => {
    const { vb } = await setup({ bucketNames: [] });
    const error = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'fake',
      })
    )._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('productId');
  });

  it('refuses a cross-organisation scope for writes', async () => {
    const { vb } = await setup();
    const error = (
      await vb.categorize.run(
        { orgId: 'acme', allOrgs: true },
        { productId: PRODUCT, files: [videoFile('gut.mp4')], provider: 'fake' },
      )
    )._unsafeUnwrapErr();
    expect(error.code).toBe('FORBIDDEN');
  });

  it('refuses a file without a name and unknown input fields', async () => {
    const { vb } = await setup();
    const nameless = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [
          { filename: 'clips//', body: () => new Uint8Array(1) },
          { filename: '  ', body: () => new Uint8Array(1) },
        ],
        provider: 'fake',
      })
    )._unsafeUnwrapErr();
    expect(nameless.path).toBe('files.1.filename');
    const extra = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'fake',
        speed: 'fast',
      } as never)
    )._unsafeUnwrapErr();
    expect(extra.code).toBe('VALIDATION');
  });

  it('reports bad settings from every call instead of throwing', async () => {
    const { vb } = await setup({ categorize: { concurrency: 0 } });
    const error = (await vb.categorize.results(acme, 'session'))._unsafeUnwrapErr();
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('concurrency');
  });
});

describe('categorize.run refused files', () => {
  it('turns an unknown extension into an error row and goes on', async () => {
    const { vb, blobs } = await setup();
    const log = progressLog();
    const { rows, session } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [
          { filename: 'notes.txt', body: () => new TextEncoder().encode('hello') },
          videoFile('gut.mp4'),
        ],
        provider: 'fake',
        onProgress: log.onProgress,
      })
    )._unsafeUnwrap();
    expect(rows.map((row) => [row.filename, row.status, row.errorMessage])).toEqual([
      [
        'notes.txt',
        'error',
        '"notes.txt" is not an accepted video type (.txt); accepted: mp4, mov, avi, webm',
      ],
      ['gut.mp4', 'categorized', null],
    ]);
    expect(session.counts).toMatchObject({ total: 2, error: 1, categorized: 1 });
    expect(log.stagesOf('notes.txt')).toEqual(['failed']);
    expect(blobs.keys()).toHaveLength(1);
  });

  it('refuses the right extension with the wrong bytes, storing nothing', async () => {
    const { vb, blobs, store } = await setup();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('holiday.mp4', { bytes: PNG_BYTES }), videoFile('gut.webm')],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]).toMatchObject({
      status: 'error',
      videoId: null,
      errorMessage:
        '"holiday.mp4" is named .mp4 but its content is not an accepted video (it looks like a PNG image); accepted: mp4, mov, avi, webm',
    });
    expect(rows[1]?.status).toBe('categorized');
    expect(blobs.keys()).toEqual([expect.stringMatching(/^videos\/client_acme\/id-\d+\.webm$/)]);
    expect((await store.videos.list(acme))._unsafeUnwrap()).toHaveLength(1);
  });

  it('refuses Matroska named .webm', async () => {
    const { vb } = await setup();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('clip.webm', { bytes: new Uint8Array(ebmlHeader('matroska')) })],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]?.errorMessage).toMatch(/is a Matroska \(MKV\) file, not WebM/);
  });

  it('refuses a zero-byte file read from its body', async () => {
    const { vb, blobs } = await setup();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [{ filename: 'empty.mov', body: () => new Uint8Array() }],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]).toMatchObject({
      status: 'error',
      errorMessage: '"empty.mov" is empty (0 bytes)',
    });
    expect(blobs.keys()).toEqual([]);
  });

  it('refuses a stated zero size without opening the file', async () => {
    const { vb } = await setup();
    let opened = 0;
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [
          {
            filename: 'empty.mp4',
            sizeBytes: 0,
            body: () => {
              opened += 1;
              return new Uint8Array();
            },
          },
        ],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]?.errorMessage).toBe('"empty.mp4" is empty (0 bytes)');
    expect(opened).toBe(0);
  });

  it('refuses a file over the size limit while it streams, leaving no blob', async () => {
    const { vb, blobs } = await setup({ categorize: { maxFileBytes: 5_000 } });
    const bytes = sampleVideoBytes('mp4', 1, 8_000);
    const chunks = async function* () {
      for (let offset = 0; offset < bytes.length; offset += 1_000) {
        yield bytes.subarray(offset, offset + 1_000);
      }
    };
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [{ filename: 'big.mp4', body: chunks }],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]).toMatchObject({
      status: 'error',
      errorMessage: '"big.mp4" is larger than the limit of 5000 bytes',
    });
    expect(blobs.keys()).toEqual([]);
  });

  it('refuses a stated size over the limit before reading', async () => {
    const { vb } = await setup({ categorize: { maxFileBytes: 100 } });
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [{ ...videoFile('big.mp4'), sizeBytes: 101 }],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]?.errorMessage).toBe('"big.mp4" is 101 bytes, over the limit of 100 bytes');
  });
});

describe('categorize.run storing', () => {
  it('registers each file as a private Video under videos/client_{ownerId}/{uuid}{ext}', async () => {
    const { vb, blobs, store } = await setup();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('C:\\clips\\gut.MOV', { type: 'mov' })],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]?.filename).toBe('gut.MOV');
    const video = (await store.videos.get(acme, rows[0]!.videoId!))._unsafeUnwrap();
    expect(video).toMatchObject({
      orgId: 'acme',
      ownerId: 'acme',
      title: 'gut',
      filename: 'gut.MOV',
      blobKey: `videos/client_acme/${video.id}.mov`,
      visibility: 'private',
      productCategory: null,
      mimeType: 'video/quicktime',
      sizeBytes: 512,
      durationSec: null,
      duplicateAllowed: false,
    });
    expect(video.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await blobs.head(video.blobKey))._unsafeUnwrap()).toMatchObject({
      visibility: 'private',
      contentType: 'video/quicktime',
    });
  });

  it('types a file by its bytes: MOV content named .mp4 is stored as .mov', async () => {
    const { vb, store } = await setup();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4', { type: 'mov' })],
        provider: 'fake',
        ownerId: 'user-7',
      })
    )._unsafeUnwrap();
    const video = (await store.videos.get(acme, rows[0]!.videoId!))._unsafeUnwrap();
    expect(video.blobKey).toMatch(/\.mov$/);
    expect(video.ownerId).toBe('user-7');
  });

  it('stores identical content once: one Video, one blob, two rows', async () => {
    const { vb, blobs, store } = await setup();
    const bytes = sampleVideoBytes('mp4', 42);
    const log = progressLog();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut-a.mp4', { bytes }), videoFile('gut-b.mp4', { bytes })],
        provider: 'fake',
        onProgress: log.onProgress,
      })
    )._unsafeUnwrap();
    expect(rows).toHaveLength(2);
    expect(rows[0]?.videoId).not.toBeNull();
    expect(rows[1]?.videoId).toBe(rows[0]?.videoId);
    expect(blobs.keys()).toHaveLength(1);
    expect((await store.videos.list(acme))._unsafeUnwrap()).toHaveLength(1);
    const stored = log.events.filter((event) => event.stage === 'stored');
    expect(stored[1]?.message).toBe(
      `identical content is already stored as video ${rows[0]?.videoId}`,
    );

    // A later batch with the same bytes reuses the same video too.
    const again = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut-c.mp4', { bytes })],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(again.rows[0]?.videoId).toBe(rows[0]?.videoId);
    expect(blobs.keys()).toHaveLength(1);
  });

  it('does not reuse another organisation’s video', async () => {
    const { vb, blobs } = await setup();
    const bytes = sampleVideoBytes('mp4', 3);
    (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4', { bytes })],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    (
      await vb.buckets.create({ orgId: 'globex' }, { productId: PRODUCT, name: 'Gut Health' })
    )._unsafeUnwrap();
    (
      await vb.categorize.run(
        { orgId: 'globex' },
        { productId: PRODUCT, files: [videoFile('gut.mp4', { bytes })], provider: 'fake' },
      )
    )._unsafeUnwrap();
    expect(blobs.keys()).toHaveLength(2);
  });

  it('retries a failing store and opens the body again', async () => {
    const { vb } = await setup();
    let opened = 0;
    const bytes = sampleVideoBytes('mp4', 5);
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [
          {
            filename: 'gut.mp4',
            body: () => {
              opened += 1;
              if (opened > 1) return bytes;
              return (async function* () {
                yield bytes.subarray(0, 100);
                throw vbucketsError('STORAGE', 'disk hiccup', { retryable: true });
              })();
            },
          },
        ],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(opened).toBe(2);
    expect(rows[0]?.status).toBe('categorized');
  });

  it('turns a body that cannot be opened into an error row', async () => {
    const { vb } = await setup();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [
          {
            filename: 'gone.mp4',
            body: () => {
              throw new Error('ENOENT');
            },
          },
          videoFile('gut.mp4'),
        ],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows[0]).toMatchObject({
      status: 'error',
      errorMessage: '"gone.mp4" could not be opened: ENOENT',
    });
    expect(rows[1]?.status).toBe('categorized');
  });
});

describe('categorize.run stages', () => {
  it('saves the row at each stage, as the progress events show', async () => {
    const { analyzer, categorizer, provider } = separateProvider();
    const { vb, store } = await setup({ providers: { two: provider } });
    const seen: Array<{
      stage: string;
      status: string;
      hasVideo: boolean;
      summary: string | null;
    }> = [];
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'two',
        onProgress: (event) => {
          // The memory store reads synchronously, so this is the row as the event fires.
          void store.categorizations.get(acme, event.rowId).map((row) =>
            seen.push({
              stage: event.stage,
              status: row.status,
              hasVideo: row.videoId !== null,
              summary: row.summary,
            }),
          );
        },
      })
    )._unsafeUnwrap();
    expect(seen).toEqual([
      { stage: 'stored', status: 'pending', hasVideo: true, summary: null },
      { stage: 'analyzing', status: 'pending', hasVideo: true, summary: null },
      { stage: 'categorizing', status: 'pending', hasVideo: true, summary: 'about gut.mp4' },
      { stage: 'done', status: 'categorized', hasVideo: true, summary: 'about gut.mp4' },
    ]);
    expect(rows[0]).toMatchObject({
      status: 'categorized',
      bucketName: 'Gut Health',
      confidence: 0.9,
      reasoning: 'digestion',
      summary: 'about gut.mp4',
      transcript: 'words',
    });
    expect(rows[0]?.analysis).toMatchObject({
      summary: 'about gut.mp4',
      answer: { bucketName: 'Gut Health', confidence: 0.9, reasoning: 'digestion' },
    });
    expect(analyzer.calls).toHaveLength(1);
    expect(categorizer.calls).toHaveLength(1);
  });

  it('reports the analyzer’s own stages in place of the default', async () => {
    const { analyzer, provider } = combinedProvider();
    analyzer.queueAnalyzeAndCategorize(async (call) => {
      call.options?.onStage?.('uploading');
      await Promise.resolve();
      call.options?.onStage?.('processing');
      call.options?.onStage?.('analyzing');
      return {
        analysis: makeVideoAnalysis({ summary: 'gut' }),
        answer: { bucketName: 'Gut Health', confidence: 0.7, reasoning: '' },
      };
    });
    const { vb } = await setup({ providers: { fake: provider } });
    const log = progressLog();
    (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'fake',
        onProgress: log.onProgress,
      })
    )._unsafeUnwrap();
    expect(log.stagesOf('gut.mp4')).toEqual([
      'stored',
      'uploading',
      'processing',
      'analyzing',
      'categorizing',
      'done',
    ]);
    expect(log.events.map((event) => [event.index, event.total])).toEqual(
      log.events.map(() => [0, 1]),
    );
  });

  it('ignores a progress listener that throws', async () => {
    const { vb } = await setup();
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4')],
        provider: 'fake',
        onProgress: () => {
          throw new Error('display broke');
        },
      })
    )._unsafeUnwrap();
    expect(rows[0]?.status).toBe('categorized');
  });

  it('applies the decision rules: unknown bucket, no fit and low confidence stay analyzed', async () => {
    const { vb, buckets } = await setup();
    const { rows, session } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: ['gut.mp4', 'energy.mp4', 'alien.mp4', 'weak.mp4', 'other.mp4'].map((name) =>
          videoFile(name),
        ),
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(rows.map((row) => [row.filename, row.status, row.bucketId, row.bucketName])).toEqual([
      ['gut.mp4', 'categorized', buckets[0]?.id, 'Gut Health'],
      ['energy.mp4', 'categorized', buckets[1]?.id, 'Energy & Focus'],
      ['alien.mp4', 'analyzed', null, null],
      ['weak.mp4', 'analyzed', null, null],
      ['other.mp4', 'analyzed', null, null],
    ]);
    expect(rows[2]?.reasoning).toMatch(/not one of this product's buckets/);
    expect(rows[3]?.reasoning).toMatch(/below the floor of 0.3/);
    expect(session.counts).toEqual({ total: 5, pending: 0, analyzed: 3, categorized: 2, error: 0 });
  });

  it('passes known text to the analyzer', async () => {
    const { analyzer, provider } = combinedProvider();
    const { vb } = await setup({ providers: { fake: provider } });
    const { rows } = (
      await vb.categorize.run(acme, {
        productId: PRODUCT,
        files: [videoFile('gut.mp4', { knownText: 'bloating relief' })],
        provider: 'fake',
      })
    )._unsafeUnwrap();
    expect(analyzer.calls[0]?.video.knownText).toBe('bloating relief');
    expect(rows[0]?.transcript).toBe('bloating relief');
    expect(rows[0]?.analysis).toMatchObject({ knownText: 'bloating relief' });
  });
});
