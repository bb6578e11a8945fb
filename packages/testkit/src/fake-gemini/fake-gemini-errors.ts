/** A Google API error as the Gemini API sends it: `{ error: { code, message, status, details } }`. */
export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    details?: Record<string, unknown>[];
  };
}

/** An HTTP status and the JSON body the fake answers with. */
export interface GoogleErrorAnswer {
  httpStatus: number;
  body: GoogleErrorBody;
  /** Extra response headers, such as `retry-after`. */
  headers?: Record<string, string>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  502: 'Bad Gateway',
  503: 'The model is overloaded. Please try again later.',
  504: 'Deadline expired before operation could complete.',
};

/** A Google error answer with the canonical status name for `httpStatus`. */
export function googleError(
  httpStatus: number,
  message?: string,
  details?: Record<string, unknown>[],
): GoogleErrorAnswer {
  return {
    httpStatus,
    body: {
      error: {
        code: httpStatus,
        message: message ?? DEFAULT_MESSAGES[httpStatus] ?? `HTTP ${httpStatus}`,
        status: STATUS_NAMES[httpStatus] ?? (httpStatus >= 500 ? 'UNKNOWN' : 'FAILED_PRECONDITION'),
        ...(details === undefined ? {} : { details }),
      },
    },
  };
}

/** What the Gemini API answers to a key it does not know. */
export function invalidKeyError(): GoogleErrorAnswer {
  return googleError(400, 'API key not valid. Please pass a valid API key.', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
    {
      '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
      locale: 'en-US',
      message: 'API key not valid. Please pass a valid API key.',
    },
  ]);
}

/** What the Gemini API answers to a request without any key. */
export function missingKeyError(): GoogleErrorAnswer {
  return googleError(
    403,
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  );
}

/** A file that does not exist, was deleted, or belongs to another project. */
export function fileNotFoundError(fileId: string): GoogleErrorAnswer {
  return googleError(
    403,
    `You do not have permission to access the File ${fileId} or it may not exist.`,
  );
}

/** A generateContent on a file that is not ACTIVE yet (or FAILED). */
export function fileNotActiveError(fileId: string): GoogleErrorAnswer {
  const answer = googleError(
    400,
    `The File ${fileId} is not in an ACTIVE state and usage is not allowed.`,
  );
  answer.body.error.status = 'FAILED_PRECONDITION';
  return answer;
}

/**
 * A protobuf Duration in its JSON form, as `google.rpc.RetryInfo.retryDelay` carries it:
 * whole seconds as "12s", fractions as "1.5s".
 */
export function formatRetryDelay(milliseconds: number): string {
  const rounded = Math.max(0, Math.ceil(milliseconds));
  const seconds = rounded / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/u, '')}s`;
}

/**
 * The 429 the Gemini API sends when a per-minute quota is spent: a QuotaFailure naming the
 * quota, a Help link and, when known, a RetryInfo with the delay until a request may succeed.
 */
export function rateLimitError(options: {
  retryDelay?: string;
  quotaValue?: number;
  model?: string;
  retryAfterHeader?: string;
}): GoogleErrorAnswer {
  const details: Record<string, unknown>[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
          quotaDimensions: { location: 'global', model: options.model ?? 'gemini-2.5-flash' },
          ...(options.quotaValue === undefined ? {} : { quotaValue: String(options.quotaValue) }),
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
  ];
  if (options.retryDelay !== undefined) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: options.retryDelay,
    });
  }
  const retryText =
    options.retryDelay === undefined ? '' : ` Please retry in ${options.retryDelay}.`;
  const answer = googleError(
    429,
    `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.${retryText}`,
    details,
  );
  if (options.retryAfterHeader !== undefined) {
    answer.headers = { 'retry-after': options.retryAfterHeader };
  }
  return answer;
}
