import { describe, expect, it } from 'vitest';
import {
  createPostgresDialectAdapter,
  createSqliteDialectAdapter,
  createSqlStore,
} from '../src/index';
import { createRecordingDatabase, type RecordedQuery } from './recording-dialect';

const scope = { orgId: 'org-1' };
const at = '2026-02-18T10:00:00.000Z';

/** A creatives row as PostgreSQL returns it. */
function creativeRow(counts: { clicks: number; conversions: number }) {
  return {
    id: 'c-1',
    org_id: 'org-1',
    owner_id: null,
    name: 'Winner',
    product_category: 'fitness',
    source: 'client',
    is_public: false,
    video_id: null,
    source_platform: null,
    source_url: null,
    market_cvr: null,
    market_longevity_days: null,
    avg_daily_clicks: null,
    hook_type: null,
    emotion: null,
    pacing: null,
    target_audience_pain: null,
    extra_tags: [],
    impressions: '0',
    clicks: String(counts.clicks),
    conversions: String(counts.conversions),
    analysis_status: 'none',
    analysis: null,
    analysis_error: null,
    analyzed_at: null,
    created_at: new Date(at),
    updated_at: new Date(at),
  };
}

const statements = (queries: RecordedQuery[]) =>
  queries.map((query) => query.sql).filter((sql) => !/^(begin|commit)/.test(sql));

describe('the market SQL', () => {
  it('records performance as a key insert and one UPDATE … SET clicks = clicks + ?, reading nothing first', async () => {
    const { db, queries } = createRecordingDatabase('postgres', (query) =>
      query.sql.startsWith('insert')
        ? [{ idempotency_key: 'k' }]
        : [creativeRow({ clicks: 7, conversions: 3 })],
    );
    const store = createSqlStore({ db, dialect: createPostgresDialectAdapter() });

    const result = await store.creatives.recordPerformance(
      scope,
      'c-1',
      { impressions: 10, clicks: 2, conversions: 1 },
      { idempotencyKey: 'k', at },
    );

    expect(result.isOk() && [result.value.applied, result.value.conversionsBefore]).toEqual([
      true,
      2,
    ]);
    expect(statements(queries)).toEqual([
      'insert into "creative_performance_keys" ("org_id", "creative_id", "idempotency_key", "recorded_at") values ($1, $2, $3, $4) on conflict ("org_id", "creative_id", "idempotency_key") do nothing returning "idempotency_key"',
      'update "creatives" set "impressions" = "impressions" + $1, "clicks" = "clicks" + $2, "conversions" = "conversions" + $3, "updated_at" = $4 where "org_id" = $5 and "id" = $6 returning *',
    ]);
    await store.close();
  });

  it('adds evidence with one upsert per row that increments in the database', async () => {
    for (const [flavour, dialect] of [
      ['postgres', createPostgresDialectAdapter()],
      ['sqlite', createSqliteDialectAdapter()],
    ] as const) {
      const { db, queries } = createRecordingDatabase(flavour);
      const store = createSqlStore({ db, dialect });
      const row = (value: string) => ({
        id: `p-${value}`,
        key: {
          productCategory: 'fitness',
          dimension: 'hookType' as const,
          value,
          source: 'client' as const,
        },
        evidence: {
          alpha: 1,
          beta: 2,
          clicks: 3,
          conversions: 1,
          weight: 1,
          marketLongevityDays: null,
        },
      });

      expect((await store.patterns.addEvidence(scope, [row('b'), row('a')], at)).isOk()).toBe(true);

      const sent = statements(queries);
      expect(sent).toHaveLength(2);
      for (const sql of sent) {
        expect(sql).toMatch(/^insert into "pattern_performance" /);
        expect(sql).toContain(
          'on conflict ("org_id", "product_category", "dimension", "value", "source") do update set "weight" = "excluded"."weight", "alpha" = "pattern_performance"."alpha" + ',
        );
      }
      // Rows go in key order, whatever order the caller gave, so concurrent calls lock alike.
      expect(
        queries
          .filter((query) => query.sql.startsWith('insert'))
          .map((query) => query.parameters[4]),
      ).toEqual(['a', 'b']);
      await store.close();
    }
  });

  it('inserts a creative with ON CONFLICT (org_id, source_url) DO NOTHING', async () => {
    const { db, queries } = createRecordingDatabase('postgres', () => [
      creativeRow({ clicks: 0, conversions: 0 }),
    ]);
    const store = createSqlStore({ db, dialect: createPostgresDialectAdapter() });
    const row = creativeRow({ clicks: 0, conversions: 0 });

    void (await store.creatives.insert({
      id: row.id,
      orgId: row.org_id,
      ownerId: null,
      name: row.name,
      productCategory: row.product_category,
      source: 'client',
      isPublic: false,
      videoId: null,
      sourcePlatform: null,
      sourceUrl: 'https://ads.example/1',
      marketCvr: null,
      marketLongevityDays: null,
      avgDailyClicks: null,
      hookType: null,
      emotion: null,
      pacing: null,
      targetAudiencePain: null,
      extraTags: [],
      impressions: 0,
      clicks: 0,
      conversions: 0,
      analysisStatus: 'none',
      analysis: null,
      analysisError: null,
      analyzedAt: null,
      createdAt: at,
      updatedAt: at,
    }));

    expect(statements(queries)[0]).toMatch(
      /^insert into "creatives" .* on conflict \("org_id", "source_url"\) do nothing returning \*$/,
    );
    await store.close();
  });
});
