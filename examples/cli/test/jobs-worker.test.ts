// The background-jobs flow as a user runs it: queue work (categorize --queue, upload --queue),
// run `vbuckets worker` in its own process until SIGTERM, read `jobs`, retry a failed job. The
// same cases on the embedded queue over SQLite and PostgreSQL, and on BullMQ with real Redis.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Categorization, UploadHistoryEntry } from '@vbuckets/core';
import { startFakeYouTubeServer } from '@vbuckets/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, ensureBuiltCli, startBuiltCli } from './built-cli';
import { countsByKind, type JobsReport, stopWorker } from './fixtures/jobs';
import { redisEnv, redisTestPrefix, removeRedisKeys } from './fixtures/redis';
import { escapeRegExp, type RunOptions, run, tempDir, temporaryPostgresSchema } from './helpers';
import { EXPECTED_BUCKETS, SAMPLE_FILES, sampleBucketsFile, samplesDir } from './samples';

beforeAll(ensureBuiltCli, 300_000);

type Backend = 'sqlite' | 'postgres' | 'bullmq';

describe.each<Backend>(['sqlite', 'postgres', 'bullmq'])('background jobs on %s', (backend) => {
  // One schema per test: `jobs` counts every job of the database.
  const schemas =
    backend === 'postgres'
      ? [
          temporaryPostgresSchema('jobs_a'),
          temporaryPostgresSchema('jobs_b'),
          temporaryPostgresSchema('jobs_c'),
        ]
      : [];
  const prefixes: string[] = [];
  const workers: CliProcess[] = [];

  afterEach(async () => {
    for (const worker of workers.splice(0)) worker.kill('SIGKILL');
    await Promise.all(prefixes.splice(0).map(removeRedisKeys));
  });

  /** A data dir (and schema or Redis prefix) of the test, and runners of the CLI on it. */
  async function world(index: number) {
    const dataDir = await tempDir();
    const globals = ['--data-dir', dataDir, ...(schemas[index]?.args ?? [])];
    let env: Record<string, string> = {};
    if (backend === 'bullmq') {
      const prefix = redisTestPrefix(`jobs-${index}`);
      prefixes.push(prefix);
      env = redisEnv(prefix);
    }
    const cli = (argv: readonly string[], options: RunOptions = {}) =>
      run([...globals, ...argv], { cwd: dataDir, env: { ...env, ...options.env } });
    const json = async <T>(argv: readonly string[]): Promise<T> => {
      const result = await cli([...argv, '--json']);
      if (result.code !== 0)
        throw new Error(`${argv.join(' ')}: exit ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    };
    const worker = (extraEnv: Record<string, string> = {}, extraArgs: readonly string[] = []) => {
      const started = startBuiltCli([...globals, 'worker', '--concurrency', '2', ...extraArgs], {
        cwd: dataDir,
        env: { ...env, ...extraEnv },
      });
      workers.push(started);
      return started;
    };
    return { dataDir, cli, json, worker };
  }

  it('categorize --queue leaves the session pending for a worker, which finishes it', async () => {
    const { cli, json, worker } = await world(0);
    await json(['buckets', 'import', sampleBucketsFile]);

    const queued = await cli(['categorize', samplesDir, '--queue', '--provider', 'keyword']);
    expect(queued.code, queued.stderr).toBe(0);
    const sessionId = /^Queued session (\S+): 6 videos for keyword/m.exec(queued.stdout)?.[1];
    expect(sessionId, queued.stdout).toBeDefined();
    const before = await json<{ rows: Categorization[] }>(['results', sessionId ?? '']);
    expect(before.rows.map((row) => row.status)).toEqual(SAMPLE_FILES.map(() => 'pending'));
    const waiting = await json<JobsReport>(['jobs']);
    expect(waiting.engine).toBe(backend === 'bullmq' ? 'bullmq' : 'embedded');
    expect(countsByKind(waiting.counts)).toEqual({ 'categorize.session': { waiting: 1 } });
    const listed = await cli(['jobs']);
    expect(listed.stdout).toMatch(/^categorize\.session +1 +0 +0 +0 +0$/m);

    const running = worker();
    await running.waitForLine(
      (line) => line.startsWith('✓ categorize.session ') && line.includes(sessionId ?? '?'),
      'the session job to complete',
    );
    await stopWorker(running);

    const after = await json<{ rows: Categorization[] }>(['results', sessionId ?? '']);
    expect(after.rows.map((row) => [row.filename, row.status, row.bucketName])).toEqual(
      SAMPLE_FILES.map((file) => {
        const bucket = EXPECTED_BUCKETS[file] ?? null;
        return [file, bucket === null ? 'analyzed' : 'categorized', bucket];
      }),
    );
    const done = await json<JobsReport>(['jobs']);
    expect(countsByKind(done.counts)).toEqual({ 'categorize.session': { completed: 1 } });
    expect(done.failed).toEqual([]);
  }, 180_000);

  it('upload --queue: one job however often it is queued, posted once; a failed job is listed with its reason and retried', async () => {
    const { dataDir, cli, json, worker } = await world(1);
    const youtube = await startFakeYouTubeServer();
    try {
      const added = await json<Array<{ id: string }>>([
        'videos',
        'add',
        join(samplesDir, 'bloated-after-lunch.mp4'),
      ]);
      const videoId = added[0]?.id ?? '';
      const queue = (platform: string) =>
        cli(['upload', videoId, '--platform', platform, '--queue']);
      const outcomes = [await queue('local'), await queue('local'), await queue('local')];
      expect(outcomes.map((outcome) => outcome.code)).toEqual([0, 0, 0]);
      expect(outcomes.map((outcome) => outcome.stdout.split(':')[0])).toEqual([
        'Queued',
        'Already queued',
        'Already queued',
      ]);
      // The worker below has no YouTube token: this job fails there.
      expect((await queue('youtube')).code).toBe(0);
      const queued = await json<JobsReport>(['jobs']);
      expect(countsByKind(queued.counts)).toEqual({ 'uploads.upload': { waiting: 2 } });

      const first = worker();
      const localJob = await first.waitForLine(
        (line) => line.startsWith('✓ uploads.upload ') && line.includes('/local '),
        'the local upload to complete',
      );
      const failedLine = await first.waitForLine(
        (line) => line.startsWith('✗ uploads.upload ') && line.includes('/youtube '),
        'the youtube upload to fail',
      );
      expect(failedLine).toContain('No uploader is registered for platform youtube');
      await stopWorker(first);

      // Posted once: one video (and its metadata sidecar) in the published folder.
      const published = await readdir(join(dataDir, 'published'));
      expect(published.filter((name) => !name.endsWith('.json'))).toEqual([
        `${videoId}-bloated-after-lunch.mp4`,
      ]);

      // A completed job is not retried, and says so.
      const localId = /^✓ uploads\.upload (\S+) /.exec(localJob)?.[1] ?? '';
      const notFailed = await cli(['jobs', 'retry', localId]);
      expect(notFailed.code).toBe(2);
      expect(notFailed.stderr).toMatch(
        new RegExp(
          `^error: \\[CONFLICT\\] The uploads\\.upload job "${escapeRegExp(localId)}" is completed, not failed`,
        ),
      );
      const unknown = await cli(['jobs', 'retry', 'no-such-job']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/^error: \[VALIDATION\] No job "no-such-job"/);

      // The failed job, its reason in `jobs`.
      const failed = await json<JobsReport>(['jobs']);
      expect(countsByKind(failed.counts)).toEqual({
        'uploads.upload': { completed: 1, failed: 1 },
      });
      expect(failed.failed).toHaveLength(1);
      const [job] = failed.failed;
      expect(job).toMatchObject({
        kind: 'uploads.upload',
        state: 'failed',
        failedReason: 'No uploader is registered for platform youtube',
        payload: { videoId, platform: 'youtube' },
      });
      const listed = await cli(['jobs']);
      expect(listed.stdout).toContain('Failed jobs (retry one with: vbuckets jobs retry <id>):');
      expect(listed.stdout).toMatch(
        new RegExp(`^${job?.id}\\s+uploads\\.upload\\s.*No uploader is registered`, 'm'),
      );

      // Retried, it waits for a worker again; one with the token posts it.
      const retried = await cli(['jobs', 'retry', job?.id ?? '']);
      expect(retried.code, retried.stderr).toBe(0);
      expect(retried.stdout).toBe(
        `Job uploads.upload ${job?.id} is waiting again; a worker will run it\n`,
      );
      expect(countsByKind((await json<JobsReport>(['jobs'])).counts)).toEqual({
        'uploads.upload': { completed: 1, waiting: 1 },
      });
      const second = worker({
        YOUTUBE_ACCESS_TOKEN: 'fake-youtube-token',
        VBUCKETS_YOUTUBE_BASE_URL: youtube.baseUrl,
      });
      await second.waitForLine(
        (line) => line.startsWith(`✓ uploads.upload ${job?.id} `),
        'the retried youtube upload to complete',
      );
      await stopWorker(second);
      expect(youtube.videos.size).toBe(1);
      const done = await json<JobsReport>(['jobs']);
      expect(countsByKind(done.counts)).toEqual({ 'uploads.upload': { completed: 2 } });
      const shown = await json<{ uploads: UploadHistoryEntry[] }>(['videos', 'show', videoId]);
      expect(
        shown.uploads.map((upload) => [upload.platform, upload.status, upload.attempts.length]),
      ).toEqual(
        expect.arrayContaining([
          ['local', 'SUCCESS', 1],
          ['youtube', 'SUCCESS', 1],
        ]),
      );
    } finally {
      await youtube.close();
    }
  }, 240_000);

  // --grace was read under a name commander never sets: every worker waited the default 30 s.
  it('worker --run-due-every keeps a repeating uploads.runDue until unscheduled, and honours --grace', async () => {
    const { cli, json, worker } = await world(2);
    const running = worker({}, ['--run-due-every', '1', '--grace', '7']);
    await running.waitForLine(/^Scheduled uploads\.runDue every 1 s/, 'the schedule');
    await running.waitForLine((line) => line.startsWith('✓ uploads.runDue '), 'a due-uploads run');
    running.kill('SIGTERM');
    const ended = await running.exited;
    expect(ended.code, running.output()).toBe(0);
    expect(ended.stderrLines.join('\n')).toMatch(
      /^Stopping: \d+ running job\(s\) may finish within 7 s$/m,
    );

    const schedule = {
      name: 'uploads.runDue:local',
      kind: 'uploads.runDue',
      payload: { orgId: 'local' },
      everyMs: 1000,
    };
    type Report = JobsReport & { schedules: unknown[] };
    expect((await json<Report>(['jobs'])).schedules).toEqual([schedule]);
    const listed = await cli(['jobs']);
    expect(listed.stdout).toContain(
      'Repeating jobs (remove one with: vbuckets jobs unschedule <name>):',
    );
    expect(listed.stdout).toMatch(/^uploads\.runDue:local\s+uploads\.runDue\s+1 s$/m);

    const removed = await cli(['jobs', 'unschedule', schedule.name]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe('Repeating job uploads.runDue:local removed\n');
    expect((await json<Report>(['jobs'])).schedules).toEqual([]);
    const unknown = await cli(['jobs', 'unschedule', 'uploads.runDue:local']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No repeating job "uploads\.runDue:local"/);
  }, 240_000);
});

describe('job tuning variables', () => {
  it.each([
    ['VBUCKETS_JOB_LEASE_MS', '2s', 'from 100 to 3600000'],
    ['VBUCKETS_JOB_POLL_MS', '0', 'from 10 to 3600000'],
    ['VBUCKETS_UPLOAD_LEASE_MS', '-5', 'from 100 to 86400000'],
  ])('%s=%s is refused with a VALIDATION error naming it', async (name, value, range) => {
    const dataDir = await tempDir();
    const result = await run(['--data-dir', dataDir, 'jobs'], { env: { [name]: value } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: [VALIDATION] ${name} must be a whole number of milliseconds ${range}, not "${value}"\n`,
    );
  });

  it('are listed in the help, as tuning', async () => {
    const help = await run(['--help']);
    for (const name of [
      'VBUCKETS_JOB_LEASE_MS',
      'VBUCKETS_JOB_POLL_MS',
      'VBUCKETS_UPLOAD_LEASE_MS',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    expect(help.stdout).toContain('Tuning (milliseconds');
  });
});
