import type { UploadStatus } from '../../schemas/upload';

/** Seed 001's status symbols; `NONE` is a platform never attempted. */
export const UPLOAD_STATUS_SYMBOLS = Object.freeze({
  SUCCESS: '✔',
  FAILED: '✖',
  FAILED_FINAL: '✖',
  IN_PROGRESS: '⏳',
  BLOCKED: '❌',
  RATE_LIMITED: '🔁',
  PENDING: '⚪',
  NONE: '⚪',
} as const satisfies Record<UploadStatus | 'NONE', string>);
