import { createHash } from 'node:crypto';
import type { UploadCheckpoint, VBucketsError } from '@vbuckets/core';
import type { PlatformUploader, UploadableVideo } from '@vbuckets/core/adapter-kit';
import { okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { patternBytes } from './blob-test-bodies';
import { expectErrorCode, expectOk } from './result-assertions';

/** A failure the harness's fake platform injects into the next upload. */
export type UploaderFailureKind =
  | 'rate-limit'
  | 'server-error'
  | 'unauthorized'
  | 'reject-media'
  | 'interrupt';

/** One uploader wired to its own fake platform, fresh for every case. */
export interface UploaderConformanceHarness {
  /** The uploader under test, pointed at the fake. */
  uploader: PlatformUploader;
  /** The bytes the platform holds for a finished post. */
  readUploaded(platformPostId: string): Promise<Uint8Array>;
  /** How many posts (finished uploads) the platform holds. */
  countPosts(): Promise<number>;
  /**
   * Bytes the platform accepted and stored, counting a range again each time it is re-sent
   * (bytes of a request cut off by an interruption are not counted). Where the fake can tell;
   * the resume case then proves the first part was not sent twice.
   */
  acceptedBytes?(): Promise<number>;
  script: {
    /**
     * Makes the next matching request fail: `interrupt` cuts the upload off after at least
     * one chunk was confirmed (a dropped connection, or a source stream that breaks);
     * `reject-media` must answer with a message containing `rejected by conformance`.
     */
    failNext(kind: UploaderFailureKind): void;
  };
  /** Stops the fake and removes whatever the case left behind. */
  close(): Promise<void>;
}

/** Which behaviours the target has; a case whose capability is `false` is not declared at all. */
export interface UploaderCapabilities {
  /** 429 / quota answers (a local directory has none). */
  rateLimits?: boolean;
  /** Access tokens that can be refused. */
  authentication?: boolean;
  /** 5xx answers. */
  serverErrors?: boolean;
  /** Media rejected with a platform message. */
  mediaRejection?: boolean;
  /** Resuming a later call from a checkpoint. */
  resumable?: boolean;
}

export interface UploaderConformanceOptions {
  /** Shown in the suite's title, e.g. `youtube (fake server)`. */
  name: string;
  /** Builds a fresh harness; each case creates its own and closes it. */
  createUploader: () => Promise<UploaderConformanceHarness>;
  /** Defaults to everything `true`: opt out explicitly. */
  capabilities?: UploaderCapabilities;
  /** Platform metadata that the uploader's schema accepts; defaults to a title and a description. */
  metadata?: Record<string, unknown>;
  /** The test video's size; pick one spanning several of the uploader's chunks (default 1 MiB + 12 345). */
  videoBytes?: number;
}

export interface ConformanceVideoOptions {
  videoId?: string;
  filename?: string;
  mimeType?: string;
  /** Size of the pieces `open` streams (default 64 KiB). */
  pieceBytes?: number;
  /** Records every `open(offset)`. */
  opened?: number[];
}

/** An UploadableVideo over bytes in memory, streaming from any offset in pieces. */
export function uploadableVideoOf(
  bytes: Uint8Array,
  options: ConformanceVideoOptions = {},
): UploadableVideo {
  const pieceBytes = options.pieceBytes ?? 64 * 1024;
  return {
    videoId: options.videoId ?? 'video-1',
    title: 'Conformance video',
    filename: options.filename ?? 'conformance clip.mp4',
    mimeType: options.mimeType ?? 'video/mp4',
    sizeBytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    open(offset = 0) {
      options.opened?.push(offset);
      let position = offset;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (position >= bytes.byteLength) {
            controller.close();
            return;
          }
          const end = Math.min(bytes.byteLength, position + pieceBytes);
          controller.enqueue(bytes.slice(position, end));
          position = end;
        },
      });
      return okAsync(stream);
    },
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Declares the cases every PlatformUploader must pass (DESIGN.md §4, §5): a multi-chunk upload
 * arriving intact with progress to the end; rate limits, server errors, refused tokens and
 * rejected media mapped to the SDK's error codes; resuming from a checkpoint after an
 * interruption without sending the first part twice or posting twice; cancellation.
 * Cases whose capability is declared `false` are not declared (they do not show as skipped).
 */
