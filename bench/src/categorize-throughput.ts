import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Bucket, type CategorizeFile, createVBuckets } from '@vbuckets/core';
import { DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_WINDOW_MARGIN_MS } from '@vbuckets/core/domain';
import { createMemoryBlobStore, createMemoryStore } from '@vbuckets/core/testing';
import { createGemini, type GeminiMode } from '@vbuckets/gemini';
import { type FakeGeminiRequest, startFakeGeminiServer } from '@vbuckets/testkit';
import { createCountingFetch, createScaledTime, mp4Bytes } from './categorize-scaled-time';
import { analyzerVideo, type BenchVideo, runSeedLoop } from './categorize-seed-loop';
import { type Benchmark, type BenchmarkResult, integerFromEnvironment, round } from './harness';

const MINUTE_MS = 60_000;
const BUCKET_NAMES = ['Gut Health', 'Energy & Focus', 'Sleep & Recovery'];
const SCOPE = { orgId: 'bench-org' };
const PRODUCT_ID = 'bench-product';
/** Seed 000: "7-second delay between videos to respect Gemini's 9 req/min limit". */
const SEED_SLEEP_BETWEEN_VIDEOS_MS = 7_000;
const QUOTA_PER_MINUTE = DEFAULT_REQUESTS_PER_MINUTE;
/** A whole window at once: the limiter's rolling-window log keeps it to the quota. */
const BURST = QUOTA_PER_MINUTE;
/**
 * Real milliseconds of latency jitter (event-loop stalls, a busy CPU) between the limiter's
 * start and the server's receipt that the margin absorbs. Scaled time multiplies it: at scale
 * 60, 50 real ms are 3 simulated seconds, where a real link needs about core's default 1 s.
 */
const JITTER_REAL_MS = 50;
const VIDEO_BYTES = 4_096;

/**
 * What the server's rolling window allows, whatever the client does: `quota` generateContent
 * calls admitted at once, the next `quota` one window later, … so the M-th is admitted no
 * earlier than ⌊(M − 1) ÷ quota⌋ windows after the first. Nothing finishes before that span
 * plus one video's own latency: its upload waiting out the PROCESSING polls
 * ((processingPolls + 1) · pollInterval) and the model's answer. It is taken from the fake
 * server's own quota settings, not from the limiter, so a client that paces itself more
 * slowly than the quota allows (a sequential loop, a burst-1 bucket) scores above 1.
 * HTTP round trips are left out, so the floor is a little optimistic.
 */
export function rollingWindowFloorMs(input: {
  videos: number;
  quota: number;
  windowMs: number;
  videoLatencyMs: number;
}): number {
  return Math.floor((input.videos - 1) / input.quota) * input.windowMs + input.videoLatencyMs;
}

interface RequestFigures {
  requests: number;
  generateContent: number;
  /** Most generateContent arrivals inside any one quota window (the server counts admitted ones). */
  maxGenerateInAnyWindow: number;
  /** Shortest gap between two generateContent arrivals, simulated ms. */
  minGenerateGapMs: number;
}

function requestFigures(requests: readonly FakeGeminiRequest[], windowMs: number): RequestFigures {
  const arrivals = requests
    .filter((request) => request.route === 'generate-content')
    .map((request) => request.receivedAt)
    .sort((left, right) => left - right);
  let maxInWindow = 0;
  let minGap = Number.POSITIVE_INFINITY;
  let first = 0;
  for (let last = 0; last < arrivals.length; last += 1) {
    const at = arrivals[last] ?? 0;
    while ((arrivals[first] ?? 0) <= at - windowMs) first += 1;
    maxInWindow = Math.max(maxInWindow, last - first + 1);
    if (last > 0) minGap = Math.min(minGap, at - (arrivals[last - 1] ?? 0));
  }
  return {
    requests: requests.length,
    generateContent: arrivals.length,
    maxGenerateInAnyWindow: maxInWindow,
    minGenerateGapMs: minGap,
  };
}

/**
 * Watches the event loop while `work` runs. At scale 60 a 50 ms stall (GC, another process on
 * the CPU) is 3 simulated seconds, enough to bunch two generateContent calls into one quota
 * window: the longest stall is reported so that a disturbed run can be recognised.
 */
