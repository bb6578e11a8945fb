import { type ApiClient, createApiClient } from './api';

/** The signed-in caller as the host verified the token: `GET /api/v1/me`. */
export interface Me {
  userId: string;
  orgId: string;
  roles: string[];
}

export interface Session extends Me {
  token: string;
}

/** What the host offers before sign-in: `GET /api/v1/host`. */
export interface HostFeatures {
  /** The host checks tokens against its local development secret and makes tokens on request. */
  devTokens: boolean;
}

export const isAdmin = (session: Me) => session.roles.includes('admin');

/** "admin" or "member" (no roles): how the header names what the caller may do. */
export const rolesText = (session: Me) =>
  session.roles.length === 0 ? 'member' : session.roles.join(', ');

/** Accepts a pasted token with or without its `Bearer ` prefix and stray white space. */
export function cleanToken(pasted: string): string {
  return pasted.trim().replace(/^bearer\s+/i, '');
}

/** Asks the host who the token speaks for; throws the host's ApiError when it refuses it. */
export async function verifyToken(token: string): Promise<Session> {
  const me = await createApiClient({ token: () => token }).get<Me>('/me');
  return { token, userId: me.userId, orgId: me.orgId, roles: me.roles };
}

export const hostFeatures = (api: ApiClient) =>
  api.get<HostFeatures>('/host', { authenticated: false });

export const makeDevToken = async (api: ApiClient) =>
  (await api.post<{ token: string }>('/dev/token', undefined, { authenticated: false })).token;
