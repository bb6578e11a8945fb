import type { Actor, ActorResolver, VBucketsError } from '@vbuckets/core';
import { okAsync, type ResultAsync } from 'neverthrow';

/** Settings of `cacheActors`. */
export interface ActorCacheOptions {
  /** Tokens remembered at once (the oldest is forgotten first); default 1000. */
  maxEntries?: number;
  /** How long a verified token is trusted without checking it again; default 60 s (never past its `exp`). */
  ttlMs?: number;
  now?: () => number;
}

/** The token's `exp` in milliseconds; only read after the resolver verified the token. */
function expiresAtMs(token: string): number {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/**
 * Remembers the actors of verified tokens for a short while, so that a client's requests do
 * not each pay for a signature check (about 35 µs with HS256, more with RSA and JWKS). Only
 * successes are kept, for `ttlMs` at most and never past the token's expiry; a refused token is
 * checked again every time.
 */
export function cacheActors(
  resolver: ActorResolver,
  options: ActorCacheOptions = {},
): ActorResolver {
  const maxEntries = options.maxEntries ?? 1000;
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { actor: Actor; until: number }>();

  const resolve = (token: string): ResultAsync<Actor, VBucketsError> => {
    const cached = entries.get(token);
    if (cached !== undefined) {
      if (cached.until > now()) return okAsync(cached.actor);
      entries.delete(token);
    }
    return resolver.resolve(token).map((actor) => {
      const until = Math.min(now() + ttlMs, expiresAtMs(token));
      if (until > now()) {
        if (entries.size >= maxEntries) {
          const oldest = entries.keys().next().value;
          if (oldest !== undefined) entries.delete(oldest);
        }
        entries.set(token, { actor, until });
      }
      return actor;
    });
  };

  return {
    resolve,
    resolveAuthorization: (header) => {
      const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header?.trim() ?? '');
      // Anything but a plain bearer token goes to the resolver, which explains the refusal.
      return match?.[1] === undefined ? resolver.resolveAuthorization(header) : resolve(match[1]);
    },
  };
}
