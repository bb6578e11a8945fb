import { rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/app';
import { allRoutes } from '../src/routes';
import { STORES, tokenFor } from './host';
import { type HostileCase, hostileCasesOf } from './hostile-cases';
import {
  HOSTILE_DEV_TOKENS,
  type HostileHost,
  type RawResponse,
  sendRaw,
  startHostileHost,
} from './hostile-host';

// The registry itself, so routes added later are covered without touching this file.
const routes = allRoutes({
  categorize: 'queued',
  tempDir: tmpdir(),
  closing: new AbortController().signal,
  limits: DEFAULT_LIMITS,
  readiness: {},
  openApi: () => ({}),
  devTokens: HOSTILE_DEV_TOKENS,
});

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
const ADAPTER_NAMES = /sqlite|postgres|kysely|\bpg\b|libpq/i;
const STACK_TRACE = /\bat \S+ \(|\bat file:|node:internal|\.[cm]?[jt]s:\d+:\d+|\n\s+at /;
const SQL =
  /\bselect\b[\s\S]*\bfrom\b|\binsert into\b|\bupdate \S+ set\b|\bdelete from\b|\bcreate table\b|\bsyntax error at\b|SQLITE_|\bconstraint\b/i;

/** What is wrong with an answer to a hostile request; empty when it is a clean 4xx problem. */
function faultsOf(
  hostileCase: HostileCase,
  response: RawResponse,
  machinePaths: string[],
): string[] {
  const faults: string[] = [];
  if (response.status < 400 || response.status > 499) faults.push(`status ${response.status}`);
  if (hostileCase.status !== undefined && response.status !== hostileCase.status) {
    faults.push(`status ${response.status}, expected ${hostileCase.status}`);
  }
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) faults.push(`content-type ${type}`);
  try {
    const problem = JSON.parse(response.text) as { status?: number; code?: string };
    if (problem.status !== response.status) faults.push(`problem status ${problem.status}`);
    if (typeof problem.code !== 'string') faults.push('no problem code');
  } catch {
    faults.push('the body is not JSON');
  }
  if (ADAPTER_NAMES.test(response.text)) faults.push('names an adapter');
  if (STACK_TRACE.test(response.text)) faults.push('has a stack trace');
  if (SQL.test(response.text)) faults.push('has SQL');
  for (const path of machinePaths) {
    if (response.text.includes(path)) faults.push(`names the machine path ${path}`);
  }
  return faults.length === 0
    ? []
    : [`${hostileCase.name}: ${faults.join(', ')} — ${response.text.slice(0, 300)}`];
}

describe.each(STORES)('hostile input on every route, on %s', (kind) => {
  let host: HostileHost;
  let token: string;
  let machinePaths: string[];
  beforeAll(async () => {
    host = await startHostileHost(kind);
    token = await tokenFor({ userId: 'cy', orgId: 'acme', roles: ['admin'] });
    machinePaths = [host.dataDir, repositoryRoot, tmpdir(), homedir(), '/node_modules/'];
    // Something in the store, so a snapshot that changes is told from an empty one.
    (
      await host.vbuckets.buckets.create(
        { orgId: 'acme' },
        { productId: 'serum', name: 'Gut health' },
      )
    )._unsafeUnwrap();
  });
  afterAll(() => host?.close());

  it('lists routes to attack, and its snapshot sees a row or a blob written', async () => {
    expect(routes.length).toBeGreaterThan(3);
    const before = await host.snapshot();
    const scope = { orgId: 'snapshot-check' };
    const created = (
      await host.vbuckets.buckets.create(scope, { productId: 'p', name: 'Written' })
    )._unsafeUnwrap();
    expect(await host.snapshot()).not.toEqual(before);
    (await host.vbuckets.buckets.delete(scope, created.id))._unsafeUnwrap();
    expect(await host.snapshot()).toEqual(before);
    writeFileSync(join(host.dataDir, 'blobs', 'stray'), 'x');
    expect(await host.snapshot()).not.toEqual(before);
    rmSync(join(host.dataDir, 'blobs', 'stray'));
  });

  it.each(routes.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
    '%s answers every hostile request with a clean 4xx problem and writes nothing',
    async (_name, route) => {
      const before = await host.snapshot();
      const faults: string[] = [];
      for (const hostileCase of hostileCasesOf(route)) {
        const response = await sendRaw(host.url, {
          ...hostileCase,
          headers: { authorization: `Bearer ${token}`, ...hostileCase.headers },
        }).catch((error: unknown) => ({ error }));
        if ('error' in response) {
          faults.push(`${hostileCase.name}: no answer (${String(response.error)})`);
          continue;
        }
        faults.push(...faultsOf(hostileCase, response, machinePaths));
      }
      expect(faults).toEqual([]);
      expect(await host.snapshot()).toEqual(before);
    },
  );
});

describe('hostile input answers name the part at fault', () => {
  let host: HostileHost;
  let token: string;
  beforeAll(async () => {
    host = await startHostileHost('sqlite');
    token = await tokenFor({ userId: 'cy', orgId: 'acme', roles: ['admin'] });
  });
  afterAll(() => host?.close());

  const problemAt = async (path: string) => {
    const response = await sendRaw(host.url, {
      method: 'GET',
      path,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, ...(JSON.parse(response.text) as { path?: string }) };
  };

  // Bug: a route without a query schema ignored every query parameter (`/healthz?x=1` was 200).
  it('refuses query parameters on a route that takes none', async () => {
    expect(await problemAt('/healthz?verbose=1')).toMatchObject({ status: 400, path: 'query' });
    expect(await problemAt('/api/v1/buckets/b1?expand=all')).toMatchObject({
      status: 400,
      path: 'query',
    });
  });

  // Bug: `..%2F..%2Fetc%2Fpasswd` reached the services as the id `../../etc/passwd` (export answered 200).
  it('refuses ids that are not one path segment', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '..', '.', 'a%5Cb']) {
      expect(await problemAt(`/api/v1/products/${id}/buckets/export`)).toMatchObject({
        status: 400,
        path: 'params.productId',
      });
    }
  });

  // Bug: a broken `%` escape in the path was reported as "The request body could not be read".
  it('reports a broken escape in the path as the path', async () => {
    expect(await problemAt('/api/v1/buckets/%E0%A4%A')).toMatchObject({
      status: 400,
      path: 'params',
    });
  });
});
