import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Creative, MarketArm, MarketRanking } from '@vbuckets/core';
import { type FakeAnthropicServer, startFakeAnthropicServer } from '@vbuckets/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCliRun, ensureBuiltCli, packageDir, runBuiltCli } from './built-cli';
import { tempDir, temporaryPostgresSchema } from './helpers';

const VIDEOS = join(packageDir, 'samples', 'videos');
const CATEGORY = 'supplements';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

interface IngestJson {
  created: boolean;
  creative: Creative;
  prior: { alpha: number; beta: number; clicks: number; marketClicks: number; weight: number };
  analysis: { ran: boolean; note?: string; error?: { code: string; message: string } };
}

interface RecordJson {
  key: string;
  applied: boolean;
  analysisQueued: boolean;
  creative: Creative;
}

/** The built CLI on a fresh data dir (SQLite unless `globalArgs` say otherwise). */
async function marketCli(options: { globalArgs?: string[]; env?: Record<string, string> } = {}) {
  const dataDir = await tempDir();
  const cli = (argv: readonly string[], env: Record<string, string> = {}) =>
    runBuiltCli(['--data-dir', dataDir, ...(options.globalArgs ?? []), 'market', ...argv], {
      cwd: dataDir,
      env: { ...options.env, ...env },
    });
  const json = async <T>(argv: readonly string[], env: Record<string, string> = {}) => {
    const result = await cli([...argv, '--json'], env);
    if (result.code !== 0) throw new Error(`exit ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  return { dataDir, cli, json };
}

/** Seed 003's winner: 30 days at 5% and 1000 clicks a day. */
function benchmarkArgs(patch: Record<string, string> = {}, video?: string): string[] {
  const flags: Record<string, string> = {
    '--url': 'https://www.facebook.com/ads/library/?id=1001',
    '--name': 'Gut reset, day 3',
    '--category': CATEGORY,
    '--cvr': '0.05',
    '--days': '30',
    '--daily-clicks': '1000',
    '--hook': 'problem_agitation',
    '--emotion': 'frustration',
    ...patch,
  };
  return [
    'ingest',
    ...(video === undefined ? [] : [join(VIDEOS, video)]),
    ...Object.entries(flags).flat(),
  ];
}

/** Two benchmarks and one client creative with results, in CATEGORY. */
async function seedMarket(json: Awaited<ReturnType<typeof marketCli>>['json']) {
  const strong = await json<IngestJson>(benchmarkArgs());
  const weak = await json<IngestJson>(
    benchmarkArgs({
      '--url': 'https://www.facebook.com/ads/library/?id=1002',
      '--name': '3 pm crash',
      '--cvr': '2%',
      '--days': '14',
      '--daily-clicks': '400',
      '--hook': 'question',
      '--emotion': 'tiredness',
    }),
  );
  const client = await json<Creative>([
    'add',
    '--name',
    'Bloated after lunch',
    '--category',
    CATEGORY,
    '--hook',
    'question',
  ]);
  await json<RecordJson>(['record', client.id, '--clicks', '400', '--conversions', '14']);
  return { strong: strong.creative, weak: weak.creative, client };
}

function oneErrorLine(result: BuiltCliRun): string {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  return lines[0] ?? '';
}

beforeAll(ensureBuiltCli, 300_000);

describe('vbuckets market ingest', () => {
  it('stores a benchmark once per --url, prints its capped prior, and says the analysis stays queued', async () => {
    const { cli, json } = await marketCli();
    const first = await cli(benchmarkArgs({ '--tag': 'ugc' }, 'gut-reset-day-3.mov'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Ingested benchmark "Gut reset, day 3"$/m);
    expect(first.stdout).toMatch(
      /^ {2}prior +Beta\(51, 951\): 30,000 market clicks capped at 1,000, 50 conversions \(5\.1% mean\), counted 2× in rankings$/m,
    );
    expect(first.stdout).toMatch(
      /^ {2}tags +hook_type problem_agitation · emotion frustration · tag ugc$/m,
    );
    const id = /^ {2}id +(\S+)$/m.exec(first.stdout)?.[1] ?? '';
    expect(id).toMatch(UUID);
    expect(first.stdout).toContain(
      `Analysis queued, not run: ANTHROPIC_API_KEY is not set (set it to analyse creatives with Claude). Run it later with: pnpm -s vbuckets market analyze ${id}`,
    );

    const again = await json<IngestJson>(
      benchmarkArgs({ '--name': 'Renamed', '--cvr': '0.5' }, 'gut-reset-day-3.mov'),
    );
    expect(again.created).toBe(false);
    expect(again.creative).toMatchObject({ id, name: 'Gut reset, day 3', marketCvr: 0.05 });
    expect(again.analysis).toEqual({ ran: false, note: 'already ingested' });
    const text = await cli(benchmarkArgs());
    expect(text.stdout).toMatch(
      /^Already ingested: https:\/\/www\.facebook\.com\/ads\/library\/\?id=1001 is benchmark "Gut reset, day 3" \(nothing changed\)$/m,
    );

    const benchmarks = await json<Creative[]>(['benchmarks']);
    expect(benchmarks).toHaveLength(1);
    expect(benchmarks[0]).toMatchObject({
      id,
      source: 'benchmark',
      isPublic: true,
      analysisStatus: 'queued',
      extraTags: ['ugc'],
    });
    expect(benchmarks[0]?.videoId).toMatch(UUID);
  });

  it('gives the prior and the queued analysis as JSON, with no video too', async () => {
    const { json } = await marketCli();
    const ingested = await json<IngestJson>(
      benchmarkArgs({ '--days': '10', '--daily-clicks': '50' }),
    );
    expect(ingested.created).toBe(true);
    expect(ingested.creative.videoId).toBeNull();
    // 500 clicks stay under the cap: 25 conversions.
    expect(ingested.prior).toMatchObject({
      alpha: 26,
      beta: 476,
      clicks: 500,
      marketClicks: 500,
      weight: 2,
    });
    expect(ingested.analysis.ran).toBe(false);
    expect(ingested.analysis.note).toContain('ANTHROPIC_API_KEY is not set');
  });

  it.each([
    [{ '--cvr': '2' }, 'error: [VALIDATION] Invalid --cvr: Too big: expected number to be <=1'],
    [{ '--days': '0' }, 'error: [VALIDATION] Invalid --days: Too small: expected number to be >0'],
    [{ '--daily-clicks': '-5' }, 'error: [VALIDATION] Invalid --daily-clicks: Too small'],
    [{ '--url': 'not a url' }, 'error: [VALIDATION] Invalid --url: '],
    [{ '--name': '  ' }, 'error: [VALIDATION] Invalid --name: '],
    [
      { '--cvr': 'lots' },
      "error: [USAGE] option '--cvr <rate>' argument 'lots' is invalid. Expected a conversion rate such as 0.05, or 5%.",
    ],
  ])('refuses %o with one readable line and exit 2, storing nothing', async (patch, message) => {
    const { cli, json } = await marketCli();
    const result = await cli(benchmarkArgs(patch, 'gut-reset-day-3.mov'));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(oneErrorLine(result).startsWith(message), result.stderr).toBe(true);
    expect(await json<Creative[]>(['list'])).toEqual([]);
  });

  it('says which flag is missing, and refuses a folder or a missing file before storing anything', async () => {
    const { cli, json } = await marketCli();
    const missing = await cli(['ingest', '--url', 'https://example.com/ad', '--name', 'x']);
    expect(missing.code).toBe(2);
    expect(oneErrorLine(missing)).toMatch(/^error: \[USAGE\] required option '--category <id>'/);
    const folder = await cli(benchmarkArgs({}, '.'));
    expect(folder.code).toBe(2);
    expect(oneErrorLine(folder)).toMatch(/is a folder: a creative is one video file$/);
    const gone = await cli(benchmarkArgs({}, 'nope.mp4'));
    expect(gone.code).toBe(1);
    expect(oneErrorLine(gone)).toMatch(/^error: \[NOT_FOUND\] No such file: .*nope\.mp4$/);
    expect(await json<Creative[]>(['list'])).toEqual([]);
  });
});

describe('vbuckets market add and record', () => {
  it('adds a private creative of --user, adds results once per --key, and queues the analysis once at 5 conversions', async () => {
    const { cli, json } = await marketCli({ env: { VBUCKETS_USER: 'ada' } });
    const added = await cli([
      'add',
      join(VIDEOS, 'bloated-after-lunch.mp4'),
      '--name',
      'Bloated after lunch',
      '--category',
      CATEGORY,
      '--hook',
      'question',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^ {2}source +client \(private, owner ada\)$/m);
    const [creative] = await json<Creative[]>(['list']);
    expect(creative).toMatchObject({ ownerId: 'ada', isPublic: false, analysisStatus: 'none' });
    const prefix = creative?.id.slice(0, 8) ?? '';

    const day1 = ['record', prefix, '--clicks', '100', '--conversions', '3', '--key', 'day-1'];
    const first = await cli(day1);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(
      'Recorded 100 clicks, 3 conversions for "Bloated after lunch" (key day-1)\n  now  100 clicks, 3 conversions (3.0%)\n',
    );
    const repeated = await cli(day1);
    expect(repeated.stdout).toBe(
      'Not applied: key day-1 was already recorded for "Bloated after lunch"; nothing added\n  now  100 clicks, 3 conversions (3.0%)\n',
    );

    // Without --key each run is new: it adds again, under a random key it prints.
    const crossing = await json<RecordJson>([
      'record',
      'latest',
      '--clicks',
      '50',
      '--conversions',
      '2',
      '--impressions',
      '900',
    ]);
    expect(crossing).toMatchObject({ applied: true, analysisQueued: true });
    expect(crossing.key).toMatch(UUID);
    expect(crossing.creative).toMatchObject({
      clicks: 150,
      conversions: 5,
      impressions: 900,
      analysisStatus: 'queued',
    });
    const after = await cli(['record', creative?.id ?? '', '--clicks', '10', '--conversions', '1']);
    expect(after.stdout).toMatch(
      /^Recorded 10 clicks, 1 conversion for "Bloated after lunch" \(key [0-9a-f-]{36}\)$/m,
    );
    expect(after.stdout).not.toContain('Analysis queued');
    expect((await json<Creative[]>(['list']))[0]).toMatchObject({
      clicks: 160,
      conversions: 6,
      analysisStatus: 'queued',
    });
  });

  it('prints that the analysis was queued, and refuses bad numbers and unknown creatives', async () => {
    const { cli, json } = await marketCli();
    const creative = await json<Creative>(['add', '--name', 'Q', '--category', CATEGORY]);
    const queued = await cli(['record', 'latest', '--clicks', '20', '--conversions', '5']);
    expect(queued.stdout).toContain(
      `Analysis queued: it reached 5 conversions. Run it with: pnpm -s vbuckets market analyze ${creative.id}`,
    );
    const above = await cli(['record', 'latest', '--clicks', '1', '--conversions', '2']);
    expect(above.code).toBe(2);
    expect(oneErrorLine(above)).toBe(
      'error: [VALIDATION] Invalid --conversions: conversions must not exceed clicks',
    );
    const unknown = await cli(['record', 'zzzz9999', '--clicks', '1', '--conversions', '0']);
    expect(unknown.code).toBe(1);
    expect(oneErrorLine(unknown)).toBe(
      'error: [NOT_FOUND] No creative "zzzz9999" in org "local" or among public benchmarks',
    );
    expect((await json<Creative[]>(['list']))[0]).toMatchObject({ clicks: 20, conversions: 5 });
  });
});

describe('vbuckets market rank and choose', () => {
  it('ranks creatives as a table with interval bars, and as JSON whose P(best) sums to 1, stable with --seed', async () => {
    const { cli, json } = await marketCli();
    const { strong, weak, client } = await seedMarket(json);

    const ranking = await json<MarketRanking>(['rank', '--category', CATEGORY, '--seed', '7']);
    expect(ranking).toMatchObject({ productCategory: CATEGORY, dimension: null, draws: 4000 });
    expect(ranking.arms.map((arm) => arm.id).sort()).toEqual(
      [strong.id, weak.id, client.id].sort(),
    );
    expect(ranking.arms.reduce((sum, arm) => sum + arm.pBest, 0)).toBeCloseTo(1, 10);
    const byId = new Map(ranking.arms.map((arm) => [arm.id, arm]));
    // 1000 capped clicks at 5%, weighted 2: Beta(1 + 100, 1 + 1900).
    expect(byId.get(strong.id)?.posterior).toEqual({ alpha: 101, beta: 1901 });
    expect(byId.get(strong.id)?.evidence).toMatchObject({ benchmarkClicks: 1000 });
    expect(byId.get(client.id)?.evidence).toMatchObject({
      clientClicks: 400,
      clientConversions: 14,
    });
    expect(await json<MarketRanking>(['rank', '--category', CATEGORY, '--seed', '7'])).toEqual(
      ranking,
    );

    const table = await cli(['rank', '--category', CATEGORY, '--seed', '7']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toBe((await cli(['rank', '--category', CATEGORY, '--seed', '7'])).stdout);
    expect(table.stdout).toMatch(
      /^Category supplements: 3 creatives by P\(best\) over 4,000 Thompson draws, seed 7$/m,
    );
    expect(table.stdout).toMatch(
      /^ARM +ID +MEAN +95% CI \(axis 0–\d+(\.\d+)?%\) +P\(BEST\) +EVIDENCE$/m,
    );
    const rows = table.stdout.split('\n').filter((line) => /[·├─●┤]{24} /u.test(line));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain(ranking.arms[0]?.label);
    const strongRow = rows.find((row) => row.startsWith('Gut reset, day 3')) ?? '';
    expect(strongRow).toContain(strong.id.slice(0, 8));
    expect(strongRow).toMatch(/[·├─●┤]{24} \d+\.\d%–\d+\.\d%/);
    expect(strongRow).toMatch(/1,000 benchmark pseudo-clicks$/);
    const clientRow = rows.find((row) => row.startsWith('Bloated after lunch')) ?? '';
    expect(clientRow).toMatch(/400 clicks, 14 conv$/);
  });

  it('ranks the values of a tag with --by, and only one source with --source', async () => {
    const { cli, json } = await marketCli();
    await seedMarket(json);
    const hooks = await json<MarketRanking>([
      'rank',
      '--category',
      CATEGORY,
      '--by',
      'hook_type',
      '--seed',
      '1',
    ]);
    expect(hooks.dimension).toBe('hookType');
    expect(hooks.arms.map((arm) => arm.id).sort()).toEqual(['problem_agitation', 'question']);
    const question = hooks.arms.find((arm) => arm.id === 'question');
    expect(question?.evidence).toMatchObject({
      benchmarkClicks: 1000,
      clientClicks: 400,
      clientConversions: 14,
    });
    const clientOnly = await json<MarketRanking>([
      'rank',
      '--category',
      CATEGORY,
      '--by',
      'hook_type',
      '--source',
      'client',
    ]);
    expect(clientOnly.arms.map((arm) => [arm.id, arm.evidence.benchmarkClicks])).toEqual([
      ['question', 0],
    ]);
    const text = await cli(['rank', '--category', CATEGORY, '--by', 'hook_type', '--seed', '1']);
    expect(text.stdout).toMatch(/^Category supplements: 2 hook_type values by P\(best\)/m);
    expect(text.stdout).toMatch(/^ARM +MEAN +95% CI/m);

    const badBy = await cli(['rank', '--category', CATEGORY, '--by', 'colour']);
    expect(badBy.code).toBe(2);
    expect(oneErrorLine(badBy)).toContain(
      'Expected one of: hook_type, emotion, pacing, target_audience_pain, tag.',
    );
    const fewDraws = await cli(['rank', '--category', CATEGORY, '--draws', '5']);
    expect(oneErrorLine(fewDraws)).toBe(
      'error: [VALIDATION] Invalid --draws: Too small: expected number to be >=100',
    );
    const empty = await cli(['rank', '--category', 'pets']);
    expect(empty.code).toBe(1);
    expect(oneErrorLine(empty)).toBe(
      'error: [NOT_FOUND] Category "pets" has no creatives to rank yet: ingest a benchmark or add a creative first',
    );
  });

  it('chooses -n distinct arms, the same ones again with the same --seed', async () => {
    const { cli, json } = await marketCli();
    await seedMarket(json);
    const chosen = await json<MarketArm[]>([
      'choose',
      '-n',
      '2',
      '--category',
      CATEGORY,
      '--seed',
      '3',
    ]);
    expect(chosen).toHaveLength(2);
    expect(new Set(chosen.map((arm) => arm.id)).size).toBe(2);
    const again = await json<MarketArm[]>([
      'choose',
      '-n',
      '2',
      '--category',
      CATEGORY,
      '--seed',
      '3',
    ]);
    expect(again.map((arm) => arm.id)).toEqual(chosen.map((arm) => arm.id));
    const text = await cli(['choose', '-n', '3', '--category', CATEGORY, '--by', 'emotion']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^Produce next in supplements \(2 emotion values, one Thompson draw each, highest first\):$/m,
    );
    expect(text.stdout).toMatch(/^#\s+ARM\s+MEAN\s+95% CI/m);
    const tooMany = await cli(['choose', '-n', '500', '--category', CATEGORY]);
    expect(oneErrorLine(tooMany)).toBe(
      'error: [VALIDATION] Invalid -n: Too big: expected number to be <=100',
    );
  });
});

describe('vbuckets market benchmarks and list', () => {
  it('lists benchmarks by category and every creative newest first, as tables and JSON', async () => {
    const { cli, json } = await marketCli();
    const { strong, weak, client } = await seedMarket(json);
    await json<IngestJson>(
      benchmarkArgs({ '--url': 'https://example.com/ads/7', '--category': 'language_learning' }),
    );
    const supplements = await json<Creative[]>(['benchmarks', '--category', CATEGORY]);
    expect(supplements.map((creative) => creative.id)).toEqual([weak.id, strong.id]);
    expect(await json<Creative[]>(['benchmarks'])).toHaveLength(3);
    const all = await json<Creative[]>(['list']);
    expect(all.map((creative) => creative.name)).toEqual([
      'Gut reset, day 3',
      'Bloated after lunch',
      '3 pm crash',
      'Gut reset, day 3',
    ]);
    expect(all[1]?.id).toBe(client.id);
    const clients = await json<Creative[]>(['list', '--source', 'client']);
    expect(clients.map((creative) => creative.id)).toEqual([client.id]);

    const table = await cli(['list']);
    expect(table.stdout).toMatch(/^ID +NAME +SOURCE +CATEGORY +EVIDENCE +TAGS +ANALYSIS$/m);
    expect(table.stdout).toMatch(
      new RegExp(
        `^${client.id.slice(0, 8)} +Bloated after lunch +client +supplements +14/400 conv/clicks +hook_type question +queued$`,
        'm',
      ),
    );
    const emptyDir = await marketCli();
    const none = await emptyDir.cli(['benchmarks']);
    expect(none.stdout).toMatch(
      /^No benchmarks yet\. Add one with: pnpm -s vbuckets market ingest/,
    );
  });
});

describe('vbuckets market analyze', () => {
  it('without ANTHROPIC_API_KEY fails with the SDK message and says to set it; the creative stays queued', async () => {
    const { cli, json } = await marketCli();
    const { creative } = await json<IngestJson>(benchmarkArgs({}, 'gut-reset-day-3.mov'));
    for (const flags of [[], ['--force']]) {
      const result = await cli(['analyze', creative.id.slice(0, 6), ...flags]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(oneErrorLine(result)).toBe(
        'error: [VALIDATION] No market analyzer is configured: pass analyzers.market (e.g. the Claude frame analyzer) to createVBuckets. This command has none: ANTHROPIC_API_KEY is not set (set it to analyse creatives with Claude)',
      );
    }
    expect((await json<Creative[]>(['list']))[0]?.analysisStatus).toBe('queued');
  });

  // Claude is sent frames that ffmpeg takes.
  describe.runIf(spawnSync('ffprobe', ['-version']).status === 0)(
    'with Claude (the fake Anthropic server)',
    () => {
      let server: FakeAnthropicServer;
      beforeAll(async () => {
        server = await startFakeAnthropicServer({ apiKey: 'cli-test-key' });
      });
      afterAll(async () => {
        await server.close();
      });

      it('analyses a benchmark as it is ingested, a queued creative on analyze, and any with --force', async () => {
        const env = {
          ANTHROPIC_API_KEY: 'cli-test-key',
          ANTHROPIC_BASE_URL: server.baseUrl,
          VBUCKETS_CLAUDE_MODEL: 'claude-cli-test',
        };
        const { cli, json } = await marketCli({ env });
        const before = server.requestsTo('messages').length;

        const ingested = await cli(benchmarkArgs({ '--hook': 'question' }, 'gut-reset-day-3.mov'));
        expect(ingested.code, ingested.stderr).toBe(0);
        expect(ingested.stderr).toBe(
          'Analysing "Gut reset, day 3" with Claude (claude-cli-test)…\n',
        );
        expect(ingested.stdout).toMatch(/^ {2}analysis +done by claude at \S+$/m);
        expect(ingested.stdout).toMatch(/^ {2}summary +Fake summary of /m);
        // Tags given at ingest stay; the analysis fills the empty ones.
        expect(ingested.stdout).toMatch(
          /^ {2}tags +hook_type question · emotion frustration · pacing fast · target_audience_pain no_time · tag /m,
        );
        const sent = server.requestsTo('messages').slice(before);
        expect(sent).toHaveLength(1);
        expect(sent[0]?.headers.authorization).toBe('Bearer cli-test-key');
        expect(sent[0]?.json).toMatchObject({ model: 'claude-cli-test' });
        expect(sent[0]?.images.length).toBeGreaterThanOrEqual(2);
        expect(sent[0]?.images[0]?.mediaType).toBe('image/jpeg');

        const creative = await json<Creative>([
          'add',
          join(VIDEOS, 'bloated-after-lunch.mp4'),
          '--name',
          'Bloated after lunch',
          '--category',
          CATEGORY,
        ]);
        const notQueued = await cli(['analyze', creative.id]);
        expect(notQueued.code).toBe(2);
        expect(oneErrorLine(notQueued)).toBe(
          `error: [CONFLICT] Creative "Bloated after lunch" cannot be analysed now: its analysis is none (it must be queued or failed); 'pnpm -s vbuckets market analyze ${creative.id} --force' analyses it anyway`,
        );
        await json<RecordJson>(['record', creative.id, '--clicks', '40', '--conversions', '5']);
        const analysed = await json<Creative>(['analyze', creative.id]);
        expect(analysed).toMatchObject({
          analysisStatus: 'done',
          hookType: 'problem_agitation',
          analysis: { provider: 'claude', usage: { inputTokens: expect.any(Number) } },
        });
        const forced = await json<Creative>(['analyze', 'latest', '--force']);
        expect(forced.analysisStatus).toBe('done');
        expect(forced.analyzedAt).not.toBe(analysed.analyzedAt);
        expect(server.requestsTo('messages').length - before).toBe(3);
      });

      it('keeps the benchmark when the analysis fails, marks it failed and says how to retry (exit 1)', async () => {
        const env = { ANTHROPIC_API_KEY: 'cli-test-key', ANTHROPIC_BASE_URL: server.baseUrl };
        const { cli, json } = await marketCli({ env });
        server.enqueue({ type: 'server-error', status: 500, message: 'boom' });
        const result = await cli(benchmarkArgs({}, '3pm-crash-coffee.mov'));
        expect(result.code).toBe(1);
        const [creative] = await json<Creative[]>(['list']);
        expect(creative?.analysisStatus).toBe('failed');
        expect(result.stdout).toMatch(/^ {2}analysis +failed: /m);
        expect(result.stderr).toMatch(
          new RegExp(
            `^error: \\[PROVIDER\\] The analysis of "Gut reset, day 3" failed: .*boom.*\\. The benchmark is stored; retry the analysis with: pnpm -s vbuckets market analyze ${creative?.id}$`,
            'm',
          ),
        );
        const retried = await json<Creative>(['analyze', 'latest']);
        expect(retried.analysisStatus).toBe('done');
      });
    },
  );
});

describe('vbuckets market on PostgreSQL', () => {
  const { url: postgresUrl, schema } = temporaryPostgresSchema('market');

  it('runs the main flow: ingest once per URL, add, record once per key, rank', async () => {
    const { cli, json } = await marketCli({
      globalArgs: ['--database-url', postgresUrl, '--database-schema', schema],
    });
    const { strong, client } = await seedMarket(json);
    expect((await json<IngestJson>(benchmarkArgs())).created).toBe(false);
    const repeat = ['record', client.id, '--clicks', '10', '--conversions', '1', '--key', 'k'];
    expect((await json<RecordJson>(repeat)).applied).toBe(true);
    expect((await json<RecordJson>(repeat)).applied).toBe(false);
    const ranking = await json<MarketRanking>(['rank', '--category', CATEGORY, '--seed', '7']);
    expect(ranking.arms).toHaveLength(3);
    expect(ranking.arms.reduce((sum, arm) => sum + arm.pBest, 0)).toBeCloseTo(1, 10);
    expect(ranking.arms.find((arm) => arm.id === client.id)?.evidence).toMatchObject({
      clientClicks: 410,
      clientConversions: 15,
    });
    expect(ranking.arms.find((arm) => arm.id === strong.id)?.posterior).toEqual({
      alpha: 101,
      beta: 1901,
    });

    const rows = new pg.Client({ connectionString: postgresUrl });
    await rows.connect();
    try {
      const stored = await rows.query(`select count(*)::int as count from ${schema}.creatives`);
      expect(stored.rows).toEqual([{ count: 3 }]);
    } finally {
      await rows.end();
    }
    const text = await cli(['rank', '--category', CATEGORY, '--by', 'hook_type']);
    expect(text.code, text.stderr).toBe(0);
  });
});
