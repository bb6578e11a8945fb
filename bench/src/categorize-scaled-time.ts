import { performance } from 'node:perf_hooks';
import { type Clock, type Sleep, timerSleep } from '@vbuckets/core/adapter-kit';

/**
 * Simulated time running `scale` times faster than the real one, so that minutes of a
 * per-minute quota pass in seconds. Everything that reads or waits on time in a benchmark —
 * core's rate limiter and backoff, the Gemini adapter's polls and deadline, the fake server's
 * quota window — is given this clock and these sleeps, so they all agree. Milliseconds in and
 * out are simulated ones; only the fake server's `generateDelayMs` (a real timer) needs
 * `toRealMs`.
 */
export interface ScaledTime {
  readonly scale: number;
  /** Simulated epoch milliseconds (fractional: a real millisecond is `scale` simulated ones). */
  readonly clock: Clock;
  /** The SDK's Sleep (core's and the Gemini adapter's): waits `ms / scale` real milliseconds, resolves early when the signal aborts. */
  readonly sleep: Sleep;
  toRealMs(simulatedMs: number): number;
}

export function createScaledTime(scale: number): ScaledTime {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`time scale must be > 0: ${scale}`);
  const startedAt = Date.now();
  // performance.now() rather than Date.now(): at scale 60 a whole real millisecond is 60 simulated ones.
  const startedPerformance = performance.now();
  const clock: Clock = {
    specificationVersion: 'v1',
    now: () => startedAt + (performance.now() - startedPerformance) * scale,
  };
  return {
    scale,
    clock,
    sleep: (milliseconds, signal) => timerSleep(milliseconds / scale, signal),
    toRealMs: (simulatedMs) => simulatedMs / scale,
  };
}

/**
 * Bytes that sniff as mp4: a 32-byte `ftyp` box (major brand isom, compatible brands
 * isom iso2 avc1 mp41) followed by a filler pattern that differs per `seed`, so every video
 * has its own SHA-256 and none is taken for a duplicate.
 */
export function mp4Bytes(seed: number, size: number): Uint8Array {
  const ascii = (text: string) => Array.from(text, (character) => character.charCodeAt(0));
  const head = [
    ...[0x00, 0x00, 0x00, 0x20],
    ...ascii('ftypisom'),
    ...[0x00, 0x00, 0x02, 0x00],
    ...ascii('isomiso2avc1mp41'),
  ];
  const bytes = new Uint8Array(Math.max(size, head.length));
  bytes.set(head);
  for (let index = head.length; index < bytes.length; index += 1) {
    bytes[index] = (index * 31 + seed * 17 + 7) % 251;
  }
  // The pattern repeats every 251 bytes; the seed itself in the filler keeps digests apart.
  new DataView(bytes.buffer).setUint32(head.length, seed);
  return bytes;
}

/** A fetch that tallies the HTTP status of every response it sees, for one phase at a time. */
export function createCountingFetch(): {
  fetch: typeof globalThis.fetch;
  statuses: Map<number, number>;
  reset(): void;
} {
  const statuses = new Map<number, number>();
  const counting: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    return response;
  };
  return { fetch: counting, statuses, reset: () => statuses.clear() };
}