export function describeUploaderConformance(options: UploaderConformanceOptions): void {
  const capabilities: Required<UploaderCapabilities> = {
    rateLimits: true,
    authentication: true,
    serverErrors: true,
    mediaRejection: true,
    resumable: true,
    ...options.capabilities,
  };
  const size = options.videoBytes ?? 1024 * 1024 + 12_345;
  const metadata = options.metadata ?? {
    title: 'Conformance video',
    description: 'Uploaded by describeUploaderConformance',
  };

  async function withHarness(run: (harness: UploaderConformanceHarness) => Promise<void>) {
    const harness = await options.createUploader();
    try {
      await run(harness);
    } finally {
      await harness.close();
    }
  }

  async function expectFinalFailure(kind: UploaderFailureKind): Promise<VBucketsError> {
    let failure: VBucketsError | undefined;
    await withHarness(async (harness) => {
      harness.script.failNext(kind);
      const settled = await harness.uploader.upload(uploadableVideoOf(patternBytes(size, 9)), {
        ...metadata,
      });
      expect(settled.isErr(), `expected ${kind} to fail the upload`).toBe(true);
      if (settled.isErr()) {
        failure = settled.error;
        // For people: no `[platform]` tag in front; the platform and the call are in fields.
        expect(failure.message).not.toMatch(/^\[/u);
        expect(failure.adapter).toBe(harness.uploader.platform);
        expect(failure.operation).toBe('upload');
      }
      expect(await harness.countPosts()).toBe(0);
    });
    return failure as VBucketsError;
  }

  describe(`PlatformUploader conformance: ${options.name}`, () => {
    it('reports itself as a v1 uploader with a platform name', async () => {
      await withHarness(async (harness) => {
        expect(harness.uploader.specificationVersion).toBe('v1');
        expect(harness.uploader.platform).toMatch(/^[a-z0-9][a-z0-9_-]*$/u);
      });
    });

    it('uploads a multi-chunk video intact and returns the post id', async () => {
      await withHarness(async (harness) => {
        const bytes = patternBytes(size, 1);
        const success = await expectOk(
          harness.uploader.upload(uploadableVideoOf(bytes), { ...metadata }),
        );
        expect(typeof success.platformPostId).toBe('string');
        expect(success.platformPostId.length).toBeGreaterThan(0);
        const uploaded = await harness.readUploaded(success.platformPostId);
        expect(uploaded.byteLength).toBe(size);
        expect(sha256(uploaded)).toBe(sha256(bytes));
        expect(await harness.countPosts()).toBe(1);
      });
    });

    it('reports progress that only grows and reaches the total', async () => {
      await withHarness(async (harness) => {
        const progress: Array<[number, number]> = [];
        await expectOk(
          harness.uploader.upload(
            uploadableVideoOf(patternBytes(size, 2)),
            { ...metadata },
            { onProgress: (sent, total) => progress.push([sent, total]) },
          ),
        );
        expect(progress.length).toBeGreaterThan(1);
        for (const [index, [sent, total]] of progress.entries()) {
          expect(total).toBe(size);
          expect(sent).toBeLessThanOrEqual(size);
          if (index > 0) expect(sent).toBeGreaterThanOrEqual(progress[index - 1]?.[0] ?? 0);
        }
        expect(progress.at(-1)).toEqual([size, size]);
      });
    });

    it('returns CANCELLED for an already aborted signal, posting nothing', async () => {
      await withHarness(async (harness) => {
        const controller = new AbortController();
        controller.abort();
        await expectErrorCode(
          harness.uploader.upload(
            uploadableVideoOf(patternBytes(size, 3)),
            { ...metadata },
            { signal: controller.signal },
          ),
          'CANCELLED',
        );
        expect(await harness.countPosts()).toBe(0);
      });
    });

    it('returns CANCELLED when the signal aborts mid-upload, posting nothing', async () => {
      await withHarness(async (harness) => {
        const controller = new AbortController();
        await expectErrorCode(
          harness.uploader.upload(
            uploadableVideoOf(patternBytes(size, 4)),
            { ...metadata },
            {
              signal: controller.signal,
              onProgress: (sent) => {
                if (sent > 0) controller.abort();
              },
            },
          ),
          'CANCELLED',
        );
        expect(await harness.countPosts()).toBe(0);
      });
    });

    if (capabilities.rateLimits) {
      it('maps a rate limit to RATE_LIMITED with a positive retryAfterMs', async () => {
        const error = await expectFinalFailure('rate-limit');
        expect(error.code).toBe('RATE_LIMITED');
        expect(error.retryable).toBe(true);
        expect(error.retryAfterMs).toBeGreaterThan(0);
      });
    }

    if (capabilities.serverErrors) {
      it('maps a server error to a retryable PROVIDER error', async () => {
        const error = await expectFinalFailure('server-error');
        expect(error.code).toBe('PROVIDER');
        expect(error.retryable).toBe(true);
      });
    }

    if (capabilities.authentication) {
      it('maps a refused token to UNAUTHENTICATED', async () => {
        const error = await expectFinalFailure('unauthorized');
        expect(error.code).toBe('UNAUTHENTICATED');
        expect(error.retryable).toBe(false);
      });
    }

    if (capabilities.mediaRejection) {
      it("maps rejected media to a final PROVIDER error carrying the platform's message", async () => {
        const error = await expectFinalFailure('reject-media');
        expect(error.code).toBe('PROVIDER');
        expect(error.retryable).toBe(false);
        expect(error.message).toMatch(/rejected by conformance/u);
      });
    }

    if (capabilities.resumable) {
      it('resumes from the last checkpoint after an interruption, posting once', async () => {
        await withHarness(async (harness) => {
          const bytes = patternBytes(size, 5);
          const checkpoints: UploadCheckpoint[] = [];
          harness.script.failNext('interrupt');
          const first = await harness.uploader.upload(
            uploadableVideoOf(bytes),
            { ...metadata },
            { onCheckpoint: (checkpoint) => void checkpoints.push(checkpoint) },
          );
          expect(first.isErr(), 'the interrupted upload must fail').toBe(true);
          if (first.isErr()) expect(first.error.retryable).toBe(true);
          expect(await harness.countPosts()).toBe(0);
          const last = checkpoints.at(-1);
          expect(last, 'a checkpoint must be reported before the interruption').toBeDefined();
          expect(last?.offset).toBeGreaterThan(0);
          expect(last?.offset).toBeLessThan(size);

          const success = await expectOk(
            harness.uploader.upload(
              uploadableVideoOf(bytes),
              { ...metadata },
              { checkpoint: last },
            ),
          );
          const uploaded = await harness.readUploaded(success.platformPostId);
          expect(sha256(uploaded)).toBe(sha256(bytes));
          expect(await harness.countPosts()).toBe(1);
          if (harness.acceptedBytes !== undefined) {
            // Restarting from zero would store the confirmed first part a second time.
            expect(await harness.acceptedBytes()).toBe(size);
          }
        });
      });
    }
  });
}
