import type { VBuckets } from '@vbuckets/core';
import { ok } from 'neverthrow';
import { z } from 'zod';
import type { HostInfo } from '../host-info';
import { defineRoute, type Route } from '../route-kit';

const HealthSchema = z.object({ status: z.literal('ok') });
const ReadySchema = z.object({
  status: z.enum(['ready', 'unready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});

/** Each part answers within its own call; a failure names the part, not its internals. */
async function readinessOf(vbuckets: VBuckets, host: HostInfo) {
  const checks: Record<string, () => Promise<void>> = {
    store: async () => {
      const listed = await vbuckets.buckets.list({ orgId: '$readyz' });
      if (listed.isErr()) throw listed.error;
    },
    queue: async () => {
      const counts = await vbuckets.jobs.counts();
      if (counts.isErr()) throw counts.error;
    },
    ...host.readiness,
  };
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await check();
        return [name, { ok: true }] as const;
      } catch {
        return [name, { ok: false, detail: `${name} does not answer` }] as const;
      }
    }),
  );
  return Object.fromEntries(results) as Record<string, { ok: boolean; detail?: string }>;
}

/** `/healthz`, `/readyz` and `/openapi.json`. */
export function systemRoutes(host: HostInfo): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      root: true,
      tag: 'system',
      operationId: 'health',
      summary: 'The process is up',
      access: 'public',
      response: { description: 'Always ok while the process serves', schema: HealthSchema },
      handle: () => ok({ status: 'ok' as const }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      root: true,
      tag: 'system',
      operationId: 'ready',
      summary: 'The store, the blob store and the job queue answer',
      access: 'public',
      response: {
        description: 'Every part answers (503 with the same body when one does not)',
        schema: ReadySchema,
      },
      handle: async ({ vbuckets, response }) => {
        const checks = await readinessOf(vbuckets, host);
        const ready = Object.values(checks).every((check) => check.ok);
        if (!ready) response.status(503);
        return ok({ status: ready ? ('ready' as const) : ('unready' as const), checks });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      root: true,
      tag: 'system',
      operationId: 'openApi',
      summary: 'This API as an OpenAPI 3.1 document',
      access: 'public',
      response: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) },
      handle: () => ok(host.openApi()),
    }),
  ];
}
