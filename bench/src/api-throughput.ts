import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { type Benchmark, type BenchmarkResult, integerFromEnvironment, round } from './harness';

const childScript = fileURLToPath(new URL('./api-throughput-child.mjs', import.meta.url));
const databaseUrl =
  process.env.VBUCKETS_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type StoreKind = 'sqlite' | 'postgres';
type CaseName = 'buckets' | 'results';

interface Listening {
  url: string;
  token: string;
  paths: Record<CaseName, string>;
}

interface ServerChild extends Listening {
  stop(): Promise<void>;
}

/** Spawns a server (ours or the bare one) and resolves once it prints where it listens. */
function startServer(settings: Record<string, unknown>): Promise<ServerChild> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [childScript, JSON.stringify(settings)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    void exited.then((code) =>
      reject(new Error(`the ${settings.mode} server exited (${code}) before listening: ${stderr}`)),
    );
    createInterface({ input: child.stdout }).once('line', (line) => {
      const listening = JSON.parse(line) as Listening;
      resolve({
        ...listening,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          const code = await exited;
          if (code !== 0) throw new Error(`the ${settings.mode} server exited ${code}: ${stderr}`);
        },
      });
    });
  });
}

/** The route's answer, which must be a 2xx JSON array: a missing or failing route stops the benchmark. */
async function warmUpBody(server: ServerChild, path: string, expectedItems: number) {
  const response = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `GET ${path} answered ${response.status} during the warm-up, so there is nothing to measure: ${text.slice(0, 300)}`,
    );
  }
  const body = JSON.parse(text) as unknown;
  if (!Array.isArray(body) || body.length !== expectedItems) {
    throw new Error(
      `GET ${path} answered ${Array.isArray(body) ? `${body.length} items` : 'no array'}, expected ${expectedItems}`,
    );
  }
  return { body, bytes: Buffer.byteLength(text) };
}

