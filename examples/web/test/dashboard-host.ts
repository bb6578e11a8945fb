import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, startedServer } from '../../express/test/server-process';

/** The built host on the embedded defaults in a fresh data dir, serving the built page. */
export interface DashboardHost {
  url: string;
  /** The 12-hour admin token for org `local` the server printed. */
  token: string;
  /** The server's data dir (its development secret is `dev-jwt-secret` there). */
  dataDir: string;
  /** `fetch` of an API path (`/buckets`) as that admin. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** `env` adds to the server's environment (e.g. a fake provider's key and base URL). */
export async function startDashboardHost(env: Record<string, string> = {}): Promise<DashboardHost> {
  const folder = mkdtempSync(join(tmpdir(), 'vbuckets-web-'));
  const dataDir = join(folder, 'data');
  const server = spawnServer(folder, {
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    VBUCKETS_DATA_DIR: dataDir,
  });
  const started = await startedServer(server).catch((error: unknown) => {
    server.child.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
    throw error;
  });
  return {
    ...started,
    dataDir,
    api(path, init = {}) {
      const { json, headers, ...rest } = init;
      const merged = new Headers(headers);
      merged.set('authorization', `Bearer ${started.token}`);
      if (json !== undefined) merged.set('content-type', 'application/json');
      return fetch(`${started.url}/api/v1${path}`, {
        ...rest,
        headers: merged,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    },
    async close() {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
