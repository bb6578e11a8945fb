import { describe, expect, it } from 'vitest';
import { vbucketsError } from '../../src/errors';
import type { AuditEvent } from '../../src/schemas/upload';
import { createFakeAuditSink } from '../../src/testing/fake-audit-sink';

const event = (id: string): AuditEvent => ({
  id,
  at: '2026-02-18T10:00:00.000Z',
  orgId: 'org-1',
  videoId: 'video-1',
  platform: 'youtube',
  status: 'SUCCESS',
  uploadId: 'upload-1',
  retryCount: 0,
  errorMessage: null,
  metadata: {},
});

describe('createFakeAuditSink', () => {
  it('accepts writes by default and keeps the events', async () => {
    const sink = createFakeAuditSink();

    expect((await sink.write(event('a'))).isOk()).toBe(true);
    expect((await sink.write(event('b'))).isOk()).toBe(true);
    expect(sink.events.map((each) => each.id)).toEqual(['a', 'b']);
  });

  it('fails the queued writes, recording the call but not the event', async () => {
    const sink = createFakeAuditSink();
    sink.queueWrite(vbucketsError('STORAGE', 'disk full'), undefined);

    expect((await sink.write(event('a')))._unsafeUnwrapErr().message).toBe('disk full');
    expect((await sink.write(event('b'))).isOk()).toBe(true);
    expect(sink.calls.map((call) => call.event.id)).toEqual(['a', 'b']);
    expect(sink.events.map((each) => each.id)).toEqual(['b']);
  });

  it('uses a failing fallback once the queue is empty', async () => {
    const sink = createFakeAuditSink({ fallback: vbucketsError('STORAGE', 'read-only') });
    expect((await sink.write(event('a')))._unsafeUnwrapErr().code).toBe('STORAGE');
    expect(sink.events).toEqual([]);
  });
});
