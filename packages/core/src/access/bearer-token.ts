import { err, ok, type Result } from 'neverthrow';
import { type VBucketsError, withErrorSource } from '../errors';
import { tokenRefused } from './token-refusal';

/** RFC 6750 §2.1: `Bearer` (any case), one or more spaces, then a b64token. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const SCHEME = /^bearer(?: |$)/i;

/**
 * The token of an `Authorization: Bearer …` header value; `UNAUTHENTICATED` when the header is
 * absent or empty, uses another scheme, or carries no (or a malformed) token.
 */
export function bearerToken(header: string | null | undefined): Result<string, VBucketsError> {
  return tokenOfHeader(header).mapErr((error) =>
    withErrorSource(error, { adapter: 'jwt', operation: 'bearerToken' }),
  );
}

function tokenOfHeader(header: string | null | undefined): Result<string, VBucketsError> {
  const value = typeof header === 'string' ? header.trim() : '';
  if (value === '') {
    return err(tokenRefused('missing-header', 'no Authorization header was given'));
  }
  if (!SCHEME.test(value)) {
    const scheme = value.split(' ', 1)[0] ?? '';
    return err(
      tokenRefused(
        'not-bearer',
        `the Authorization header uses the ${JSON.stringify(scheme.slice(0, 20))} scheme, not Bearer`,
      ),
    );
  }
  const match = BEARER.exec(value);
  if (match?.[1] === undefined) {
    return value.slice('bearer'.length).trim() === ''
      ? err(tokenRefused('empty', 'the Bearer credential is empty'))
      : err(tokenRefused('malformed', 'the Bearer credential has characters a token cannot have'));
  }
  return ok(match[1]);
}
