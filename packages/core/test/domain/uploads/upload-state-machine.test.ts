import { describe, expect, it } from 'vitest';
import {
  canTransitionUpload,
  checkUploadTransition,
  nextUploadStatuses,
  type UploadTransitionContext,
} from '../../../src/domain/uploads/upload-state-machine';
import type { UploadStatus } from '../../../src/schemas/upload';

const ALL_STATUSES: UploadStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'SUCCESS',
  'FAILED',
  'FAILED_FINAL',
  'BLOCKED',
  'RATE_LIMITED',
];

type Requirement =
  | 'always'
  | 'lease-expired'
  | 'force'
  | 'duplicate-allowed-or-force'
  | 'duplicate-refused';

// Written from the design, not read from the implementation's table, so a changed rule shows.
const LEGAL: Record<string, Requirement> = {
  'PENDING->IN_PROGRESS': 'always',
  'PENDING->BLOCKED': 'always',
  'IN_PROGRESS->SUCCESS': 'always',
  'IN_PROGRESS->FAILED': 'always',
  'IN_PROGRESS->FAILED_FINAL': 'always',
  'IN_PROGRESS->RATE_LIMITED': 'always',
  'IN_PROGRESS->IN_PROGRESS': 'lease-expired',
  'FAILED->IN_PROGRESS': 'always',
  'RATE_LIMITED->IN_PROGRESS': 'always',
  'FAILED_FINAL->IN_PROGRESS': 'force',
  'SUCCESS->IN_PROGRESS': 'duplicate-allowed-or-force',
  'BLOCKED->IN_PROGRESS': 'duplicate-allowed-or-force',
  'SUCCESS->BLOCKED': 'duplicate-refused',
  'FAILED->BLOCKED': 'duplicate-refused',
  'FAILED_FINAL->BLOCKED': 'duplicate-refused',
  'RATE_LIMITED->BLOCKED': 'duplicate-refused',
  'BLOCKED->BLOCKED': 'duplicate-refused',
};

const ENABLING: Record<Requirement, UploadTransitionContext[]> = {
  always: [{}],
  'lease-expired': [{ leaseExpired: true }],
  force: [{ force: true }],
  'duplicate-allowed-or-force': [{ duplicateAllowed: true }, { force: true }],
  'duplicate-refused': [{ duplicateRefused: true }],
};

const SINGLE_FLAGS: UploadTransitionContext[] = [
  { force: true },
  { duplicateAllowed: true },
  { leaseExpired: true },
  { duplicateRefused: true },
];

const EVERY_FLAG: UploadTransitionContext = {
  force: true,
  duplicateAllowed: true,
  leaseExpired: true,
  duplicateRefused: true,
};

const pairs = ALL_STATUSES.flatMap((from) => ALL_STATUSES.map((to) => ({ from, to })));
const legalPairs = pairs.filter(({ from, to }) => LEGAL[`${from}->${to}`] !== undefined);
const illegalPairs = pairs.filter(({ from, to }) => LEGAL[`${from}->${to}`] === undefined);

