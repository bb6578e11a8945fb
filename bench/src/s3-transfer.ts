import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startS3Server } from '@vbuckets/testkit';
import { MiB, requireFreeSpace, settleDisk, writeVideoFile } from './bench-files';
import { type Benchmark, integerFromEnvironment, round, timedRun } from './harness';

const childScript = fileURLToPath(new URL('./s3-transfer-child.mjs', import.meta.url));
const TIME_BINARY = '/usr/bin/time';
const BUCKET = 'bench';

interface ChildReport {
  seconds: number;
  sizeBytes: number;
  sha256: string;
  maxRssKB: number;
  cpuSeconds: number;
}

async function runChild(settings: Record<string, unknown>) {
  const previous = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  try {
    const timed = await timedRun(process.execPath, [childScript, JSON.stringify(settings)]);
    return { wallSeconds: timed.seconds, report: JSON.parse(timed.stdout) as ChildReport };
  } finally {
    if (previous === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    else process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = previous;
  }
}

/** Runs a command under /usr/bin/time when it is there, for its peak RSS. */
async function runMeasured(
  command: string,
  args: string[],
  report: string,
): Promise<{ seconds: number; peakRssKB: number }> {
  if (!existsSync(TIME_BINARY)) {
    const { seconds } = await timedRun(command, args);
    return { seconds, peakRssKB: Number.NaN };
  }
  const { seconds } = await timedRun(TIME_BINARY, ['-f', '%M', '-o', report, command, ...args]);
  const peakRssKB = Number(readFileSync(report, 'utf8').trim().split('\n').at(-1));
  rmSync(report, { force: true });
  return { seconds, peakRssKB };
}

/** Lets the kernel write back what the last step left dirty, so it does not slow the next. */

export const s3Transfer: Benchmark = {
  name: 's3-transfer',
  description:
    'createS3BlobStore against a real s3rver process: a 1 GiB multipart upload from a file and a streamed download, each in a child process (wall time, MB/s, peak RSS), against `cp` and `sha256sum` of the same file',
  async run() {
    const totalMB = integerFromEnvironment('BENCH_S3_MB', 1024);
    const partMB = integerFromEnvironment('BENCH_S3_PART_MB', 8);
    const queueSize = integerFromEnvironment('BENCH_S3_QUEUE', 4);
    const runs = integerFromEnvironment('BENCH_S3_RUNS', 2);
    const totalBytes = totalMB * MiB;

    const directory = mkdtempSync(join(tmpdir(), 'vbuckets-bench-s3-'));
    const server = await startS3Server({ buckets: [BUCKET] });
    try {
      requireFreeSpace(directory, totalBytes * 3.2, 's3-transfer', 'BENCH_S3_MB');
      const file = join(directory, 'video.mp4');
      const expectedSha256 = await writeVideoFile(file, totalBytes);
      settleDisk();

      const uploads: Array<{ wallSeconds: number; report: ChildReport }> = [];
      const downloads: Array<{ wallSeconds: number; report: ChildReport }> = [];
      const copies: Array<{ seconds: number; peakRssKB: number }> = [];
      const hashes: Array<{ seconds: number; peakRssKB: number }> = [];
      const shared = {
        endpoint: server.endpoint,
        credentials: server.credentials,
        bucket: BUCKET,
        partSizeBytes: partMB * MiB,
        queueSize,
      };
      for (let run = 0; run < runs; run++) {
        const key = `videos/client_bench/run-${run}.mp4`;
        const upload = await runChild({ ...shared, mode: 'upload', key, file });
        settleDisk();
        const download = await runChild({ ...shared, mode: 'download', key });
        for (const [what, measured] of [
          ['upload', upload],
          ['download', download],
        ] as const) {
          if (
            measured.report.sizeBytes !== totalBytes ||
            measured.report.sha256 !== expectedSha256
          ) {
            throw new Error(
              `The ${what} reported ${measured.report.sizeBytes} bytes, SHA-256 ${measured.report.sha256}; expected ${totalBytes}, ${expectedSha256}`,
            );
          }
        }
        uploads.push(upload);
        downloads.push(download);
        settleDisk();

        const copy = join(directory, 'copy.mp4');
        copies.push(await runMeasured('/bin/cp', [file, copy], `${copy}.time`));
        rmSync(copy, { force: true });
        settleDisk();
        hashes.push(await runMeasured('/usr/bin/sha256sum', [file], join(directory, 'sha.time')));
      }

      // Best of the runs for time (least disturbed by the machine), worst for memory.
      const uploadSeconds = Math.min(...uploads.map((each) => each.wallSeconds));
      const downloadSeconds = Math.min(...downloads.map((each) => each.wallSeconds));
      const uploadPeakRssMB = Math.max(...uploads.map((each) => each.report.maxRssKB)) / 1024;
      const downloadPeakRssMB = Math.max(...downloads.map((each) => each.report.maxRssKB)) / 1024;
      const cpSeconds = Math.min(...copies.map((each) => each.seconds));
      const sha256sumSeconds = Math.min(...hashes.map((each) => each.seconds));
      const peakRssMB = Math.max(uploadPeakRssMB, downloadPeakRssMB);
      return {
        metrics: {
          uploadSeconds: round(uploadSeconds),
          uploadMBps: round(totalMB / uploadSeconds, 1),
          uploadPeakRssMB: round(uploadPeakRssMB, 1),
          uploadClientCpuSeconds: round(Math.min(...uploads.map((each) => each.report.cpuSeconds))),
          downloadSeconds: round(downloadSeconds),
          downloadMBps: round(totalMB / downloadSeconds, 1),
          downloadPeakRssMB: round(downloadPeakRssMB, 1),
          downloadClientCpuSeconds: round(
            Math.min(...downloads.map((each) => each.report.cpuSeconds)),
          ),
        },
        baseline: {
          description:
            '`cp` of the same file (read + write, like the upload through s3rver) and `sha256sum` of it (read + hash, like the verified download), process start to exit, peak RSS by /usr/bin/time',
          metrics: {
            cpSeconds: round(cpSeconds),
            cpMBps: round(totalMB / cpSeconds, 1),
            cpPeakRssMB: round(Math.max(...copies.map((each) => each.peakRssKB)) / 1024, 1),
            sha256sumSeconds: round(sha256sumSeconds),
            sha256sumMBps: round(totalMB / sha256sumSeconds, 1),
          },
        },
        ratios: {
          uploadTimeVsCp: round(uploadSeconds / cpSeconds),
          downloadTimeVsSha256sum: round(downloadSeconds / sha256sumSeconds),
        },
        targets: {
          peakRssMB: { target: '< 200', met: peakRssMB < 200 },
        },
        parameters: {
          totalMB,
          partMB,
          queueSize,
          runs,
          server:
            's3rver 3.7 in its own process (its memory is not counted), plain HTTP on 127.0.0.1',
          timing: 'best of the runs; child process start to exit',
        },
      };
    } finally {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
