import {
  conflictError,
  notFoundError,
  type PageRequest,
  type Scope,
  type Video,
  validationError,
} from '@vbuckets/core';
import type { VideoPatch, VideoRepository } from '@vbuckets/core/adapter-kit';
import type { SelectQueryBuilder, Updateable } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlExecutor } from './sql-executor';
import { keysetPage, orderKey } from './sql-page';
import type { SqlDatabase, VideosTable } from './sql-schema';
import { toNullableNumber, toNumber } from './sql-values';

function toRow(video: Video, dialect: SqlDialectAdapter): VideosTable {
  return {
    id: video.id,
    org_id: video.orgId,
    owner_id: video.ownerId,
    title: video.title,
    filename: video.filename,
    blob_key: video.blobKey,
    sha256: video.sha256,
    size_bytes: video.sizeBytes,
    mime_type: video.mimeType,
    duration_sec: video.durationSec,
    duplicate_allowed: dialect.encodeBoolean(video.duplicateAllowed),
    visibility: video.visibility,
    product_category: video.productCategory,
    content_sha256: video.sha256,
    created_at: dialect.encodeTimestamp(video.createdAt),
  };
}

function fromRow(row: VideosTable, dialect: SqlDialectAdapter): Video {
  return {
    id: row.id,
    orgId: row.org_id,
    ownerId: row.owner_id,
    title: row.title,
    filename: row.filename,
    blobKey: row.blob_key,
    sha256: row.sha256,
    sizeBytes: toNumber(row.size_bytes),
    mimeType: row.mime_type,
    durationSec: toNullableNumber(row.duration_sec),
    duplicateAllowed: dialect.decodeBoolean(row.duplicate_allowed),
    visibility: row.visibility,
    productCategory: row.product_category,
    createdAt: dialect.decodeTimestamp(row.created_at),
  };
}

function patchToRow(patch: VideoPatch, dialect: SqlDialectAdapter): Updateable<VideosTable> {
  const row: Updateable<VideosTable> = {};
  if (patch.title !== undefined) row.title = patch.title;
  if (patch.duplicateAllowed !== undefined) {
    row.duplicate_allowed = dialect.encodeBoolean(patch.duplicateAllowed);
  }
  if (patch.durationSec !== undefined) row.duration_sec = patch.durationSec;
  if (patch.visibility !== undefined) row.visibility = patch.visibility;
  if (patch.productCategory !== undefined) row.product_category = patch.productCategory;
  return row;
}

function checkPage(
  dialect: SqlDialectAdapter,
  operation: string,
  value: number | undefined,
  name: string,
): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw validationError(`${name} must be a non-negative integer`, {
      path: name,
      adapter: dialect.name,
      operation,
    });
  }
}

/** Newest first, ties by id in code-point order; then the page: by offset, or by keyset. */
function page<O>(
  dialect: SqlDialectAdapter,
  operation: string,
  query: SelectQueryBuilder<SqlDatabase, 'videos', O>,
  options: PageRequest & { offset?: number },
): Promise<SelectQueryBuilder<SqlDatabase, 'videos', O>> {
  if (options.offset === undefined) {
    return keysetPage(query, {
      dialect,
      operation,
      keys: [orderKey('created_at', true), { expression: dialect.orderableText('id') }],
      page: options,
    });
  }
  checkPage(dialect, operation, options.limit, 'limit');
  checkPage(dialect, operation, options.offset, 'offset');
  if (options.after !== undefined) {
    throw validationError('Give offset or after, not both', {
      path: 'offset',
      adapter: dialect.name,
      operation,
    });
  }
  // SQLite accepts OFFSET only after a LIMIT; the largest safe integer means "no limit" in both.
  return Promise.resolve(
    query
      .orderBy('created_at', 'desc')
      .orderBy(dialect.orderableText('id'))
      .limit(options.limit ?? Number.MAX_SAFE_INTEGER)
      .offset(options.offset),
  );
}

