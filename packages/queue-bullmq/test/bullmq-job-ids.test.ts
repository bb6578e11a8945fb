import { describe, expect, it } from 'vitest';
import { bullJobIdCandidates, fromBullJobId, toBullJobId } from '../src/bullmq-job-ids';

describe('BullMQ job ids', () => {
  const ids = [
    'plain-uuid-like',
    'video-1/youtube',
    'one:a/b',
    'a:b:c',
    '42',
    '-7',
    '0',
    '007',
    '%N12',
    '100%',
    '%3A',
    '%25:%',
    'repeat:x:1',
    'ünïcödé 🙂',
  ];

  it('round-trips every id the port allows', () => {
    for (const id of ids) expect(fromBullJobId(toBullJobId(id))).toBe(id);
  });

  it('gives ids BullMQ accepts: no ":", never integer-like', () => {
    for (const id of ids) {
      const bullId = toBullJobId(id);
      expect(bullId).not.toContain(':');
      expect(`${Number.parseInt(bullId, 10)}`).not.toBe(bullId);
    }
  });

  it('keeps readable ids as they are, and distinct ids distinct', () => {
    expect(toBullJobId('video-1/youtube')).toBe('video-1/youtube');
    expect(new Set(ids.map(toBullJobId)).size).toBe(ids.length);
  });

  it('keeps the ids BullMQ gives scheduled jobs, and looks them up either way', () => {
    expect(fromBullJobId('repeat:nightly:1700000000000')).toBe('repeat:nightly:1700000000000');
    expect(bullJobIdCandidates('repeat:nightly:1')).toEqual([
      'repeat%3Anightly%3A1',
      'repeat:nightly:1',
    ]);
    expect(bullJobIdCandidates('a:b')).toEqual(['a%3Ab']);
  });
});
