import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildServerIfStale,
  type ServerProcess,
  spawnServer,
  startedServer,
} from './server-process';

/** Room for a busy 2-core machine: the cases wait on lines and exits, never on a duration. */
const PATIENCE_MS = 300_000;

const folders: string[] = [];
const emptyFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), 'vbuckets-server-'));
  folders.push(folder);
  return folder;
};
const running = new Set<ServerProcess>();
const spawnTracked = (cwd: string, env: Record<string, string>) => {
  const server = spawnServer(cwd, env);
  running.add(server);
  void server.exited.then(() => running.delete(server));
  return server;
};

beforeAll(() => buildServerIfStale(), 600_000);
afterAll(async () => {
  for (const server of running) server.child.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Connecting after SIGTERM: refused (or reset, if the kernel queued it before the listener closed). */
function connectionOutcome(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.once('close', () => resolve('accepted, then closed'));
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      socket.once('data', () => {
        socket.destroy();
        resolve('served');
      });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Runs the server to its exit, which must be 1 with one line on stderr: no stack, no password. */
async function startFailure(cwd: string, env: Record<string, string>): Promise<string> {
  const server = spawnTracked(cwd, env);
  expect(await server.exited).toBe(1);
  const message = server.stderr();
  expect(message.trim().split('\n')).toHaveLength(1);
  expect(message).not.toMatch(/\bat \S+ \(|node:internal|\.js:\d+/);
  expect(message).not.toContain('hunter2');
  expect(server.stdout()).toBe('');
  return message;
}

function bodyOf(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      text += chunk;
    });
    response.on('end', () => resolve(text));
    response.on('error', reject);
  });
}

