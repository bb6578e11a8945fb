import { z } from 'zod';
import type { Clock } from '../ports/clock';

/** HMAC algorithms, verified with a shared `secret`. */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
/** Public-key algorithms, verified with the keys of a `jwks`. */
export const PUBLIC_KEY_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

export type JwtAlgorithm =
  | (typeof HMAC_ALGORITHMS)[number]
  | (typeof PUBLIC_KEY_ALGORITHMS)[number];

/** One JSON Web Key as a JWKS lists it (only `kty` is required here; jose checks the rest). */
export interface JsonWebKeyEntry {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
}

/** A JSON Web Key Set object, as served at `/.well-known/jwks.json`. */
export interface JsonWebKeySetObject {
  keys: JsonWebKeyEntry[];
}

/** Settings of `createJwtActorResolver`: exactly one of `secret` or `jwks`. */
export interface JwtActorResolverSettings {
  /** The HS256/384/512 shared secret, at least 32 bytes (RFC 7518 §3.2). */
  secret?: string | Uint8Array;
  /** Public keys: a JWKS URL (https, or http on a loopback host) or a JSON Web Key Set object. */
  jwks?: string | URL | JsonWebKeySetObject;
  /** The accepted `iss` (one or several). */
  issuer: string | string[];
  /** The accepted `aud` (one or several); a token must name at least one. */
  audience: string | string[];
  /** Seconds of leeway for `exp` and `nbf` (0..300); default 0. */
  clockTolerance?: number;
  /** Accepted algorithms; default all HS* with a secret, all public-key ones with a jwks. */
  algorithms?: JwtAlgorithm[];
  /** The claim holding the organisation id; default `org_id`. */
  orgClaim?: string;
  /** The claim holding the roles (an array, or a space-separated string); default `roles`. */
  rolesClaim?: string;
  /** The time tokens are checked against; defaults to the wall clock. */
  clock?: Clock;
}

/** 256 bits: RFC 7518 §3.2 wants an HMAC key at least as long as the hash output. */
export const MIN_SECRET_BYTES = 32;
const MAX_CLOCK_TOLERANCE_SEC = 300;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const NonEmptyText = z.string().trim().min(1, 'must not be empty').max(2_000);
const OneOrMany = z.union([NonEmptyText, z.array(NonEmptyText).min(1, 'must not be empty')]);
const ClaimName = z.string().min(1, 'must not be empty').max(200);

const byteLength = (secret: string | Uint8Array) =>
  typeof secret === 'string' ? new TextEncoder().encode(secret).byteLength : secret.byteLength;

const SecretSchema = z
  .union([z.string(), z.instanceof(Uint8Array)])
  .refine(
    (secret) => byteLength(secret) >= MIN_SECRET_BYTES,
    `must be at least ${MIN_SECRET_BYTES} bytes`,
  );

/** Why a JWKS URL is refused, or null when it is fine. */
function jwksUrlProblem(value: string | URL): string | null {
  const url = URL.canParse(String(value)) ? new URL(String(value)) : null;
  if (url === null) return 'must be a URL or a JSON Web Key Set object';
  // Keys fetched over plain http could be swapped by anyone on the path.
  const safe =
    url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  return safe ? null : 'must be an https URL (http only on localhost / 127.0.0.1 / [::1])';
}

const JwksObjectSchema = z.strictObject({
  keys: z.array(z.looseObject({ kty: z.string().min(1) })).min(1, 'must list at least one key'),
});

const ClockSchema = z.custom<Clock>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as Clock).now === 'function',
  'must be a Clock ({ now(): number })',
);

export const JwtActorResolverSettingsSchema = z
  .strictObject({
    secret: SecretSchema.optional(),
    jwks: z.union([JwksObjectSchema, z.string(), z.instanceof(URL)]).optional(),
    issuer: OneOrMany,
    audience: OneOrMany,
    clockTolerance: z.number().min(0).max(MAX_CLOCK_TOLERANCE_SEC).optional(),
    algorithms: z
      .array(z.enum([...HMAC_ALGORITHMS, ...PUBLIC_KEY_ALGORITHMS]))
      .min(1, 'must not be empty')
      .optional(),
    orgClaim: ClaimName.optional(),
    rolesClaim: ClaimName.optional(),
    clock: ClockSchema.optional(),
  })
  .superRefine((settings, context) => {
    if ((settings.secret === undefined) === (settings.jwks === undefined)) {
      context.addIssue({
        code: 'custom',
        path: settings.secret === undefined ? [] : ['jwks'],
        message: 'give exactly one of secret (HS*) or jwks (public keys)',
      });
      return;
    }
    if (typeof settings.jwks === 'string' || settings.jwks instanceof URL) {
      const problem = jwksUrlProblem(settings.jwks);
      if (problem !== null) context.addIssue({ code: 'custom', path: ['jwks'], message: problem });
    }
    const family: readonly string[] =
      settings.secret === undefined ? PUBLIC_KEY_ALGORITHMS : HMAC_ALGORITHMS;
    const stranger = settings.algorithms?.find((algorithm) => !family.includes(algorithm));
    if (stranger !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['algorithms'],
        message: `${stranger} cannot be verified with ${settings.secret === undefined ? 'a jwks' : 'a shared secret'}`,
      });
    }
  });
