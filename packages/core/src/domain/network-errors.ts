/**
 * Socket, DNS and timeout failures after which the same request may well succeed a moment
 * later: what every adapter talking to a remote API treats as retryable.
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

const MAX_DEPTH = 4;

/**
 * The transient network code behind an error, or undefined. fetch wraps the socket error
 * (`TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })`) and a connect to several
 * addresses fails as an AggregateError, so the `cause` chain and `errors` members are searched
 * (a few levels deep); each error's `code`, else its `name`, is compared. `alsoTransient` adds
 * codes one adapter knows (e.g. an SDK's own timeout names).
 */
export function transientNetworkCode(
  error: unknown,
  alsoTransient: ReadonlySet<string> = new Set(),
  depth = 0,
): string | undefined {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return undefined;
  const shaped = error as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  const code =
    typeof shaped.code === 'string'
      ? shaped.code
      : typeof shaped.name === 'string'
        ? shaped.name
        : undefined;
  if (code !== undefined && (TRANSIENT_NETWORK_CODES.has(code) || alsoTransient.has(code))) {
    return code;
  }
  if (Array.isArray(shaped.errors)) {
    for (const inner of shaped.errors) {
      const found = transientNetworkCode(inner, alsoTransient, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return transientNetworkCode(shaped.cause, alsoTransient, depth + 1);
}
