import { type VBucketsError, vbucketsError } from '../errors';

/** Why a credential was refused; kept in `error.details.reason` of the `UNAUTHENTICATED` error. */
export type TokenRefusalReason =
  | 'missing-header'
  | 'not-bearer'
  | 'empty'
  | 'malformed'
  | 'alg-none'
  | 'algorithm-not-allowed'
  | 'bad-signature'
  | 'no-matching-key'
  | 'expired'
  | 'missing-expiry'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-subject'
  | 'missing-org'
  | 'invalid-roles'
  | 'invalid-claims';

/** An `UNAUTHENTICATED` error naming the reason in its message and in `details.reason` (adapter `jwt`). */
export function tokenRefused(
  reason: TokenRefusalReason,
  explanation: string,
  cause?: unknown,
): VBucketsError {
  return vbucketsError('UNAUTHENTICATED', `Token refused (${reason}): ${explanation}`, {
    cause,
    details: { reason },
    adapter: 'jwt',
  });
}
