import type { AuditSink } from '../ports/audit-sink';
import type { AuditEvent } from '../schemas/upload';
import { createAnswerQueue, type ScriptedAnswer } from './answer-queue';

/** One recorded call of a fake audit sink. */
export interface FakeAuditSinkCall {
  event: AuditEvent;
}

export interface FakeAuditSinkSettings {
  /**
   * Answer once the queue is empty. Unlike the other fakes it defaults to success, since a
   * sink that keeps what it is given is what most tests want.
   */
  fallback?: ScriptedAnswer<FakeAuditSinkCall, void>;
}

/** An AuditSink that records its calls and answers from a scripted queue. */
export interface FakeAuditSink extends AuditSink {
  /** Every call, in order, failed ones included. */
  readonly calls: FakeAuditSinkCall[];
  /** The events whose write succeeded, in order. */
  readonly events: AuditEvent[];
  /** Queues answers for `write`: `undefined` for success or a VBucketsError. */
  queueWrite(...answers: ScriptedAnswer<FakeAuditSinkCall, void>[]): void;
}

export function createFakeAuditSink(settings: FakeAuditSinkSettings = {}): FakeAuditSink {
  const calls: FakeAuditSinkCall[] = [];
  const events: AuditEvent[] = [];
  const answers = createAnswerQueue<FakeAuditSinkCall, void>({
    label: 'fake-audit-sink.write',
    errorCode: 'STORAGE',
    fallback: { answer: settings.fallback },
  });
  return {
    specificationVersion: 'v1',
    calls,
    events,
    queueWrite: (...queued) => answers.push(...queued),
    write(event) {
      const call: FakeAuditSinkCall = { event };
      calls.push(call);
      return answers.answer(call).andTee(() => events.push(event));
    },
  };
}
