import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  pid: number | undefined;
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
        pid: child.pid,
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
  /** The server process's CPU time (user + system) per request, where /proc tells it. */
  cpuMicrosPerRequest: number | undefined;
}

/** Clock ticks a process has run (user + system), from Linux's /proc; undefined elsewhere. */
function cpuTicks(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second. */
const MICROS_PER_TICK = 10_000;

/** One autocannon run; any error, timeout or non-2xx answer fails the benchmark. */
async function load(server: ServerChild, path: string, seconds: number, connections: number) {
  const ticksBefore = cpuTicks(server.pid);
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
  const ticksAfter = cpuTicks(server.pid);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest:
      ticksBefore === undefined || ticksAfter === undefined || result.requests.total === 0
        ? undefined
        : ((ticksAfter - ticksBefore) * MICROS_PER_TICK) / result.requests.total,
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
      // Inherited by every server: V8 settings such as --max-semi-space-size change the figures.
      nodeOptions: process.env.NODE_OPTIONS ?? '',
    };
    /** Requests/s, p99 and server CPU per request of ours and of the bare route, and their ratios. */
    const record = (key: string, mine: Load, theirs: Load) => {
      metrics[`${key}RequestsPerSecond`] = round(mine.requestsPerSecond, 1);
      metrics[`${key}P99Ms`] = mine.p99Ms;
      baselineMetrics[`${key}RequestsPerSecond`] = round(theirs.requestsPerSecond, 1);
      baselineMetrics[`${key}P99Ms`] = theirs.p99Ms;
      ratios[`${key}RequestsOursOverBare`] = round(
        mine.requestsPerSecond / theirs.requestsPerSecond,
      );
      if (mine.cpuMicrosPerRequest !== undefined && theirs.cpuMicrosPerRequest !== undefined) {
        metrics[`${key}CpuMicrosPerRequest`] = round(mine.cpuMicrosPerRequest, 0);
        baselineMetrics[`${key}CpuMicrosPerRequest`] = round(theirs.cpuMicrosPerRequest, 0);
        ratios[`${key}CpuOursOverBare`] = round(
          mine.cpuMicrosPerRequest / theirs.cpuMicrosPerRequest,
        );
      }
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
        let driver: ServerChild | undefined;
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
            record('hostOnlyBuckets', mine, theirs);
            await hostOnly.stop();
            hostOnly = undefined;
          }
          for (const name of cases) {
            const path = ours.paths[name];
            const key = `${store}${name === 'buckets' ? 'Buckets' : 'Results'}`;
            if (name === 'buckets') {
              driver = await startServer({
                mode: 'driver',
                store,
                sqlitePath: join(directory, store, 'store.db'),
                databaseUrl,
                schema,
              });
              await warmUpBody(driver, path, expectedItems.buckets);
            }
            // Each server gets its own warm-up (JIT, connection pools); the order alternates by store.
            const servers = [ours, bare, ...(driver === undefined ? [] : [driver])];
            if (storeIndex % 2 === 1) servers.reverse();
            for (const server of servers) await load(server, path, warmUpSeconds, connections);
            const measured = new Map<ServerChild, Load>();
            for (const server of servers) {
              measured.set(server, await load(server, path, seconds, connections));
            }
            const mine = measured.get(ours) as Load;
            const theirs = measured.get(bare) as Load;
            record(key, mine, theirs);
            metrics[`${key}P50Ms`] = mine.p50Ms;
            baselineMetrics[`${key}P50Ms`] = theirs.p50Ms;
            ratios[`${key}P99OursOverBare`] = round(mine.p99Ms / Math.max(theirs.p99Ms, 0.001));
            if (driver !== undefined) {
              const raw = measured.get(driver) as Load;
              const driverKey = `${store}DriverBuckets`;
              baselineMetrics[`${driverKey}RequestsPerSecond`] = round(raw.requestsPerSecond, 1);
              baselineMetrics[`${driverKey}P99Ms`] = raw.p99Ms;
              if (raw.cpuMicrosPerRequest !== undefined) {
                baselineMetrics[`${driverKey}CpuMicrosPerRequest`] = round(
                  raw.cpuMicrosPerRequest,
                  0,
                );
              }
              ratios[`${driverKey}RequestsOverBare`] = round(
                raw.requestsPerSecond / theirs.requestsPerSecond,
              );
              ratios[`${key}RequestsOursOverDriver`] = round(
                mine.requestsPerSecond / raw.requestsPerSecond,
              );
              await driver.stop();
              driver = undefined;
            }
            if (name === 'buckets') {
              const ratio = ratios[`${key}RequestsOursOverBare`] as number;
              targets[`${store} buckets list requests/s ≥ 0.5 × the bare route`] = {
                target: '≥ 0.5',
                met: ratio >= 0.5,
              };
            }
          }
        } finally {
          await driver?.stop();
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