describe('the server process', () => {
  it(
    'starts with no settings in an empty folder, on the embedded defaults, and its dev token works',
    async () => {
      const cwd = emptyFolder();
      const server = spawnTracked(cwd, { PORT: '0' });
      const { url, token } = await startedServer(server);
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
      const headers = { authorization: `Bearer ${token}` };
      const listed = await fetch(`${url}/api/v1/buckets`, { headers });
      expect(listed.status).toBe(200);
      expect(await listed.json()).toEqual([]);
      expect((await fetch(`${url}/api/v1/buckets`)).status).toBe(401);

      // Everything it made is in `.vbuckets` of the working folder, the secret for its owner only.
      expect(readdirSync(cwd)).toEqual(['.vbuckets']);
      expect(readdirSync(join(cwd, '.vbuckets'))).toEqual(
        expect.arrayContaining(['vbuckets.db', 'blobs', 'dev-jwt-secret']),
      );
      expect(statSync(join(cwd, '.vbuckets', 'dev-jwt-secret')).mode & 0o077).toBe(0);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toBe('');
    },
    PATIENCE_MS,
  );

  it(
    'serves the dashboard at / and, on a loopback host with the dev secret only, mints dev tokens',
    async () => {
      const server = spawnTracked(emptyFolder(), { PORT: '0' });
      const { url } = await startedServer(server);
      await server.line(new RegExp(`Dashboard at ${url}/`));
      const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root">/);
      expect(await (await fetch(`${url}/api/v1/host`)).json()).toEqual({ devTokens: true });
      const minted = await fetch(`${url}/api/v1/dev/token`, { method: 'POST' });
      expect(minted.status).toBe(201);
      const { token } = (await minted.json()) as { token: string };
      const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toEqual({ userId: 'dev', orgId: 'local', roles: ['admin'] });
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);

      // Real JWT settings, or an address other machines reach: no route that mints tokens.
      const withoutDevTokens: Record<string, string>[] = [
        { PORT: '0', VBUCKETS_JWT_SECRET: 'a-production-secret-of-at-least-32-bytes' },
        { PORT: '0', HOST: '0.0.0.0' },
      ];
      for (const env of withoutDevTokens) {
        const other = spawnTracked(emptyFolder(), env);
        const [, otherUrl] = await other.line(/listening on (http:\/\/\S+)/);
        const features = await fetch(`${otherUrl}/api/v1/host`);
        expect(await features.json(), JSON.stringify(env)).toEqual({ devTokens: false });
        const refused = await fetch(`${otherUrl}/api/v1/dev/token`, { method: 'POST' });
        expect(refused.status, JSON.stringify(env)).toBe(404);
        other.child.kill('SIGTERM');
        expect(await other.exited).toBe(0);
      }
    },
    PATIENCE_MS,
  );

  it.each([
    ['PORT', { PORT: 'abc' }, 'abc'],
    ['PORT', { PORT: '70000' }, '70000'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root:hunter2@db.example/shop' }, undefined],
    ['REDIS_URL', { REDIS_URL: 'memcached://user:hunter2@cache' }, undefined],
    ['VBUCKETS_WORKER', { VBUCKETS_WORKER: 'maybe' }, 'maybe'],
    ['VBUCKETS_CATEGORIZE', { VBUCKETS_CATEGORIZE: 'later' }, 'later'],
  ] as const)(
    'exits 1 on a bad %s, naming it in one line and touching nothing',
    async (name, env, echoed) => {
      const cwd = emptyFolder();
      const message = await startFailure(cwd, env);
      expect(message).toContain(name);
      if (echoed !== undefined) expect(message).toContain(echoed);
      expect(readdirSync(cwd)).toEqual([]);
    },
    PATIENCE_MS,
  );

  // Bug: an unreachable database was reported without naming DATABASE_URL.
  it(
    'exits 1 naming DATABASE_URL, without its password, when the database does not answer',
    async () => {
      const message = await startFailure(emptyFolder(), {
        PORT: '0',
        DATABASE_URL: 'postgres://bench:hunter2@127.0.0.1:1/nowhere',
      });
      expect(message).toMatch(/DATABASE_URL: Cannot connect to 127\.0\.0\.1:1/);
    },
    PATIENCE_MS,
  );

  // Bug: a port already in use was reported as "STORAGE The server failed to answer this request".
  it(
    'exits 1 naming PORT when the port is taken',
    async () => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as AddressInfo).port;
      try {
        const message = await startFailure(emptyFolder(), { PORT: String(port) });
        expect(message).toMatch(new RegExp(`PORT ${port}.*in use`));
      } finally {
        await new Promise<void>((resolve) => taken.close(() => resolve()));
      }
    },
    PATIENCE_MS,
  );

  // Bug: a data dir that cannot be made was reported as "STORAGE The server failed to answer this request".
  it(
    'exits 1 naming VBUCKETS_DATA_DIR when the data dir cannot be made',
    async () => {
      const cwd = emptyFolder();
      writeFileSync(join(cwd, 'a-file'), '');
      const message = await startFailure(cwd, { PORT: '0', VBUCKETS_DATA_DIR: 'a-file/data' });
      expect(message).toMatch(/VBUCKETS_DATA_DIR .*a-file\/data cannot hold the data \(ENOTDIR/);
    },
    PATIENCE_MS,
  );

  it(
    'on SIGTERM finishes the request in flight, refuses new connections, exits 0 and keeps the data',
    async () => {
      const cwd = emptyFolder();
      const server = spawnTracked(cwd, { PORT: '0' });
      const { url, token } = await startedServer(server);
      const { hostname, port } = new URL(url);
      const body = JSON.stringify({ productId: 'serum', name: 'Sent during shutdown' });

      // `Expect: 100-continue`: the server's 100 says it has the request; its body is still to come.
      const request = httpRequest({
        host: hostname,
        port,
        method: 'POST',
        path: '/api/v1/buckets',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          connection: 'keep-alive',
          expect: '100-continue',
        },
      });
      const answered = new Promise<IncomingMessage>((resolve, reject) => {
        request.once('response', resolve);
        request.once('error', reject);
      });
      await new Promise<void>((resolve) => request.once('continue', resolve));

      server.child.kill('SIGTERM');
      await server.line(/SIGTERM: finishing in-flight requests/);
      expect(['ECONNREFUSED', 'ECONNRESET']).toContain(await connectionOutcome(url));

      request.end(body);
      const response = await answered;
      expect(response.statusCode).toBe(201);
      // A keep-alive client is told to go, so the process need not wait for it to be idle.
      expect(response.headers.connection).toBe('close');
      expect(JSON.parse(await bodyOf(response))).toMatchObject({ name: 'Sent during shutdown' });
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toBe('');

      // The store was closed: its write-ahead log is checkpointed away, and the row is there.
      const wal = join(cwd, '.vbuckets', 'vbuckets.db-wal');
      expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
      const again = spawnTracked(cwd, { PORT: '0' });
      const restarted = await startedServer(again);
      const listed = await fetch(`${restarted.url}/api/v1/buckets`, {
        headers: { authorization: `Bearer ${restarted.token}` },
      });
      expect(((await listed.json()) as { name: string }[]).map((bucket) => bucket.name)).toEqual([
        'Sent during shutdown',
      ]);
      again.child.kill('SIGINT');
      expect(await again.exited).toBe(0);
    },
    PATIENCE_MS,
  );
});