describe('checkUploadTransition', () => {
  it('covers every pair of statuses', () => {
    expect(legalPairs).toHaveLength(17);
    expect(illegalPairs).toHaveLength(49 - 17);
  });

  describe.each(legalPairs)('legal $from -> $to', ({ from, to }) => {
    const requirement = LEGAL[`${from}->${to}`]!;

    it.each(ENABLING[requirement])('is accepted with %o', (context) => {
      const result = checkUploadTransition(from, to, context);
      expect(result._unsafeUnwrap()).toMatchObject({ from, to, requires: requirement });
    });

    const disabling = SINGLE_FLAGS.filter(
      (context) => !ENABLING[requirement].some((enabling) => sameFlags(enabling, context)),
    );
    if (requirement !== 'always') {
      it.each(disabling)('is refused as CONFLICT with only %o', (context) => {
        const error = checkUploadTransition(from, to, context)._unsafeUnwrapErr();
        expect(error.code).toBe('CONFLICT');
        expect(error.details).toMatchObject({ from, to, requires: requirement });
      });
      it('is refused as CONFLICT with no flags', () => {
        expect(checkUploadTransition(from, to)._unsafeUnwrapErr().code).toBe('CONFLICT');
      });
    }
  });

  describe.each(illegalPairs)('illegal $from -> $to', ({ from, to }) => {
    it('is refused as CONFLICT even with every flag set', () => {
      const error = checkUploadTransition(from, to, EVERY_FLAG)._unsafeUnwrapErr();
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain(`cannot move from ${from} to ${to}`);
    });
  });

  it('names each move for the audit trail', () => {
    const kinds = [
      checkUploadTransition('PENDING', 'IN_PROGRESS'),
      checkUploadTransition('IN_PROGRESS', 'IN_PROGRESS', { leaseExpired: true }),
      checkUploadTransition('FAILED', 'IN_PROGRESS'),
      checkUploadTransition('RATE_LIMITED', 'IN_PROGRESS'),
      checkUploadTransition('FAILED_FINAL', 'IN_PROGRESS', { force: true }),
      checkUploadTransition('SUCCESS', 'IN_PROGRESS', { duplicateAllowed: true }),
      checkUploadTransition('BLOCKED', 'IN_PROGRESS', { force: true }),
      checkUploadTransition('SUCCESS', 'BLOCKED', { duplicateRefused: true }),
    ].map((result) => result._unsafeUnwrap().kind);
    expect(kinds).toEqual([
      'start',
      'reclaim',
      'retry',
      'resume',
      'manual-override',
      'repeat',
      'unblock',
      'block',
    ]);
  });

  it('lists the legal targets when a move does not exist', () => {
    const error = checkUploadTransition('SUCCESS', 'FAILED')._unsafeUnwrapErr();
    expect(error.message).toBe(
      'An upload cannot move from SUCCESS to FAILED (from SUCCESS it may move to IN_PROGRESS, BLOCKED)',
    );
  });

  it('never lets a refused attempt overwrite a live upload', () => {
    const error = checkUploadTransition('IN_PROGRESS', 'BLOCKED', EVERY_FLAG)._unsafeUnwrapErr();
    expect(error.code).toBe('CONFLICT');
  });

  it('says what is missing for a conditional move', () => {
    expect(checkUploadTransition('FAILED_FINAL', 'IN_PROGRESS')._unsafeUnwrapErr().message).toBe(
      'Cannot move an upload from FAILED_FINAL to IN_PROGRESS without a manual override (force): automatic retries are exhausted',
    );
    expect(checkUploadTransition('IN_PROGRESS', 'IN_PROGRESS')._unsafeUnwrapErr().message).toBe(
      'Cannot move an upload from IN_PROGRESS to IN_PROGRESS: its lease has not expired, so another worker may still be posting it',
    );
    expect(checkUploadTransition('SUCCESS', 'IN_PROGRESS')._unsafeUnwrapErr().message).toBe(
      'Cannot move an upload from SUCCESS to IN_PROGRESS: the video does not allow duplicate uploads (allow duplicates or force)',
    );
  });

  it('rejects an unknown status as VALIDATION naming the field', () => {
    const fromError = checkUploadTransition('DONE' as UploadStatus, 'SUCCESS')._unsafeUnwrapErr();
    expect(fromError.code).toBe('VALIDATION');
    expect(fromError.path).toBe('from');
    expect(fromError.message).toContain('"DONE"');

    const toError = checkUploadTransition('PENDING', 'success' as UploadStatus)._unsafeUnwrapErr();
    expect(toError.code).toBe('VALIDATION');
    expect(toError.path).toBe('to');
  });
});

describe('canTransitionUpload', () => {
  it('agrees with checkUploadTransition', () => {
    expect(canTransitionUpload('FAILED_FINAL', 'IN_PROGRESS')).toBe(false);
    expect(canTransitionUpload('FAILED_FINAL', 'IN_PROGRESS', { force: true })).toBe(true);
  });
});

describe('nextUploadStatuses', () => {
  it('lists only the moves the context allows', () => {
    expect(nextUploadStatuses('IN_PROGRESS')).toEqual([
      'SUCCESS',
      'FAILED',
      'FAILED_FINAL',
      'RATE_LIMITED',
    ]);
    expect(nextUploadStatuses('IN_PROGRESS', { leaseExpired: true })).toContain('IN_PROGRESS');
    expect(nextUploadStatuses('SUCCESS')).toEqual([]);
    expect(
      nextUploadStatuses('SUCCESS', { duplicateAllowed: true, duplicateRefused: true }),
    ).toEqual(['IN_PROGRESS', 'BLOCKED']);
  });
});

function sameFlags(left: UploadTransitionContext, right: UploadTransitionContext): boolean {
  const keys: (keyof UploadTransitionContext)[] = [
    'force',
    'duplicateAllowed',
    'leaseExpired',
    'duplicateRefused',
  ];
  return keys.every((key) => (left[key] === true) === (right[key] === true));
}
