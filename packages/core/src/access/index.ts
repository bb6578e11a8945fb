export {
  type AccessService,
  type AccessServiceDependencies,
  type BenchmarkFilter,
  type BenchmarkVideo,
  createAccessService,
  DEFAULT_ACCESS_TTL_SEC,
  DEFAULT_BENCHMARK_LIMIT,
  MAX_ACCESS_TTL_SEC,
  type VideoAccess,
} from './access-service';
export { type Actor, ActorSchema } from './actor';
export { bearerToken } from './bearer-token';
export {
  type ActorResolver,
  createJwtActorResolver,
  DEFAULT_ORG_CLAIM,
  DEFAULT_ROLES_CLAIM,
  MAX_TOKEN_CHARACTERS,
} from './jwt-actor-resolver';
export {
  HMAC_ALGORITHMS,
  type JsonWebKeyEntry,
  type JsonWebKeySetObject,
  type JwtActorResolverSettings,
  type JwtAlgorithm,
  MIN_SECRET_BYTES,
  PUBLIC_KEY_ALGORITHMS,
} from './jwt-options';
export { type TokenRefusalReason, tokenRefused } from './token-refusal';
