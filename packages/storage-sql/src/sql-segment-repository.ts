import {
  conflictError,
  notFoundError,
  type Scope,
  type Segment,
  SegmentTypeSchema,
  SocialPlatformSchema,
  type SocialUsage,
  type VBucketsError,
} from '@vbuckets/core';
import {
  engagementRate,
  listPostedFilterError,
  pageRequestError,
  parseUsageKey,
  type SegmentFilter,
  type SegmentOrder,
  type SegmentRepository,
  type SegmentUsageTotals,
  type SocialUsageRef,
  segmentAnalyticsError,
  segmentFilterError,
  segmentInputError,
  segmentOrderError,
  segmentPatchError,
  socialUsageUpsertError,
  withErrorSource,
} from '@vbuckets/core/adapter-kit';
import {
  type Kysely,
  type RawBuilder,
  type Selectable,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
  type Updateable,
} from 'kysely';
import { errAsync } from 'neverthrow';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import { keysetPage, type SqlOrderKey } from './sql-page';
import type {
  SegmentsTable,
  SocialUsageTable,
  SqlDatabase,
  SqlInteger,
  SqlTimestamp,
} from './sql-schema';
import { toNullableNumber, toNumber, toStringArray } from './sql-values';

type Db = Kysely<SqlDatabase>;
type SegmentQuery<O> = SelectQueryBuilder<SqlDatabase, 'segments', O>;

/** Ids per `in (…)` list, well under both databases' bound-parameter limits. */
const ID_CHUNK = 500;

function toRow(segment: Segment, dialect: SqlDialectAdapter): SegmentsTable {
  return {
    id: segment.id,
    org_id: segment.orgId,
    owner_id: segment.ownerId,
    video_id: segment.videoId,
    segment_type: segment.segmentType,
    segment_number: segment.segmentNumber,
    blob_key: segment.blobKey,
    duration_sec: segment.durationSec,
    size_bytes: segment.sizeBytes,
    content_type: segment.contentType,
    title: segment.title,
    description: segment.description,
    tags: dialect.encodeJson(segment.tags),
    created_at: dialect.encodeTimestamp(segment.createdAt),
    updated_at: dialect.encodeTimestamp(segment.updatedAt),
  };
}

const nullableTimestamp = (dialect: SqlDialectAdapter, value: SqlTimestamp | null) =>
  value === null ? null : dialect.decodeTimestamp(value);

function usageFromRow(row: Selectable<SocialUsageTable>, dialect: SqlDialectAdapter): SocialUsage {
  return {
    platform: SocialPlatformSchema.parse(row.platform),
    postId: row.post_id,
    postUrl: row.post_url,
    postedAt: nullableTimestamp(dialect, row.posted_at),
    views: toNumber(row.views),
    likes: toNumber(row.likes),
    shares: toNumber(row.shares),
    comments: toNumber(row.comments),
    clicks: toNullableNumber(row.clicks),
    conversions: toNullableNumber(row.conversions),
    engagementRate: toNullableNumber(row.engagement_rate),
    lastSyncedAt: nullableTimestamp(dialect, row.last_synced_at),
    uploadId: row.upload_id,
  };
}

function usageToRow(
  orgId: string,
  segmentId: string,
  usage: SocialUsage,
  dialect: SqlDialectAdapter,
): SocialUsageTable {
  const encode = (value: string | null) => (value === null ? null : dialect.encodeTimestamp(value));
  return {
    org_id: orgId,
    segment_id: segmentId,
    platform: usage.platform,
    post_id: usage.postId,
    post_url: usage.postUrl,
    posted_at: encode(usage.postedAt),
    views: usage.views,
    likes: usage.likes,
    shares: usage.shares,
    comments: usage.comments,
    clicks: usage.clicks,
    conversions: usage.conversions,
    // The store's own rate, from the counts it keeps (seed 004's formula).
    engagement_rate: engagementRate(usage),
    last_synced_at: encode(usage.lastSyncedAt),
    upload_id: usage.uploadId,
  };
}

