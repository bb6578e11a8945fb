import type { FakeYouTubeFailure } from './fake-youtube-types';

/** An error answer in the shape of the YouTube Data API. */
export interface FakeYouTubeErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: {
    error: {
      code: number;
      message: string;
      errors: Array<{ reason: string; domain: string; message: string }>;
    };
  };
}

/** Google's v3 error JSON: `{ error: { code, message, errors: [{ reason, domain, message }] } }`. */
export function youTubeError(
  status: number,
  reason: string,
  domain: string,
  message: string,
  headers: Record<string, string> = {},
): FakeYouTubeErrorAnswer {
  return {
    status,
    headers,
    body: { error: { code: status, message, errors: [{ reason, domain, message }] } },
  };
}

export const invalidCredentials = (): FakeYouTubeErrorAnswer =>
  youTubeError(401, 'authError', 'global', 'Invalid Credentials');

/** The answer a scripted failure (other than an interruption or a hold) gives. */
export function scriptedError(
  failure: Exclude<FakeYouTubeFailure, { kind: 'interrupt' | 'hold' }>,
): FakeYouTubeErrorAnswer {
  switch (failure.kind) {
    case 'unauthorized':
      return invalidCredentials();
    case 'rate-limit': {
      const reason = failure.reason ?? 'quotaExceeded';
      const headers: Record<string, string> =
        failure.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(failure.retryAfterSeconds) };
      const message =
        reason === 'quotaExceeded'
          ? 'The request cannot be completed because you have exceeded your quota.'
          : 'The request cannot be completed because of too many requests.';
      const domain = reason === 'quotaExceeded' ? 'youtube.quota' : 'usageLimits';
      return youTubeError(failure.status ?? 403, reason, domain, message, headers);
    }
    case 'server-error':
      return youTubeError(failure.status ?? 503, 'backendError', 'global', 'Backend Error');
    case 'reject-media':
      return youTubeError(
        failure.status ?? 400,
        failure.reason ?? 'uploadLimitExceeded',
        'youtube.video',
        failure.message ?? 'The user has exceeded the number of videos they may upload.',
      );
  }
}