interface Load {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** One autocannon run; any error, timeout or non-2xx answer fails the benchmark. */
async function load(server: ServerChild, path: string, seconds: number, connections: number) {
  const result = await autocannon({
    url: `${server.url}${path}`,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${server.token}` },
  });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `GET ${path}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers under load`,
    );
  }
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  } satisfies Load;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export const apiThroughput: Benchmark = {
  name: 'api-throughput',
  description:
    'The express host (createApp in its own process) under autocannon: GET /api/v1/buckets (20 buckets) and GET /api/v1/sessions/{id}/results?limit=1000 on SQLite and PostgreSQL, against a bare Express 5 route answering the same JSON from memory',
  async run(): Promise<BenchmarkResult> {
    const seconds = integerFromEnvironment('BENCH_API_SECONDS', 5);
    const warmUpSeconds = integerFromEnvironment('BENCH_API_WARMUP_SECONDS', 1);
    const connections = integerFromEnvironment('BENCH_API_CONNECTIONS', 10);
    const bucketCount = integerFromEnvironment('BENCH_API_BUCKETS', 20);
    const rowCount = integerFromEnvironment('BENCH_API_ROWS', 1000);
    const stores = (process.env.BENCH_API_STORES ?? 'sqlite,postgres').split(',') as StoreKind[];
    const cases = (process.env.BENCH_API_CASES ?? 'buckets,results').split(',') as CaseName[];
    const expectedItems: Record<CaseName, number> = { buckets: bucketCount, results: rowCount };

    const metrics: Record<string, number> = {};
    const baselineMetrics: Record<string, number> = {};
    const ratios: Record<string, number> = {};
    const targets: NonNullable<BenchmarkResult['targets']> = {};
    const parameters: BenchmarkResult['parameters'] = {
      seconds,
      warmUpSeconds,
      connections,
      buckets: bucketCount,
      rows: rowCount,
      stores: stores.join(','),
      cases: cases.join(','),
      servers: 'child processes (one for ours, one for the bare route); autocannon in the parent',
    };
    const directory = mkdtempSync(join(tmpdir(), 'vbuckets-bench-api-'));
    try {
      for (const [storeIndex, store] of stores.entries()) {
        const schema = `vbbench_api_${randomBytes(4).toString('hex')}`;
        mkdirSync(join(directory, store, 'blobs'), { recursive: true });
        const ours = await startServer({
          mode: 'sdk',
          store,
          sqlitePath: join(directory, store, 'store.db'),
          blobRoot: join(directory, store, 'blobs'),
          databaseUrl,
          schema,
          buckets: bucketCount,
          rows: rowCount,
        });
        let bare: ServerChild | undefined;
        let hostOnly: ServerChild | undefined;
        try {
          const bodies: Record<string, unknown> = {};
          for (const name of cases) {
            const path = ours.paths[name];
            const warm = await warmUpBody(ours, path, expectedItems[name]);
            bodies[path.split('?')[0] as string] = warm.body;
            parameters[`${name}ResponseBytes`] = warm.bytes;
          }
          const bodiesFile = join(directory, store, 'bodies.json');
          writeFileSync(bodiesFile, JSON.stringify(bodies));
          bare = await startServer({ mode: 'bare', bodiesFile, rows: rowCount });
          if (storeIndex === 0 && cases.includes('buckets')) {
            const path = ours.paths.buckets;
            hostOnly = await startServer({ mode: 'stub', bodiesFile, rows: rowCount });
            for (const server of [hostOnly, bare])
              await load(server, path, warmUpSeconds, connections);
            const mine = await load(hostOnly, path, seconds, connections);
            const theirs = await load(bare, path, seconds, connections);
            metrics.hostOnlyBucketsRequestsPerSecond = round(mine.requestsPerSecond, 1);
            metrics.hostOnlyBucketsP99Ms = mine.p99Ms;
            baselineMetrics.hostOnlyBucketsRequestsPerSecond = round(theirs.requestsPerSecond, 1);
            ratios.hostOnlyBucketsRequestsOursOverBare = round(
              mine.requestsPerSecond / theirs.requestsPerSecond,
            );
            await hostOnly.stop();
            hostOnly = undefined;
          }
          for (const name of cases) {
            const path = ours.paths[name];
            // Each server gets its own warm-up (JIT, connection pools); the order alternates by store.
            const pair = storeIndex % 2 === 0 ? [ours, bare] : [bare, ours];
            for (const server of pair) await load(server, path, warmUpSeconds, connections);
            const measured = new Map<ServerChild, Load>();
            for (const server of pair) {
              measured.set(server, await load(server, path, seconds, connections));
            }
            const mine = measured.get(ours) as Load;
            const theirs = measured.get(bare) as Load;
            const key = `${store}${name === 'buckets' ? 'Buckets' : 'Results'}`;
            metrics[`${key}RequestsPerSecond`] = round(mine.requestsPerSecond, 1);
            metrics[`${key}P50Ms`] = mine.p50Ms;
            metrics[`${key}P99Ms`] = mine.p99Ms;
            baselineMetrics[`${key}RequestsPerSecond`] = round(theirs.requestsPerSecond, 1);
            baselineMetrics[`${key}P50Ms`] = theirs.p50Ms;
            baselineMetrics[`${key}P99Ms`] = theirs.p99Ms;
            ratios[`${key}RequestsOursOverBare`] = round(
              mine.requestsPerSecond / theirs.requestsPerSecond,
            );
            ratios[`${key}P99OursOverBare`] = round(mine.p99Ms / Math.max(theirs.p99Ms, 0.001));
            if (name === 'buckets') {
              const ratio = ratios[`${key}RequestsOursOverBare`] as number;
              targets[`${store} buckets list requests/s ≥ 0.5 × the bare route`] = {
                target: '≥ 0.5',
                met: ratio >= 0.5,
              };
            }
          }
        } finally {
          await hostOnly?.stop();
          await bare?.stop();
          await ours.stop();
          if (store === 'postgres') await dropSchema(schema);
        }
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    return {
      metrics,
      baseline: {
        description:
          'a bare Express 5 app (same x-powered-by and etag settings) answering the same JSON from memory with res.json, no auth, in its own process, measured in the same run',
        metrics: baselineMetrics,
      },
      ratios,
      targets,
      parameters,
    };
  },
};