function fromRow(
  row: Selectable<SegmentsTable>,
  usage: SocialUsage[],
  dialect: SqlDialectAdapter,
): Segment {
  return {
    id: row.id,
    orgId: row.org_id,
    ownerId: row.owner_id,
    videoId: row.video_id,
    segmentType: SegmentTypeSchema.parse(row.segment_type),
    segmentNumber: toNumber(row.segment_number),
    blobKey: row.blob_key,
    durationSec: toNumber(row.duration_sec),
    sizeBytes: toNumber(row.size_bytes),
    contentType: row.content_type,
    title: row.title,
    description: row.description,
    tags: toStringArray(dialect.decodeJson(row.tags)),
    socialUsage: usage,
    createdAt: dialect.decodeTimestamp(row.created_at),
    updatedAt: dialect.decodeTimestamp(row.updated_at),
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += ID_CHUNK) {
    result.push(items.slice(start, start + ID_CHUNK));
  }
  return result;
}

/**
 * Segments on SQL (both dialects). Every filter, order, page and sum is computed by the
 * database; the only per-page extra is one read of the page's usage rows. Writes of a
 * segment's rows (segment, tags, usage) are one transaction; `ensure` and `upsertUsage` are
 * single INSERT … ON CONFLICT statements, so the database decides races.
 */