async function withLoopWatch<T>(
  work: () => PromiseLike<T>,
): Promise<{ value: T; maxStallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const value = await work();
    return { value, maxStallMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

async function runBenchmark(): Promise<BenchmarkResult> {
  const videoCount = integerFromEnvironment('BENCH_VIDEOS', 60);
  const scale = integerFromEnvironment('BENCH_TIME_SCALE', 60);
  const concurrency = integerFromEnvironment('BENCH_CATEGORIZE_CONCURRENCY', 4);
  const generateLatencyMs = integerFromEnvironment('BENCH_GENERATE_LATENCY_MS', 2_000);
  const pollIntervalMs = integerFromEnvironment('BENCH_POLL_INTERVAL_MS', 1_000);
  const processingPolls = 1;
  const quotaWindowMs = MINUTE_MS;
  const windowMarginMs = integerFromEnvironment(
    'BENCH_WINDOW_MARGIN_MS',
    Math.max(DEFAULT_WINDOW_MARGIN_MS, JITTER_REAL_MS * scale),
  );
  const time = createScaledTime(scale);
  const seconds = (milliseconds: number) => round(milliseconds / 1000, 2);

  const videos: BenchVideo[] = Array.from({ length: videoCount }, (_, index) => ({
    filename: `video-${String(index).padStart(4, '0')}.mp4`,
    bytes: mp4Bytes(index + 1, VIDEO_BYTES),
    expectedBucket: BUCKET_NAMES[index % BUCKET_NAMES.length] ?? 'Gut Health',
  }));
  const warmUp: BenchVideo = {
    filename: 'warm-up.mp4',
    bytes: mp4Bytes(0, VIDEO_BYTES),
    expectedBucket: 'Gut Health',
  };

  const server = await startFakeGeminiServer({
    now: time.clock.now,
    perMinuteQuota: QUOTA_PER_MINUTE,
    quotaWindowMs,
    // The fake waits on a real timer.
    generateDelayMs: time.toRealMs(generateLatencyMs),
    processingPolls,
    bucketsByFilename: Object.fromEntries(
      [warmUp, ...videos].map((video) => [video.filename, video.expectedBucket]),
    ),
  });
  const counting = createCountingFetch();
  const gemini = (mode: GeminiMode) =>
    createGemini({
      baseURL: server.baseUrl,
      apiKey: server.apiKey,
      mode,
      pollIntervalMs,
      sleep: time.sleep,
      clock: time.clock,
      fetch: counting.fetch,
    });
  // Long enough for the limiter's log too (window plus margin), so each phase starts afresh.
  const idleOneWindow = () => time.sleep(quotaWindowMs + windowMarginMs + 1_000);

  try {
    const store = createMemoryStore();
    const blobs = createMemoryBlobStore();
    const combined = gemini('combined');
    const vb = createVBuckets({
      store,
      blobs,
      clock: time.clock,
      providers: {
        gemini: {
          analyzer: combined.analyzer,
          categorizer: combined.categorizer,
          requestsPerMinute: QUOTA_PER_MINUTE,
          burst: BURST,
          windowMarginMs,
        },
      },
      categorize: { concurrency, sleep: time.sleep, maxBatchSize: videoCount },
    })._unsafeUnwrap();
    const buckets: Bucket[] = [];
    for (const name of BUCKET_NAMES) {
      const created = await vb.buckets.create(SCOPE, { productId: PRODUCT_ID, name });
      if (created.isErr()) throw created.error;
      buckets.push(created.value);
    }
    const separate = gemini('separate');

    // A warm-up of both paths outside the measurements: at scale 60 the first call's JIT and
    // connection set-up (~25 real ms) would be 1.5 simulated seconds. Then one idle window, so
    // that neither phase starts with earlier requests in the server's quota.
    const warmRun = await vb.categorize.run(SCOPE, {
      productId: PRODUCT_ID,
      files: [{ filename: warmUp.filename, body: () => warmUp.bytes }],
      provider: 'gemini',
    });
    if (warmRun.isErr()) throw warmRun.error;
    const warmAnalysis = await separate.analyzer.analyze(analyzerVideo(warmUp));
    if (warmAnalysis.isErr()) throw warmAnalysis.error;
    const warmAnswer = await separate.categorizer.categorize(warmAnalysis.value, buckets);
    if (warmAnswer.isErr()) throw warmAnswer.error;
    await idleOneWindow();

    // Ours: the pipeline, combined mode, one generateContent per video through the limiter.
    counting.reset();
    let retries = 0;
    const files: CategorizeFile[] = videos.map((video) => ({
      filename: video.filename,
      body: () => video.bytes,
      sizeBytes: video.bytes.byteLength,
    }));
    const oursFirstRequest = server.requests.length;
    const oursStarted = time.clock.now();
    const oursRealStarted = performance.now();
    const { value: run, maxStallMs: oursStallMs } = await withLoopWatch(() =>
      vb.categorize.run(SCOPE, {
        productId: PRODUCT_ID,
        files,
        provider: 'gemini',
        onProgress: (event) => {
          if (event.message?.startsWith('retrying') === true) retries += 1;
        },
      }),
    );
    const oursWallMs = time.clock.now() - oursStarted;
    const oursRealMs = performance.now() - oursRealStarted;
    if (run.isErr()) throw run.error;
    const oursRequests = requestFigures(server.requests.slice(oursFirstRequest), quotaWindowMs);
    const ours429 = counting.statuses.get(429) ?? 0;
    const lost = run.value.rows.filter(
      (row, index) =>
        row.status !== 'categorized' || row.bucketName !== videos[index]?.expectedBucket,
    );
    if (run.value.rows.length !== videoCount || lost.length > 0) {
      throw new Error(
        `The pipeline lost videos: ${run.value.rows.length} rows for ${videoCount} files, ${lost.length} not categorized as expected, e.g. ${lost
          .slice(0, 3)
          .map((row) => `${row.filename}: ${row.status} ${row.bucketName} ${row.errorMessage}`)
          .join('; ')}`,
      );
    }
    await idleOneWindow();

    // The seed's way: sequential, analysis then a text-only categorize, fixed sleep, no retry.
    counting.reset();
    const seedFirstRequest = server.requests.length;
    const seedStarted = time.clock.now();
    const seedRealStarted = performance.now();
    const { value: seed, maxStallMs: seedStallMs } = await withLoopWatch(() =>
      runSeedLoop(separate, videos, buckets, {
        sleep: time.sleep,
        sleepBetweenVideosMs: SEED_SLEEP_BETWEEN_VIDEOS_MS,
      }),
    );
    const seedWallMs = time.clock.now() - seedStarted;
    const seedRealMs = performance.now() - seedRealStarted;
    const seedRequests = requestFigures(server.requests.slice(seedFirstRequest), quotaWindowMs);
    const seed429 = counting.statuses.get(429) ?? 0;
    if (seed.misfiled > 0) throw new Error(`The seed's loop misfiled ${seed.misfiled} videos`);

    const videoLatencyMs = (processingPolls + 1) * pollIntervalMs + generateLatencyMs;
    // From the server's own settings: what it admits, not what our limiter schedules.
    const serverQuota = server.switches.perMinuteQuota ?? Number.POSITIVE_INFINITY;
    const floorMs = rollingWindowFloorMs({
      videos: videoCount,
      quota: serverQuota,
      windowMs: server.switches.quotaWindowMs,
      videoLatencyMs,
    });
    const wallOverFloor = oursWallMs / floorMs;
    const perVideo = (count: number) => round(count / videoCount, 3);
    const oursMsPerCategorized = oursWallMs / videoCount;
    const seedMsPerCategorized =
      seed.categorized === 0 ? Number.POSITIVE_INFINITY : seedWallMs / seed.categorized;

    return {
      metrics: {
        videos: videoCount,
        videosCategorized: videoCount,
        wallSimulatedSeconds: seconds(oursWallMs),
        wallRealSeconds: round(oursRealMs / 1000, 3),
        rollingWindowFloorSimulatedSeconds: seconds(floorMs),
        requestsPerVideo: perVideo(oursRequests.requests),
        generateContentPerVideo: perVideo(oursRequests.generateContent),
        rateLimited429s: ours429,
        retries,
        maxGenerateContentInAnyQuotaWindow: oursRequests.maxGenerateInAnyWindow,
        minGenerateContentGapSimulatedSeconds: seconds(oursRequests.minGenerateGapMs),
        videosPerSimulatedMinute: round((videoCount / oursWallMs) * MINUTE_MS, 3),
        longestEventLoopStallRealMs: round(oursStallMs, 1),
      },
      baseline: {
        description:
          "seed 000's loop: sequential, per video upload → poll → analysis generateContent → text-only categorize generateContent (the same Gemini adapter, separate mode), a fixed 7 s sleep between videos, no rate limiter and no retry (a 429 makes that video an error)",
        metrics: {
          videos: videoCount,
          videosCategorized: seed.categorized,
          videosFailed: seed.failed,
          videosFailedRateLimited: seed.failuresByCode.RATE_LIMITED ?? 0,
          wallSimulatedSeconds: seconds(seedWallMs),
          wallRealSeconds: round(seedRealMs / 1000, 3),
          requestsPerVideo: perVideo(seedRequests.requests),
          generateContentPerVideo: perVideo(seedRequests.generateContent),
          rateLimited429s: seed429,
          maxGenerateContentInAnyQuotaWindow: seedRequests.maxGenerateInAnyWindow,
          videosPerSimulatedMinute: round((seed.categorized / seedWallMs) * MINUTE_MS, 3),
          longestEventLoopStallRealMs: round(seedStallMs, 1),
        },
      },
      ratios: {
        wallOverRollingWindowFloor: round(wallOverFloor, 4),
        seedWallOverRollingWindowFloor: round(seedWallMs / floorMs, 4),
        speedUpWall: round(seedWallMs / oursWallMs, 3),
        speedUpPerCategorizedVideo: round(seedMsPerCategorized / oursMsPerCategorized, 3),
        generateContentPerVideoSeedOverOurs: round(
          seedRequests.generateContent / Math.max(1, oursRequests.generateContent),
          3,
        ),
      },
      targets: {
        wallOverRollingWindowFloor: { target: '≤ 1.10', met: wallOverFloor <= 1.1 },
        rateLimited429s: { target: '0 with the limiter', met: ours429 === 0 },
        videosCategorized: { target: `all ${videoCount}`, met: true },
      },
      parameters: {
        videos: videoCount,
        videoBytes: VIDEO_BYTES,
        timeScale: `${scale} simulated ms per real ms (BENCH_TIME_SCALE)`,
        quota: `${QUOTA_PER_MINUTE} generateContent per rolling ${quotaWindowMs / 1000} simulated s (fake server)`,
        limiter: `token bucket ${QUOTA_PER_MINUTE}/min, burst ${BURST}, at most ${QUOTA_PER_MINUTE} starts in any rolling minute + ${windowMarginMs / 1000} s margin (${JITTER_REAL_MS} real ms of jitter at this scale), ${
          combined.analyzer.gatesRequests === true
            ? 'taken by the Gemini adapter right before each generateContent (gatesRequests)'
            : 'taken by core before each analysis'
        }`,
        concurrency,
        generateLatencySimulatedSeconds: generateLatencyMs / 1000,
        pollIntervalSimulatedSeconds: pollIntervalMs / 1000,
        processingPolls,
        seedSleepBetweenVideosSimulatedSeconds: SEED_SLEEP_BETWEEN_VIDEOS_MS / 1000,
        store: 'in-memory Store and BlobStore (@vbuckets/core/testing)',
        rollingWindowFloor: `⌊(videos − 1) ÷ ${serverQuota}⌋ × ${server.switches.quotaWindowMs / 1000} s (the server's quota and window) + one video's latency ((processingPolls + 1) × pollInterval + generate latency = ${videoLatencyMs / 1000} s)`,
      },
    };
  } finally {
    await server.close();
  }
}

export const categorizeThroughput: Benchmark = {
  name: 'categorize-throughput',
  description:
    'categorize.run over ≥ 60 videos against the fake Gemini server with a 9/min quota and latency, in scaled time: wall ÷ the server’s rolling-window floor, requests per video, 429s; baseline the seed’s sequential two-call loop with a fixed sleep',
  run: runBenchmark,
};
