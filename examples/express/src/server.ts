import { existsSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isVBucketsError, type JobsWorker, validationError, vbucketsError } from '@vbuckets/core';
import { createApp } from './app';
import { composeHost, DEV_ACTOR, DEV_SECRET_FILE, devToken } from './compose';
import { type ServerSettings, serverSettingsFrom } from './server-settings';

/** A started server and the way to stop it. */
export interface RunningServer {
  url: string;
  /** Stops taking requests, lets in-flight ones finish (up to the grace), ends streams, closes the stores. */
  shutdown(): Promise<void>;
}

/** Starts the host the settings describe; resolves once it listens. */
export async function startServer(
  settings: ServerSettings,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<RunningServer> {
  const host = await composeHost(settings, log).catch((thrown: unknown) => {
    throw startupError(thrown, settings);
  });
  const closing = new AbortController();
  const { devSecret } = host;
  const web = webRootOption();
  const app = createApp({
    vbuckets: host.vbuckets,
    auth: host.auth,
    blobs: host.blobs,
    categorize: settings.categorize,
    closing: closing.signal,
    readiness: {
      blobs: async () => {
        const head = await host.blobs.head('readyz/probe');
        if (head.isErr() && head.error.code !== 'NOT_FOUND') throw head.error;
      },
    },
    // Only a server on its own development secret, reachable from this machine alone, hands
    // out tokens: on 0.0.0.0 anyone on the network could mint an admin token.
    ...(devSecret !== undefined && isLoopback(settings.host)
      ? { devTokens: () => devToken(settings, devSecret, DEV_ACTOR, '1h') }
      : {}),
    ...web,
    onServerError: (error, request) =>
      log(
        `${request.method} ${request.originalUrl} failed: ${error.code} ${error.message}${
          error.adapter === undefined ? '' : ` [${error.adapter} ${error.operation ?? ''}]`
        }`,
      ),
  });
  let worker: JobsWorker | undefined;
  if (settings.worker) {
    const started = host.vbuckets.jobs.work({ concurrency: settings.workerConcurrency });
    if (started.isErr()) {
      await host.close();
      throw started.error;
    }
    worker = started.value;
  }
  const server: Server = app.listen(settings.port, settings.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch(async (error: unknown) => {
    await worker?.close();
    await host.close();
    throw startupError(error, settings);
  });
  // Answers still to be written when shutdown begins tell keep-alive clients to go, so the
  // server closes once they are sent instead of waiting out the clients' idle connections.
  const unanswered = new Set<ServerResponse>();
  server.prependListener('request', (_request, response: ServerResponse) => {
    if (closing.signal.aborted) {
      response.setHeader('Connection', 'close');
      return;
    }
    unanswered.add(response);
    response.once('close', () => unanswered.delete(response));
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  const url = `http://${settings.host}:${port}`;
  log(`vbuckets API listening on ${url} (OpenAPI at ${url}/openapi.json)`);
  if (web.webRoot !== undefined) {
    log(
      existsSync(join(web.webRoot, 'index.html'))
        ? `Dashboard at ${url}/`
        : `No dashboard build in ${web.webRoot}: run \`pnpm build\` to serve it at ${url}/`,
    );
  }
  const { setup } = host;
  log(
    `Providers ${setup.providers.join(', ')}; platforms ${setup.platforms.join(', ') || 'none'}; metrics ${setup.metrics.join(', ') || 'none'}; market analysis ${setup.analyzer ?? 'none'}${settings.worker ? '; jobs worked in this process' : ''}`,
  );
  if (devSecret !== undefined) {
    const token = await devToken(settings, devSecret, DEV_ACTOR);
    log(
      `No VBUCKETS_JWT_SECRET or VBUCKETS_JWKS_URL set: tokens are checked against the development secret in ${settings.dataDir}/${DEV_SECRET_FILE}.`,
    );
    log(`A 12-hour admin token for org "local": ${token}`);
  }

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      closing.abort();
      for (const response of unanswered) {
        if (!response.headersSent) response.setHeader('Connection', 'close');
      }
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), settings.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      await worker?.close({ graceful: true });
      await host.close();
    })();
    return stopping;
  };
  return { url, shutdown };
}

/** 127.0.0.0/8, ::1 and localhost: addresses other machines cannot reach. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The web dashboard's build, found through the package (a dependency of this one); a host
 * installed without it serves the API alone.
 */
function webRootOption(): { webRoot?: string } {
  try {
    const manifest = createRequire(import.meta.url).resolve('@vbuckets/example-web/package.json');
    return { webRoot: join(dirname(manifest), 'dist') };
  } catch {
    return {};
  }
}

/**
 * A failure to start in terms of the settings: a bare EADDRINUSE or ENOTDIR would otherwise
 * read as a storage fault of some request.
 */
function startupError(thrown: unknown, settings: ServerSettings): unknown {
  if (isVBucketsError(thrown)) {
    // The store's message names the server, not the setting that chose it.
    return thrown.adapter === 'postgres' && thrown.operation === 'open'
      ? vbucketsError(thrown.code, `DATABASE_URL: ${thrown.message}`, { cause: thrown })
      : thrown;
  }
  const failure = thrown as NodeJS.ErrnoException | undefined;
  const where = `PORT ${settings.port} on HOST ${settings.host}`;
  switch (failure?.code) {
    case 'EADDRINUSE':
      return vbucketsError('CONFLICT', `${where} is already in use`, { cause: thrown });
    case 'EACCES':
    case 'EPERM':
    case 'ENOTDIR':
    case 'EEXIST':
    case 'EROFS':
    case 'ENOSPC':
      if (failure.syscall === 'listen' || failure.syscall === 'bind') {
        return vbucketsError('FORBIDDEN', `${where} needs privileges this process lacks`, {
          cause: thrown,
        });
      }
      return validationError(
        `VBUCKETS_DATA_DIR ${settings.dataDir} cannot hold the data (${failure.code} on ${failure.path ?? 'it'})`,
        { path: 'VBUCKETS_DATA_DIR', cause: thrown },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return validationError(`HOST ${settings.host} is not an address of this machine`, {
        path: 'HOST',
        cause: thrown,
      });
    default:
      return thrown;
  }
}

/** `node dist/server.js`: settings from the environment, graceful on SIGTERM and SIGINT. */
async function main(): Promise<void> {
  let running: RunningServer;
  try {
    running = await startServer(serverSettingsFrom(process.env, process.cwd()));
  } catch (thrown) {
    // The operator reads this, not an API client: an unexpected failure keeps its own words.
    const reason = isVBucketsError(thrown)
      ? `${thrown.code} ${thrown.message}`
      : thrown instanceof Error
        ? thrown.message
        : String(thrown);
    process.stderr.write(`vbuckets server did not start: ${reason}\n`);
    process.exitCode = 1;
    return;
  }
  const stop = (signal: string) => {
    process.stdout.write(`${signal}: finishing in-flight requests, then stopping\n`);
    running.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

// Run only as the entry point, not when imported (tests import startServer).
if (
  process.argv[1] !== undefined &&
  import.meta.url === new URL(`file://${process.argv[1]}`).href
) {
  void main();
}