export function createSqlSegmentRepository(executor: SqlExecutor): SegmentRepository {
  const { dialect } = executor;
  const text = (column: string) => dialect.orderableText(column);
  const where = (operation: string) => ({ adapter: dialect.name, operation });
  const refused = (error: VBucketsError, operation: string) =>
    errAsync(withErrorSource(error, where(operation)));
  const missing = (operation: string, id: string) =>
    notFoundError(`No segment "${id}"`, {
      ...where(operation),
      details: { entity: 'segment', id },
    });
  const missingVideo = (operation: string, id: string) =>
    notFoundError(`No video "${id}"`, {
      ...where(operation),
      details: { entity: 'video', id },
    });
  const placeMessage = (place: Pick<Segment, 'videoId' | 'segmentType' | 'segmentNumber'>) =>
    `Video "${place.videoId}" already has ${place.segmentType} segment number ${place.segmentNumber}`;

  const owned = (db: Db, scope: Scope, id: string) =>
    db
      .selectFrom('segments')
      .selectAll('segments')
      .where('segments.org_id', '=', scope.orgId)
      .where('segments.id', '=', id);

  /** The usage rows of these segments, by segment id, each list in platform order. */
  async function usageOf(
    db: Db,
    orgId: string,
    segmentIds: readonly string[],
  ): Promise<Map<string, SocialUsage[]>> {
    const bySegment = new Map<string, SocialUsage[]>();
    for (const ids of chunks([...new Set(segmentIds)])) {
      const rows = await db
        .selectFrom('social_usage')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('segment_id', 'in', ids)
        .orderBy(text('platform'))
        .execute();
      for (const row of rows) {
        const list = bySegment.get(row.segment_id) ?? [];
        list.push(usageFromRow(row, dialect));
        bySegment.set(row.segment_id, list);
      }
    }
    return bySegment;
  }

  async function withUsage(db: Db, rows: Selectable<SegmentsTable>[]): Promise<Segment[]> {
    const first = rows[0];
    if (first === undefined) return [];
    const usage = await usageOf(
      db,
      first.org_id,
      rows.map((row) => row.id),
    );
    return rows.map((row) => fromRow(row, usage.get(row.id) ?? [], dialect));
  }

  const load = async (db: Db, row: Selectable<SegmentsTable>) => (await withUsage(db, [row]))[0]!;

  async function requireVideo(db: Db, orgId: string, videoId: string, operation: string) {
    const video = await db
      .selectFrom('videos')
      .select('id')
      .where('org_id', '=', orgId)
      .where('id', '=', videoId)
      .executeTakeFirst();
    if (video === undefined) throw missingVideo(operation, videoId);
  }

  async function writeTags(db: Db, orgId: string, segmentId: string, tags: readonly string[]) {
    await db
      .deleteFrom('segment_tags')
      .where('org_id', '=', orgId)
      .where('segment_id', '=', segmentId)
      .execute();
    for (const part of chunks(tags)) {
      await db
        .insertInto('segment_tags')
        .values(part.map((tag) => ({ org_id: orgId, segment_id: segmentId, tag })))
        .execute();
    }
  }

  /** The rest of a new segment's rows: its tags and usage, in the insert's transaction. */
  async function writeChildren(db: Db, segment: Segment) {
    await writeTags(db, segment.orgId, segment.id, segment.tags);
    if (segment.socialUsage.length > 0) {
      await db
        .insertInto('social_usage')
        .values(
          segment.socialUsage.map((usage) => usageToRow(segment.orgId, segment.id, usage, dialect)),
        )
        .execute();
    }
  }

  // Correlated subqueries are Kysely queries embedded in the fragments, so that PostgreSQL's
  // withSchema qualifies their tables; the outer `segments` is referred to by name.
  const usageRows = (db: Db, platform?: string) => {
    const rows = db
      .selectFrom('social_usage as f')
      .select(sql`1`.as('one'))
      .where(sql<SqlBool>`f.org_id = segments.org_id and f.segment_id = segments.id`);
    return platform === undefined ? rows : rows.where('f.platform', '=', platform);
  };

  /** The filter as conditions on `segments`; every one served by an index (see the migration). */
  function filtered<O>(
    db: Db,
    query: SegmentQuery<O>,
    scope: Scope,
    filter: SegmentFilter,
  ): SegmentQuery<O> {
    let kept = query.where('segments.org_id', '=', scope.orgId);
    if (filter.ownerId !== undefined) kept = kept.where('segments.owner_id', '=', filter.ownerId);
    if (filter.videoId !== undefined) kept = kept.where('segments.video_id', '=', filter.videoId);
    if (filter.segmentType !== undefined) {
      kept = kept.where('segments.segment_type', '=', filter.segmentType);
    }
    if (filter.minDurationSec !== undefined) {
      kept = kept.where('segments.duration_sec', '>=', filter.minDurationSec);
    }
    if (filter.maxDurationSec !== undefined) {
      kept = kept.where('segments.duration_sec', '<=', filter.maxDurationSec);
    }
    const tags = [...new Set(filter.tags ?? [])];
    if (tags.length > 0) {
      // Every given tag: the segments with as many matching tag rows as tags asked for.
      kept = kept.where(
        'segments.id',
        'in',
        db
          .selectFrom('segment_tags')
          .select('segment_tags.segment_id')
          .where('segment_tags.org_id', '=', scope.orgId)
          .where('segment_tags.tag', 'in', tags)
          .groupBy('segment_tags.segment_id')
          .having((eb) => eb.fn.countAll(), '=', tags.length),
      );
    }
    if (filter.hasSocialMedia !== undefined) {
      const hasUsage = filter.hasSocialMedia;
      kept = kept.where((eb) =>
        hasUsage ? eb.exists(usageRows(db)) : eb.not(eb.exists(usageRows(db))),
      );
    }
    const platform = filter.platform;
    if (platform !== undefined) kept = kept.where((eb) => eb.exists(usageRows(db, platform)));
    return kept;
  }

  /** The list order's keys: the sort column or sum, then the id, all in one direction. */
  function orderKeys(db: Db, order: SegmentOrder): SqlOrderKey[] {
    const descending = order.sortOrder !== 'asc';
    const sumOf = (expression: string) => {
      const total = db
        .selectFrom('social_usage as v')
        .select(sql`sum(${sql.raw(expression)})`.as('total'))
        .where(sql<SqlBool>`v.org_id = segments.org_id and v.segment_id = segments.id`);
      return sql`coalesce((${total}), 0)`;
    };
    const first = (() => {
      switch (order.sortBy ?? 'createdAt') {
        case 'createdAt':
          return sql`segments.created_at`;
        case 'durationSec':
          return sql`segments.duration_sec`;
        case 'views':
          return sumOf('v.views');
        case 'engagement':
          return sumOf('v.likes + v.shares + v.comments');
      }
    })();
    return [
      { expression: first, descending },
      { expression: text('segments.id'), descending },
    ];
  }

  return {
    insert: (segment) => {
      const operation = 'segments.insert';
      const invalid = segmentInputError(segment);
      if (invalid !== undefined) return refused(invalid, operation);
      return executor.write(
        {
          operation,
          conflictMessage: `A segment with id "${segment.id}" already exists, or ${placeMessage(segment).replace(/^V/, 'v')}`,
          foreignKey: { code: 'NOT_FOUND', message: `No video "${segment.videoId}"` },
        },
        async (db) => {
          await requireVideo(db, segment.orgId, segment.videoId, operation);
          // Named conflicts when visible; the constraints decide the races either way.
          const taken = await owned(db, { orgId: segment.orgId }, segment.id).executeTakeFirst();
          if (taken !== undefined) {
            throw conflictError(`A segment with id "${segment.id}" already exists`, {
              ...where(operation),
              details: { id: segment.id },
            });
          }
          const occupied = await db
            .selectFrom('segments')
            .select('id')
            .where('org_id', '=', segment.orgId)
            .where('video_id', '=', segment.videoId)
            .where('segment_type', '=', segment.segmentType)
            .where('segment_number', '=', segment.segmentNumber)
            .executeTakeFirst();
          if (occupied !== undefined) {
            throw conflictError(placeMessage(segment), {
              ...where(operation),
              details: { id: segment.id, existingId: occupied.id },
            });
          }
          const row = await db
            .insertInto('segments')
            .values(toRow(segment, dialect))
            .returningAll()
            .executeTakeFirstOrThrow();
          await writeChildren(db, segment);
          return load(db, row);
        },
      );
    },

    ensure: (segment) => {
      const operation = 'segments.ensure';
      const invalid = segmentInputError(segment);
      if (invalid !== undefined) return refused(invalid, operation);
      return executor.write(
        {
          operation,
          conflictMessage: `A segment with id "${segment.id}" already exists`,
          foreignKey: { code: 'NOT_FOUND', message: `No video "${segment.videoId}"` },
        },
        async (db) => {
          const place = () =>
            db
              .selectFrom('segments')
              .selectAll()
              .where('org_id', '=', segment.orgId)
              .where('video_id', '=', segment.videoId)
              .where('segment_type', '=', segment.segmentType)
              .where('segment_number', '=', segment.segmentNumber);
          await requireVideo(db, segment.orgId, segment.videoId, operation);
          // One statement: of concurrent callers one inserts, the others wait for it (the
          // unique index) and insert nothing; a taken id is still a CONFLICT.
          const inserted = await db
            .insertInto('segments')
            .values(toRow(segment, dialect))
            .onConflict((conflict) =>
              conflict
                .columns(['org_id', 'video_id', 'segment_type', 'segment_number'])
                .doNothing(),
            )
            .returningAll()
            .executeTakeFirst();
          if (inserted !== undefined) {
            await writeChildren(db, segment);
            return { segment: await load(db, inserted), created: true };
          }
          const existing = await place().executeTakeFirst();
          if (existing === undefined) {
            throw conflictError('The segment in this place was deleted while ensuring it', {
              ...where(operation),
              retryable: true,
            });
          }
          return { segment: await load(db, existing), created: false };
        },
      );
    },

    get: (scope, id) =>
      executor.read({ operation: 'segments.get' }, async (db) => {
        const row = await executor.lockRows(owned(db, scope, id)).executeTakeFirst();
        if (row === undefined) throw missing('segments.get', id);
        return load(db, row);
      }),

    list: (scope, filter = {}, order = {}, page = undefined) => {
      const operation = 'segments.list';
      const invalid =
        segmentFilterError(filter) ?? segmentOrderError(order) ?? pageRequestError(page);
      if (invalid !== undefined) return refused(invalid, operation);
      return executor.read({ operation }, async (db) => {
        const query = filtered(db, db.selectFrom('segments').selectAll('segments'), scope, filter);
        const paged = await keysetPage(query, {
          dialect,
          operation,
          keys: orderKeys(db, order),
          page,
          idColumn: 'segments.id',
        });
        return withUsage(db, await paged.execute());
      });
    },

    update: (scope, id, patch) => {
      const operation = 'segments.update';
      const invalid = segmentPatchError(patch);
      if (invalid !== undefined) return refused(invalid, operation);
      return executor.write(
        {
          operation,
          conflictMessage: `Segment "${id}" cannot move there: the video already has a segment of that type and number`,
        },
        async (db) => {
          const set: Updateable<SegmentsTable> = {
            updated_at: dialect.encodeTimestamp(patch.updatedAt),
          };
          if (patch.segmentType !== undefined) set.segment_type = patch.segmentType;
          if (patch.segmentNumber !== undefined) set.segment_number = patch.segmentNumber;
          if (patch.title !== undefined) set.title = patch.title;
          if (patch.description !== undefined) set.description = patch.description;
          if (patch.tags !== undefined) set.tags = dialect.encodeJson(patch.tags);
          const row = await db
            .updateTable('segments')
            .set(set)
            .where('org_id', '=', scope.orgId)
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirst();
          if (row === undefined) throw missing(operation, id);
          if (patch.tags !== undefined) await writeTags(db, scope.orgId, id, patch.tags);
          return load(db, row);
        },
      );
    },

    // The usage and tag rows go with the segment (ON DELETE CASCADE); they are read first,
    // under the row lock, to return what was deleted.
    delete: (scope, id) =>
      executor.write({ operation: 'segments.delete' }, async (db) => {
        const row = await dialect.lockForUpdate(owned(db, scope, id)).executeTakeFirst();
        if (row === undefined) throw missing('segments.delete', id);
        const segment = await load(db, row);
        await db
          .deleteFrom('segments')
          .where('org_id', '=', scope.orgId)
          .where('id', '=', id)
          .execute();
        return segment;
      }),

    // The segment's updated_at is set first, which also locks its row (PostgreSQL) for the
    // rest of the transaction; the usage row is then one INSERT … ON CONFLICT DO UPDATE that
    // sets only the fields given, so concurrent upserts of one (segment, platform) each apply
    // whole and leave one row. The rate is the store's, from the counts the row ends with:
    // the metrics replace all counts together, so it is the rate of the given metrics, or
    // unchanged when none are given.
    upsertUsage: (scope, change) => {
      const operation = 'segments.upsertUsage';
      const invalid = socialUsageUpsertError(change);
      if (invalid !== undefined) return refused(invalid, operation);
      return executor.write({ operation }, async (db) => {
        const segment = await db
          .updateTable('segments')
          .set({ updated_at: dialect.encodeTimestamp(change.now) })
          .where('org_id', '=', scope.orgId)
          .where('id', '=', change.segmentId)
          .returningAll()
          .executeTakeFirst();
        if (segment === undefined) throw missing(operation, change.segmentId);
        const metrics = change.metrics;
        const row = usageToRow(
          scope.orgId,
          change.segmentId,
          {
            platform: change.platform,
            postId: change.postId ?? null,
            postUrl: change.postUrl ?? null,
            postedAt: change.postedAt ?? null,
            views: metrics?.views ?? 0,
            likes: metrics?.likes ?? 0,
            shares: metrics?.shares ?? 0,
            comments: metrics?.comments ?? 0,
            clicks: metrics?.clicks ?? null,
            conversions: metrics?.conversions ?? null,
            engagementRate: null,
            lastSyncedAt: change.lastSyncedAt ?? null,
            uploadId: change.uploadId ?? null,
          },
          dialect,
        );
        const given: Array<keyof SocialUsageTable> = [];
        if (change.postId !== undefined) given.push('post_id');
        if (change.postUrl !== undefined) given.push('post_url');
        if (change.postedAt !== undefined) given.push('posted_at');
        if (change.uploadId !== undefined) given.push('upload_id');
        if (change.lastSyncedAt !== undefined) given.push('last_synced_at');
        if (metrics !== undefined) {
          given.push(
            'views',
            'likes',
            'shares',
            'comments',
            'clicks',
            'conversions',
            'engagement_rate',
          );
        }
        await db
          .insertInto('social_usage')
          .values(row)
          .onConflict((conflict) => {
            const target = conflict.columns(['org_id', 'segment_id', 'platform']);
            if (given.length === 0) return target.doNothing();
            return target.doUpdateSet(
              Object.fromEntries(
                given.map((column) => [column, sql.ref(`excluded.${column}`)]),
              ) as never,
            );
          })
          .execute();
        return load(db, segment);
      });
    },

    deleteUsage: (scope, segmentId, platform) =>
      executor.write({ operation: 'segments.deleteUsage' }, async (db) => {
        const operation = 'segments.deleteUsage';
        const segment = await dialect.lockForUpdate(owned(db, scope, segmentId)).executeTakeFirst();
        if (segment === undefined) throw missing(operation, segmentId);
        const deleted = await db
          .deleteFrom('social_usage')
          .where('org_id', '=', scope.orgId)
          .where('segment_id', '=', segmentId)
          .where('platform', '=', platform)
          .executeTakeFirst();
        if (deleted.numDeletedRows === 0n) {
          throw notFoundError(`Segment "${segmentId}" has no usage on ${platform}`, {
            ...where(operation),
            details: { entity: 'socialUsage', segmentId, platform },
          });
        }
        return load(db, segment);
      }),

    listPosted: (scope, filter) => {
      const operation = 'segments.listPosted';
      const invalid = listPostedFilterError(filter);
      if (invalid !== undefined) return refused(invalid, operation);
      if (filter.segmentIds?.length === 0 || filter.platforms?.length === 0) {
        return executor.read({ operation }, async () => [] as SocialUsageRef[]);
      }
      return executor.read({ operation }, async (db) => {
        let query = db
          .selectFrom('social_usage as u')
          .innerJoin('segments as s', (join) =>
            join.onRef('s.org_id', '=', 'u.org_id').onRef('s.id', '=', 'u.segment_id'),
          )
          .select(['u.segment_id', 's.video_id', 'u.platform', 'u.post_id', 'u.last_synced_at'])
          .where('u.org_id', '=', scope.orgId)
          .where('u.post_id', 'is not', null);
        if (filter.segmentIds !== undefined) {
          query = query.where('u.segment_id', 'in', [...filter.segmentIds]);
        }
        if (filter.platforms !== undefined) {
          query = query.where('u.platform', 'in', [...filter.platforms]);
        }
        if (filter.syncedBefore !== undefined) {
          const before = dialect.encodeTimestamp(filter.syncedBefore);
          query = query.where((eb) =>
            eb.or([eb('u.last_synced_at', 'is', null), eb('u.last_synced_at', '<', before)]),
          );
        }
        const after = filter.after === undefined ? undefined : parseUsageKey(filter.after);
        if (after !== undefined) {
          // A position, not a row: rows a sync has moved out of the filter leave no gap.
          query = query.where(
            sql<SqlBool>`(${text('u.segment_id')}, ${text('u.platform')}) > (${after.segmentId}, ${after.platform})`,
          );
        }
        query = query.orderBy(text('u.segment_id')).orderBy(text('u.platform'));
        if (filter.limit !== undefined) query = query.limit(filter.limit);
        return (await query.execute()).map(
          (row): SocialUsageRef => ({
            segmentId: row.segment_id,
            videoId: row.video_id,
            platform: SocialPlatformSchema.parse(row.platform),
            postId: row.post_id ?? '',
            lastSyncedAt: nullableTimestamp(dialect, row.last_synced_at),
          }),
        );
      });
    },

    // One grouped query: the kept segments with their group key (a derived table), their usage
    // rows joined (only the filter's platform when it names one), sums per key.
    analytics: (scope, groupBy, filter = {}) => {
      const operation = 'segments.analytics';
      const invalid = segmentAnalyticsError(groupBy, filter);
      if (invalid !== undefined) return refused(invalid, operation);
      return executor.read({ operation }, async (db) => {
        const base = filtered(db, db.selectFrom('segments'), scope, filter);
        // The bucket of the video's newest categorized row in the product (created_at, then id).
        const newestBucket = db
          .selectFrom('categorizations as c')
          .select('c.bucket_name')
          .where('c.product_id', '=', filter.productId ?? '')
          .where('c.status', '=', 'categorized')
          .where(sql<SqlBool>`c.org_id = segments.org_id and c.video_id = segments.video_id`)
          .orderBy('c.created_at', 'desc')
          .orderBy(text('c.id'), 'desc')
          .limit(1);
        const keyed = (() => {
          switch (groupBy) {
            case 'tag':
              return base
                .innerJoin('segment_tags as t', (join) =>
                  join
                    .onRef('t.org_id', '=', 'segments.org_id')
                    .onRef('t.segment_id', '=', 'segments.id'),
                )
                .select(['segments.org_id', 'segments.id as segment_id', 't.tag as key']);
            case 'video':
              return base.select([
                'segments.org_id',
                'segments.id as segment_id',
                'segments.video_id as key',
              ]);
            case 'bucket':
              return base.select([
                'segments.org_id',
                'segments.id as segment_id',
                sql<string | null>`(${newestBucket})`.as('key'),
              ]);
            case 'platform':
              return base.select([
                'segments.org_id',
                'segments.id as segment_id',
                sql<string | null>`null`.as('key'),
              ]);
          }
        })();
        const platformGroups = groupBy === 'platform';
        const key = platformGroups ? sql<string | null>`u.platform` : sql<string | null>`k.key`;
        // With a platform filter only that platform's rows are summed.
        const platform = filter.platform;
        const joined = platformGroups
          ? db.selectFrom(keyed.as('k')).innerJoin('social_usage as u', (join) => {
              const on = join
                .onRef('u.org_id', '=', 'k.org_id')
                .onRef('u.segment_id', '=', 'k.segment_id');
              return platform === undefined ? on : on.on('u.platform', '=', platform);
            })
          : db.selectFrom(keyed.as('k')).leftJoin('social_usage as u', (join) => {
              const on = join
                .onRef('u.org_id', '=', 'k.org_id')
                .onRef('u.segment_id', '=', 'k.segment_id');
              return platform === undefined ? on : on.on('u.platform', '=', platform);
            });
        const grouped = joined
          .select((eb) => [
            key.as('key'),
            eb.fn.count<SqlInteger>('u.segment_id').distinct().as('segments'),
            eb.fn.coalesce(eb.fn.sum<SqlInteger>('u.views'), eb.lit(0)).as('views'),
            eb.fn.coalesce(eb.fn.sum<SqlInteger>('u.likes'), eb.lit(0)).as('likes'),
            eb.fn.coalesce(eb.fn.sum<SqlInteger>('u.shares'), eb.lit(0)).as('shares'),
            eb.fn.coalesce(eb.fn.sum<SqlInteger>('u.comments'), eb.lit(0)).as('comments'),
            eb.fn.sum<SqlInteger | null>('u.clicks').as('clicks'),
            eb.fn.sum<SqlInteger | null>('u.conversions').as('conversions'),
          ])
          .groupBy(key)
          .orderBy(sql`case when ${key} is null then 1 else 0 end`)
          .orderBy(dialect.orderableText(key as RawBuilder<string>));
        return (await grouped.execute()).map(
          (row): SegmentUsageTotals => ({
            key: row.key,
            segments: toNumber(row.segments),
            views: toNumber(row.views),
            likes: toNumber(row.likes),
            shares: toNumber(row.shares),
            comments: toNumber(row.comments),
            clicks: toNullableNumber(row.clicks),
            conversions: toNullableNumber(row.conversions),
          }),
        );
      });
    },
  };
}