/** Registered videos on SQL. */
export function createSqlVideoRepository(executor: SqlExecutor): VideoRepository {
  const { dialect } = executor;
  const missing = (operation: string, id: string) =>
    notFoundError(`No video "${id}"`, {
      adapter: dialect.name,
      operation,
      details: { entity: 'video', id },
    });

  return {
    insert: (video) =>
      executor.write(
        {
          operation: 'videos.insert',
          conflictMessage: `A video with id "${video.id}" or with the same content already exists`,
        },
        async (db) => {
          const row = await db
            .insertInto('videos')
            .values(toRow(video, dialect))
            .returningAll()
            .executeTakeFirstOrThrow();
          return fromRow(row, dialect);
        },
      ),

    // The unique (org_id, content_sha256) decides between concurrent registrations of one
    // content: the insert that loses does nothing, and the winner's row is read back.
    register: (video) =>
      executor.write(
        {
          operation: 'videos.register',
          conflictMessage: `A video with id "${video.id}" already exists`,
        },
        async (db) => {
          const inserted = await db
            .insertInto('videos')
            .values(toRow(video, dialect))
            .onConflict((conflict) => conflict.columns(['org_id', 'content_sha256']).doNothing())
            .returningAll()
            .executeTakeFirst();
          if (inserted !== undefined) return { video: fromRow(inserted, dialect), created: true };
          const existing = await db
            .selectFrom('videos')
            .selectAll()
            .where('org_id', '=', video.orgId)
            .where('content_sha256', '=', video.sha256)
            .executeTakeFirst();
          // Deleted between the two statements: the caller may simply register again.
          if (existing === undefined) {
            throw conflictError('The video with this content was deleted while registering', {
              retryable: true,
              details: { sha256: video.sha256 },
            });
          }
          return { video: fromRow(existing, dialect), created: false };
        },
      ),

    get: (scope: Scope, id: string) =>
      executor.read({ operation: 'videos.get' }, async (db) => {
        const row = await executor
          .lockRows(
            db
              .selectFrom('videos')
              .selectAll()
              .where('org_id', '=', scope.orgId)
              .where('id', '=', id),
          )
          .executeTakeFirst();
        if (row === undefined) throw missing('videos.get', id);
        return fromRow(row, dialect);
      }),

    findBySha256: (scope, sha256) =>
      executor.read({ operation: 'videos.findBySha256' }, async (db) => {
        const row = await db
          .selectFrom('videos')
          .selectAll()
          .where('org_id', '=', scope.orgId)
          .where('sha256', '=', sha256)
          .orderBy('created_at')
          .orderBy(dialect.orderableText('id'))
          .limit(1)
          .executeTakeFirst();
        return row === undefined ? null : fromRow(row, dialect);
      }),

    list: (scope, options = {}) =>
      executor.read({ operation: 'videos.list' }, async (db) => {
        const query = db.selectFrom('videos').selectAll().where('org_id', '=', scope.orgId);
        const rows = await (await page(dialect, 'videos.list', query, options)).execute();
        return rows.map((row) => fromRow(row, dialect));
      }),

    // The only reads across orgs: public videos are benchmarks every org may see.
    getPublic: (id) =>
      executor.read({ operation: 'videos.getPublic' }, async (db) => {
        const row = await db
          .selectFrom('videos')
          .selectAll()
          .where('visibility', '=', 'public')
          .where('id', '=', id)
          .executeTakeFirst();
        if (row === undefined) throw missing('videos.getPublic', id);
        return fromRow(row, dialect);
      }),

    listPublic: (filter = {}) =>
      executor.read({ operation: 'videos.listPublic' }, async (db) => {
        let query = db.selectFrom('videos').selectAll().where('visibility', '=', 'public');
        if (filter.productCategory !== undefined) {
          query = query.where('product_category', '=', filter.productCategory);
        }
        const rows = await (await page(dialect, 'videos.listPublic', query, filter)).execute();
        return rows.map((row) => fromRow(row, dialect));
      }),

    update: (scope, id, patch) =>
      executor.write({ operation: 'videos.update' }, async (db) => {
        const changes = patchToRow(patch, dialect);
        const row =
          Object.keys(changes).length === 0
            ? await db
                .selectFrom('videos')
                .selectAll()
                .where('org_id', '=', scope.orgId)
                .where('id', '=', id)
                .executeTakeFirst()
            : await db
                .updateTable('videos')
                .set(changes)
                .where('org_id', '=', scope.orgId)
                .where('id', '=', id)
                .returningAll()
                .executeTakeFirst();
        if (row === undefined) throw missing('videos.update', id);
        return fromRow(row, dialect);
      }),

    delete: (scope, id) =>
      executor.write({ operation: 'videos.delete' }, async (db) => {
        const result = await db
          .deleteFrom('videos')
          .where('org_id', '=', scope.orgId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (result.numDeletedRows === 0n) throw missing('videos.delete', id);
      }),
  };
}
