import { type Benchmark, type BenchmarkResult, integerFromEnvironment, round } from './harness';
import {
  type NoopFigures,
  type NoopRun,
  runEmbedded,
  runOursBullMq,
  runRawBullMq,
} from './queue-noop';
import { runUploadScenario, type UploadFigures } from './queue-uploads';

const KiB = 1024;
/**
 * Discarded runs of each before the measured ones: a 2,000-job run lasts about 0.1 s, and the
 * JIT is still compiling the paths through the first two (they ran at half speed when measured).
 */
const NOOP_WARM_UPS = 2;
/** The embedded engine's warm-up run: enough to compile its paths, short on SQLite. */
const EMBEDDED_WARM_UP_JOBS = 200;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};

/** Median of each figure over the runs (each figure on its own). */
function medians(runs: readonly NoopFigures[]): NoopFigures {
  const of = (pick: (figures: NoopFigures) => number) => median(runs.map(pick));
  return {
    enqueueSeconds: of((run) => run.enqueueSeconds),
    workSeconds: of((run) => run.workSeconds),
    wallSeconds: of((run) => run.wallSeconds),
    jobsPerSecond: of((run) => run.jobsPerSecond),
  };
}

function noopMetrics(label: string, figures: NoopFigures): Record<string, number> {
  return {
    [`${label}JobsPerSecond`]: round(figures.jobsPerSecond, 1),
    [`${label}WallSeconds`]: round(figures.wallSeconds),
    [`${label}EnqueueSeconds`]: round(figures.enqueueSeconds),
    [`${label}WorkSeconds`]: round(figures.workSeconds),
  };
}

function uploadMetrics(label: string, figures: UploadFigures): Record<string, number> {
  return {
    [`${label}Completed`]: figures.completed,
    [`${label}Duplicated`]: figures.duplicated,
    [`${label}CompletedJobs`]: figures.completedJobs,
    [`${label}FailedJobs`]: figures.failedJobs,
    [`${label}FailedAttempts`]: figures.failedAttempts,
    [`${label}WallSeconds`]: round(figures.wallSeconds),
    [`${label}UploadsPerSecond`]: round(figures.uploadsPerSecond, 2),
    [`${label}StartUpSeconds`]: round(figures.startUpSeconds),
    [`${label}Requests`]: figures.requests,
    [`${label}EngineErrors`]: figures.engineErrors,
  };
}

/**
 * Ours and raw BullMQ `add` alternate which goes first, after discarded warm-ups of each (the
 * first runs in a process pay for connecting and compiling); raw `addBulk` runs third.
 */
async function measureNoop(input: NoopRun, runs: number) {
  for (let warmUp = 0; warmUp < NOOP_WARM_UPS; warmUp++) {
    await runOursBullMq(input);
    await runRawBullMq({ ...input, enqueue: 'add' });
    await runRawBullMq({ ...input, enqueue: 'addBulk' });
  }
  const ours: NoopFigures[] = [];
  const rawAdd: NoopFigures[] = [];
  const rawAddBulk: NoopFigures[] = [];
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      ours.push(await runOursBullMq(input));
      rawAdd.push(await runRawBullMq({ ...input, enqueue: 'add' }));
    } else {
      rawAdd.push(await runRawBullMq({ ...input, enqueue: 'add' }));
      ours.push(await runOursBullMq(input));
    }
    rawAddBulk.push(await runRawBullMq({ ...input, enqueue: 'addBulk' }));
  }
  await runEmbedded({ jobs: EMBEDDED_WARM_UP_JOBS, concurrency: input.concurrency });
  const embedded = await runEmbedded({ jobs: input.jobs, concurrency: input.concurrency });
  const pairedRatios = ours.map(
    (each, index) => each.jobsPerSecond / (rawAdd[index]?.jobsPerSecond ?? Number.NaN),
  );
  return {
    ours: medians(ours),
    rawAdd: medians(rawAdd),
    rawAddBulk: medians(rawAddBulk),
    embedded,
    pairedRatios,
    perRun: {
      ours: ours.map((each) => round(each.jobsPerSecond, 1)),
      rawAdd: rawAdd.map((each) => round(each.jobsPerSecond, 1)),
      rawAddBulk: rawAddBulk.map((each) => round(each.jobsPerSecond, 1)),
    },
  };
}

