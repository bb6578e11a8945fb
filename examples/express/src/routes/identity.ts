import { vbucketsError } from '@vbuckets/core';
import { err, ok } from 'neverthrow';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import { defineRoute, type Route } from '../route-kit';

const TAG = 'identity';
const MeSchema = z.object({
  userId: z.string(),
  orgId: z.string(),
  roles: z.array(z.string()),
});
const HostSchema = z.object({
  devTokens: z.boolean().describe('Whether POST /dev/token mints development tokens'),
});
const DevTokenSchema = z.object({ token: z.string() });

/**
 * Who the caller is, what the host offers a dashboard, and, only on a host checking tokens
 * against its local development secret, a development token: a host with real JWT settings
 * does not have the route at all (404), so it cannot mint tokens its issuer never gave.
 */
export function identityRoutes(host: HostInfo): Route[] {
  const { devTokens } = host;
  const routes: Route[] = [
    defineRoute({
      method: 'get',
      path: '/me',
      tag: TAG,
      operationId: 'me',
      summary: 'The caller as the token says: user, org and roles',
      access: 'member',
      response: { description: 'The verified caller', schema: MeSchema },
      handle: ({ actor }) =>
        actor === null
          ? err(vbucketsError('UNAUTHENTICATED', 'Sign in first'))
          : ok({ userId: actor.userId, orgId: actor.orgId, roles: [...actor.roles] }),
    }),
    defineRoute({
      method: 'get',
      path: '/host',
      tag: TAG,
      operationId: 'hostFeatures',
      summary: 'What this host offers a dashboard before sign-in',
      access: 'public',
      response: { description: 'The host features', schema: HostSchema },
      handle: () => ok({ devTokens: devTokens !== undefined }),
    }),
  ];
  if (devTokens !== undefined) {
    routes.push(
      defineRoute({
        method: 'post',
        path: '/dev/token',
        tag: TAG,
        operationId: 'devToken',
        summary: 'A short-lived admin token for org "local" (development secret only)',
        description:
          'Exists only while the host checks tokens against the development secret of its data dir and listens on a loopback address.',
        access: 'public',
        response: { status: 201, description: 'A new token', schema: DevTokenSchema },
        handle: async ({ response }) => {
          response.setHeader('Cache-Control', 'no-store');
          return ok({ token: await devTokens() });
        },
      }),
    );
  }
  return routes;
}
