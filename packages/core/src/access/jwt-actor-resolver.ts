import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { err, errAsync, ok, type Result, ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import { type VBucketsError, vbucketsError, withErrorSource } from '../errors';
import { systemClock } from '../ports/clock';
import type { Actor } from '../schemas/actor';
import { IdSchema } from '../schemas/common';
import { parseInput } from '../services/parse-input';
import { bearerToken } from './bearer-token';
import {
  HMAC_ALGORITHMS,
  type JwtActorResolverSettings,
  JwtActorResolverSettingsSchema,
  PUBLIC_KEY_ALGORITHMS,
} from './jwt-options';
import { tokenRefused } from './token-refusal';

/** Turns a credential into the Actor it vouches for. */
export interface ActorResolver {
  /** Verifies a compact JWS token; `UNAUTHENTICATED` naming the reason when it is refused. */
  resolve(token: string): ResultAsync<Actor, VBucketsError>;
  /** The same, from an `Authorization: Bearer …` header value. */
  resolveAuthorization(header: string | null | undefined): ResultAsync<Actor, VBucketsError>;
}

export const DEFAULT_ORG_CLAIM = 'org_id';
export const DEFAULT_ROLES_CLAIM = 'roles';
/** Longer tokens are refused before any parsing (real ones are a few KB at most). */
export const MAX_TOKEN_CHARACTERS = 16_384;

type VerificationKey = Uint8Array | JWTVerifyGetKey;

/** A JWKS that could not be fetched: a fault of the key server, not of the token. */
class JwksUnavailable extends Error {}

/**
 * Verifies JWTs with jose (any runtime with Web Crypto and fetch): signature against the
 * shared secret or the JWKS, `alg` among the configured algorithms (`none` never), `exp`
 * required and `nbf` honoured with `clockTolerance`, `iss` and `aud` checked, then `sub`
 * and the org claim read into an Actor. `VALIDATION` when the settings are invalid.
 */
export function createJwtActorResolver(
  settings: JwtActorResolverSettings,
): Result<ActorResolver, VBucketsError> {
  const parsed = parseInput(JwtActorResolverSettingsSchema, settings, 'jwtSettings');
  if (parsed.isErr()) return err(parsed.error);
  const options = parsed.value;
  const algorithms: string[] = options.algorithms ?? [
    ...(options.secret === undefined ? PUBLIC_KEY_ALGORITHMS : HMAC_ALGORITHMS),
  ];
  const key = verificationKey(options);
  if (key.isErr()) return err(key.error);
  const clock = options.clock ?? systemClock;
  const orgClaim = options.orgClaim ?? DEFAULT_ORG_CLAIM;
  const rolesClaim = options.rolesClaim ?? DEFAULT_ROLES_CLAIM;

  const resolve = (token: string): ResultAsync<Actor, VBucketsError> => {
    const checked = checkHeader(token, algorithms);
    if (checked.isErr()) return errAsync(checked.error);
    const verifyOptions: JWTVerifyOptions = {
      algorithms,
      issuer: options.issuer,
      audience: options.audience,
      clockTolerance: options.clockTolerance ?? 0,
      currentDate: new Date(clock.now()),
      requiredClaims: ['exp'],
    };
    return ResultAsync.fromPromise(verify(token, key.value, verifyOptions), refusalOf).andThen(
      (payload) => actorOf(payload, orgClaim, rolesClaim),
    );
  };

  const at = (operation: string) => (error: VBucketsError) =>
    withErrorSource(error, { adapter: 'jwt', operation });
  return ok({
    resolve: (token) => resolve(token).mapErr(at('resolve')),
    resolveAuthorization: (header) =>
      bearerToken(header).asyncAndThen(resolve).mapErr(at('resolveAuthorization')),
  });
}

function verificationKey(
  options: z.output<typeof JwtActorResolverSettingsSchema>,
): Result<VerificationKey, VBucketsError> {
  if (options.secret !== undefined) {
    return ok(
      typeof options.secret === 'string'
        ? new TextEncoder().encode(options.secret)
        : options.secret,
    );
  }
  if (typeof options.jwks === 'string' || options.jwks instanceof URL) {
    const remote = createRemoteJWKSet(new URL(options.jwks));
    const getKey: JWTVerifyGetKey = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (
          error instanceof errors.JWKSNoMatchingKey ||
          error instanceof errors.JWKSMultipleMatchingKeys
        ) {
          throw error;
        }
        throw new JwksUnavailable(String(options.jwks), { cause: error });
      }
    };
    return ok(getKey);
  }
  try {
    return ok(createLocalJWKSet(options.jwks as JSONWebKeySet));
  } catch (error) {
    return err(
      vbucketsError('VALIDATION', `Invalid jwtSettings.jwks: ${describe(error)}`, {
        cause: error,
        path: 'jwks',
      }),
    );
  }
}