async function runBenchmark(): Promise<BenchmarkResult> {
  const redisUrl = process.env.VBUCKETS_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const jobs = integerFromEnvironment('BENCH_QUEUE_JOBS', 2000);
  const concurrency = integerFromEnvironment('BENCH_QUEUE_CONCURRENCY', 16);
  const runs = integerFromEnvironment('BENCH_QUEUE_RUNS', 5);
  const uploads = integerFromEnvironment('BENCH_QUEUE_UPLOADS', 500);
  const uploadKB = integerFromEnvironment('BENCH_QUEUE_UPLOAD_KB', 64);
  const latencyMs = integerFromEnvironment('BENCH_QUEUE_LATENCY_MS', 50);
  const processes = integerFromEnvironment('BENCH_QUEUE_PROCESSES', 4);
  const perProcess = integerFromEnvironment('BENCH_QUEUE_PROCESS_CONCURRENCY', 2);
  const pollMs = integerFromEnvironment('BENCH_QUEUE_POLL_MS', 100);

  const noop = await measureNoop({ jobs, concurrency, redisUrl }, runs);
  const scenario = { uploads, videoBytes: uploadKB * KiB, latencyMs, pollMs, redisUrl };
  const one = await runUploadScenario({
    ...scenario,
    processes: 1,
    concurrencyPerProcess: perProcess,
  });
  const many = await runUploadScenario({
    ...scenario,
    processes,
    concurrencyPerProcess: perProcess,
  });

  const oursVsRaw = noop.ours.jobsPerSecond / noop.rawAdd.jobsPerSecond;
  const speedUp = one.wallSeconds / many.wallSeconds;
  return {
    metrics: {
      ...noopMetrics('noopOurs', noop.ours),
      ...noopMetrics('noopEmbedded', noop.embedded),
      ...uploadMetrics('uploadsOneProcess', one),
      ...uploadMetrics('uploadsManyProcesses', many),
    },
    baseline: {
      description: `no-op jobs: raw BullMQ in the same run (Queue.add per job, all in flight, and addBulk), a Worker of the same concurrency, own prefix, BullMQ defaults; uploads: the same ${uploads} jobs run by 1 worker process instead of ${processes}`,
      metrics: {
        ...noopMetrics('noopRawAdd', noop.rawAdd),
        ...noopMetrics('noopRawAddBulk', noop.rawAddBulk),
      },
    },
    ratios: {
      noopOursVsRawAdd: round(oursVsRaw),
      noopOursVsRawAddPairedMedian: round(median(noop.pairedRatios)),
      noopOursVsRawAddBulk: round(noop.ours.jobsPerSecond / noop.rawAddBulk.jobsPerSecond),
      noopEmbeddedVsRawAdd: round(noop.embedded.jobsPerSecond / noop.rawAdd.jobsPerSecond),
      uploadsSpeedUpManyVsOne: round(speedUp),
    },
    targets: {
      noopOursVsRawAdd: { target: '≥ 0.8', met: oursVsRaw >= 0.8 },
      uploadsOneProcessCompleted: { target: `= ${uploads}`, met: one.completed === uploads },
      uploadsManyProcessesCompleted: { target: `= ${uploads}`, met: many.completed === uploads },
      uploadsDuplicated: { target: '= 0', met: one.duplicated + many.duplicated === 0 },
      uploadsSpeedUpManyVsOne: { target: '≥ 2.5', met: speedUp >= 2.5 },
    },
    parameters: {
      jobs,
      concurrency,
      runs,
      uploads,
      uploadKB,
      latencyMs,
      processes,
      concurrencyPerProcess: perProcess,
      pollMs,
      noopJobsPerSecondPerRun: JSON.stringify(noop.perRun),
      noopPairedRatios: JSON.stringify(noop.pairedRatios.map((each) => round(each))),
      uploadsCompletedPerProcess: JSON.stringify(many.completedPerProcess),
      uploadsFirstErrors: JSON.stringify([...one.firstErrors, ...many.firstErrors]),
      enqueueStyle:
        'ours: JobQueue.enqueue per job (no job id, so a random one), all 2,000 in flight at once; raw: Queue.add per job, all in flight (the ratio’s baseline), and Queue.addBulk of every job in one call (a second baseline)',
      timing:
        'no-op: first enqueue to the moment Redis (or the store) counts the last job completed, the worker started after every enqueue answered; median of the runs after two discarded warm-ups of each (embedded: one run after a 200-job warm-up); uploads: "go" to every process (already started and connected) to the poll of jobs.counts() that sees all jobs completed',
    },
  };
}

export const queueThroughput: Benchmark = {
  name: 'queue-throughput',
  description:
    '2,000 no-op jobs through createBullMqJobQueue vs raw BullMQ (and the embedded engine), concurrency 16; then 500 uploads.upload jobs in BullMQ posted to the fake YouTube server (50 ms a request) by 1 and by 4 worker processes: jobs/s ratio, completed, duplicated, speed-up',
  run: runBenchmark,
};
