import type { VBucketsError } from '@vbuckets/core';
import type { BlobStore } from '@vbuckets/core/adapter-kit';
import { describe, expect, it } from 'vitest';
import { failingStream, patternBytes, splitBytes, webStreamOf } from './blob-test-bodies';
import { expectErrorCode } from './result-assertions';

/** What the error-message cases need of the suite: its store and its unique keys. */
export interface BlobStoreConformanceContext {
  store(): BlobStore;
  keyFor(name: string): string;
}

/**
 * A message a person reads: no `[fs]`-style tag in front. Which adapter failed and in which
 * call is for logs, in the error's own fields, named the same way by every adapter.
 */
function expectHumanMessage(error: VBucketsError, operation: string): void {
  expect(error.message, 'the message starts with an adapter tag').not.toMatch(/^\[/);
  expect(error.message.length).toBeGreaterThan(0);
  expect(typeof error.adapter, 'error.adapter names the adapter').toBe('string');
  expect(error.adapter).not.toBe('');
  expect(error.operation).toBe(operation);
}

export function describeBlobStoreErrorMessages(context: BlobStoreConformanceContext): void {
  describe('error messages', () => {
    it('are sentences for people, with the adapter and the call in fields', async () => {
      const store = context.store();
      const hostile = '../escape.bin';
      expectHumanMessage(
        await expectErrorCode(store.put(hostile, patternBytes(10, 70)), 'VALIDATION'),
        'blobs.put',
      );
      expectHumanMessage(await expectErrorCode(store.get(hostile), 'VALIDATION'), 'blobs.get');
      expectHumanMessage(await expectErrorCode(store.head(hostile), 'VALIDATION'), 'blobs.head');
      expectHumanMessage(
        await expectErrorCode(store.delete(hostile), 'VALIDATION'),
        'blobs.delete',
      );
      expectHumanMessage(
        await expectErrorCode(store.get(context.keyFor('absent.bin')), 'NOT_FOUND'),
        'blobs.get',
      );
      const controller = new AbortController();
      controller.abort(new Error('changed my mind'));
      expectHumanMessage(
        await expectErrorCode(
          store.put(context.keyFor('aborted.bin'), patternBytes(10, 71), {
            signal: controller.signal,
          }),
          'CANCELLED',
        ),
        'blobs.put',
      );
      const broken = failingStream(
        splitBytes(patternBytes(100_000, 72), [65_536]),
        new Error('source died'),
      );
      const failed = await store.put(context.keyFor('broken.bin'), broken);
      expect(failed.isErr()).toBe(true);
      if (failed.isErr()) expectHumanMessage(failed.error, 'blobs.put');
      const notBytes = webStreamOf([patternBytes(10, 73), 'text' as unknown as Uint8Array]);
      const refused = await store.put(context.keyFor('not-bytes.bin'), notBytes);
      expect(refused.isErr()).toBe(true);
      if (refused.isErr()) expectHumanMessage(refused.error, 'blobs.put');
      if (store.presignGet !== undefined) {
        expectHumanMessage(
          await expectErrorCode(store.presignGet(hostile, 60), 'VALIDATION'),
          'blobs.presignGet',
        );
      }
    });
  });
}