/** Refusals that need no key: empty, oversized, not a JWS, `alg: none`, an algorithm not configured. */
function checkHeader(token: unknown, algorithms: readonly string[]): Result<void, VBucketsError> {
  if (typeof token !== 'string' || token.trim() === '') {
    return err(tokenRefused('empty', 'the token is empty'));
  }
  if (token.length > MAX_TOKEN_CHARACTERS) {
    return err(
      tokenRefused('malformed', `the token is longer than ${MAX_TOKEN_CHARACTERS} characters`),
    );
  }
  if (token.split('.').length !== 3) {
    return err(
      tokenRefused('malformed', 'the token is not a compact JWS (three dot-separated parts)'),
    );
  }
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch (error) {
    return err(
      tokenRefused('malformed', `the token header cannot be decoded: ${describe(error)}`, error),
    );
  }
  if (typeof alg !== 'string' || alg === '') {
    return err(tokenRefused('malformed', 'the token header has no alg'));
  }
  if (alg.toLowerCase() === 'none') {
    return err(tokenRefused('alg-none', 'alg: none (an unsigned token) is never accepted'));
  }
  if (!algorithms.includes(alg)) {
    return err(
      tokenRefused(
        'algorithm-not-allowed',
        `the token is signed with ${JSON.stringify(alg).slice(0, 40)}, not one of the configured algorithms (${algorithms.join(', ')})`,
      ),
    );
  }
  return ok(undefined);
}

async function verify(
  token: string,
  key: VerificationKey,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  if (key instanceof Uint8Array) return (await jwtVerify(token, key, options)).payload;
  try {
    return (await jwtVerify(token, key, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    // Keys without distinct `kid`s (a rotation in progress): try each candidate, as jose advises.
    for await (const candidate of error) {
      try {
        return (await jwtVerify(token, candidate, options)).payload;
      } catch (attempt) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

function refusalOf(error: unknown): VBucketsError {
  if (error instanceof JwksUnavailable) {
    return vbucketsError(
      'PROVIDER',
      `The JWKS at ${error.message} could not be fetched: ${describe(error.cause)}`,
      { cause: error.cause, retryable: true, adapter: 'jwt' },
    );
  }
  if (error instanceof errors.JWTExpired) {
    return tokenRefused('expired', 'the token has expired (exp is in the past)', error);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const missing = error.reason === 'missing';
    switch (error.claim) {
      case 'exp':
        return missing
          ? tokenRefused('missing-expiry', 'the token has no exp claim', error)
          : tokenRefused('invalid-claims', `the exp claim is invalid: ${error.message}`, error);
      case 'nbf':
        return tokenRefused(
          'not-yet-valid',
          'the token is not yet valid (nbf is in the future)',
          error,
        );
      case 'iss':
        return tokenRefused(
          'wrong-issuer',
          missing
            ? 'the token has no iss (issuer) claim'
            : 'the token was issued by an issuer not configured',
          error,
        );
      case 'aud':
        return tokenRefused(
          'wrong-audience',
          missing
            ? 'the token has no aud (audience) claim'
            : 'the token is for an audience not configured',
          error,
        );
      default:
        return tokenRefused(
          'invalid-claims',
          `the token's claims are invalid: ${error.message}`,
          error,
        );
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return tokenRefused('bad-signature', 'the signature does not verify', error);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return tokenRefused(
      'algorithm-not-allowed',
      `the token's algorithm is not allowed: ${error.message}`,
      error,
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return tokenRefused(
      'no-matching-key',
      'no key of the JWKS matches the token (kid / alg)',
      error,
    );
  }
  return tokenRefused('malformed', `the token cannot be verified: ${describe(error)}`, error);
}

function actorOf(
  payload: JWTPayload,
  orgClaim: string,
  rolesClaim: string,
): Result<Actor, VBucketsError> {
  const userId = payload.sub;
  if (typeof userId !== 'string' || !IdSchema.safeParse(userId).success) {
    return err(tokenRefused('missing-subject', 'the token has no usable sub (subject) claim'));
  }
  const orgId = payload[orgClaim];
  if (typeof orgId !== 'string' || !IdSchema.safeParse(orgId).success) {
    return err(
      tokenRefused('missing-org', `the token has no usable ${orgClaim} (organisation) claim`),
    );
  }
  const roles = rolesOf(payload[rolesClaim]);
  if (roles === null) {
    return err(
      tokenRefused(
        'invalid-roles',
        `the ${rolesClaim} claim must be an array of strings or a space-separated string`,
      ),
    );
  }
  return ok({ userId, orgId, roles });
}

/** Roles from an array of names or a space-separated string (OAuth `scope` style); empties dropped. */
function rolesOf(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/\s+/).filter((role) => role !== '');
  if (Array.isArray(value) && value.every((role) => typeof role === 'string')) {
    return [...new Set(value.filter((role) => role.trim() !== ''))];
  }
  return null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
