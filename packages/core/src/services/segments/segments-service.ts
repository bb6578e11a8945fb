import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import { analyzeSegmentUsage } from '../../domain/segments/segment-analytics';
import { storageError, type VBucketsError, validationError, vbucketsError } from '../../errors';
import { type Actor, ActorSchema } from '../../schemas/actor';
import { IdSchema, type Scope } from '../../schemas/common';
import type { Segment } from '../../schemas/segment';
import { parseInput, parseStrict } from '../parse-input';
import { recordScope, writeScope } from '../scope';
import { contextRunner, fromAsync } from '../with-context';
import {
  AnalyticsFilterSchema,
  AnalyticsGroupSchema,
  DownloadOptionsSchema,
  SegmentCreateSchema,
  SegmentListSchema,
  SegmentUpdateSchema,
  SplitSchema,
  SyncMetricsSchema,
} from './segment-inputs';
import { syncMetrics } from './segment-metrics-sync';
import { segmentsOfVideo } from './segment-records';
import { splitVideo } from './segment-split';
import { createSegment, deleteSegment, updateSegment } from './segment-writes';
import {
  createSegmentsContext,
  type SegmentsContext,
  type SegmentsServiceDependencies,
} from './segments-context';
import type { SegmentDownload, SegmentsService } from './segments-types';

const CREATE_FIELDS = Object.keys(SegmentCreateSchema.shape);
const UPDATE_FIELDS = Object.keys(SegmentUpdateSchema.shape);
/** Fields a segment has that `update` does not change, and where they come from instead. */
const FIXED_FIELDS: Readonly<Record<string, string>> = {
  videoId: 'create (a segment stays with its video)',
  blobKey: 'create or split (the bytes are stored once)',
  durationSec: 'create or split (it is measured from the bytes)',
  sizeBytes: 'create or split (it is counted from the bytes)',
  socialUsage: 'the usage entries of update (usage: [{ platform, … }])',
};
const DEFAULT_DOWNLOAD_TTL_SEC = 3_600;

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

/**
 * The segments service (seed 004): checks each call's scope and input, then hands it to the
 * store, the BlobStore, the MediaProbe or the metrics sources.
 */
export function createSegmentsService(dependencies: SegmentsServiceDependencies): SegmentsService {
  // Bad settings are reported by every call rather than thrown from the constructor.
  const built = createSegmentsContext(dependencies);
  const withContext = contextRunner(built);
  const withId = <T>(
    scopeInput: unknown,
    idInput: unknown,
    name: string,
    scopeOf: (value: unknown) => Result<Scope, VBucketsError>,
    use: (context: SegmentsContext, scope: Scope, id: string) => ResultAsync<T, VBucketsError>,
  ) =>
    withContext((context) =>
      scopeOf(scopeInput)
        .andThen((scope) => parseInput(IdSchema, idInput, name).map((id) => ({ scope, id })))
        .asyncAndThen(({ scope, id }) => use(context, scope, id)),
    );

  return {
    create: (scopeInput, input) =>
      withContext((context) =>
        writeScope(scopeInput)
          .andThen((scope) =>
            parseStrict(SegmentCreateSchema, CREATE_FIELDS, input, 'segment').map((parsed) => ({
              scope,
              parsed,
            })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(() => createSegment(context, scope, parsed)),
          ),
      ),

    get: (scopeInput, segmentId) =>
      withId(scopeInput, segmentId, 'segmentId', recordScope, (context, scope, id) =>
        context.store.segments.get(scope, id),
      ),

    listByVideo: (scopeInput, videoId) =>
      withId(scopeInput, videoId, 'videoId', recordScope, (context, scope, id) =>
        context.store.videos
          .get(scope, id)
          .andThen(() => fromAsync(() => segmentsOfVideo(context, scope, id))),
      ),

    list: (scopeInput, query = {}) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(SegmentListSchema, query, 'query').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) => {
            const { sortBy, sortOrder, limit, after, ...filter } = parsed;
            return context.store.segments.list(
              scope,
              withoutUndefined(filter),
              { sortBy, sortOrder },
              { limit, ...(after === undefined ? {} : { after }) },
            );
          }),
      ),

    update: (scopeInput, segmentId, patch) =>
      withId(scopeInput, segmentId, 'segmentId', writeScope, (context, scope, id) =>
        parseStrict(SegmentUpdateSchema, UPDATE_FIELDS, patch, 'update', FIXED_FIELDS).asyncAndThen(
          (parsed) => updateSegment(context, scope, id, parsed),
        ),
      ),

    delete: (scopeInput, segmentId) =>
      withId(scopeInput, segmentId, 'segmentId', writeScope, (context, scope, id) =>
        fromAsync(() => deleteSegment(context, scope, id)),
      ),

    split: (scopeInput, videoId, options) =>
      withId(scopeInput, videoId, 'videoId', writeScope, (context, scope, id) =>
        parseInput(SplitSchema, options, 'options').asyncAndThen((parsed) =>
          fromAsync(() => splitVideo(context, scope, id, parsed)),
        ),
      ),

    downloadUrl: (actor, segmentId, options = {}) =>
      withContext((context) => downloadUrl(context, actor, segmentId, options)),

    open: (actor, segmentId) =>
      withContext((context) =>
        readableSegment(context, actor, segmentId).andThen((segment) =>
          context.blobs.get(segment.blobKey).map((object) => ({ segment, object })),
        ),
      ),

    analytics: (scopeInput, segmentId) =>
      withId(scopeInput, segmentId, 'segmentId', recordScope, (context, scope, id) =>
        context.store.segments
          .get(scope, id)
          .andThen((segment) => analyzeSegmentUsage(segment.socialUsage)),
      ),

    analyticsBy: (scopeInput, groupBy, filter = {}) =>
      withContext((context) =>
        recordScope(scopeInput)
          .andThen((scope) =>
            parseInput(AnalyticsGroupSchema, groupBy, 'groupBy').andThen((group) =>
              parseInput(AnalyticsFilterSchema, filter, 'filter').andThen((parsed) =>
                group === 'bucket' && parsed.productId === undefined
                  ? err(
                      validationError(
                        'Invalid filter.productId: grouping by bucket needs the product whose buckets to use',
                        { path: 'productId' },
                      ),
                    )
                  : ok({ scope, group, parsed }),
              ),
            ),
          )
          .asyncAndThen(({ scope, group, parsed }) =>
            context.store.segments.analytics(scope, group, withoutUndefined(parsed)),
          ),
      ),

    syncMetrics: (scopeInput, options = {}) =>
      withContext((context) =>
        writeScope(scopeInput)
          .andThen((scope) =>
            parseInput(SyncMetricsSchema, options, 'options').map((parsed) => ({ scope, parsed })),
          )
          .asyncAndThen(({ scope, parsed }) =>
            fromAsync(() => syncMetrics(context, scope, parsed)),
          ),
      ),
  };
}

/**
 * The segment, when the actor may read its bytes: its owner or an admin of its org, as
 * `access.getVideoAccess` serves a private video. Anyone else gets the `NOT_FOUND` a missing
 * segment gets, so a caller cannot probe for ids.
 */
function readableSegment(
  context: SegmentsContext,
  actor: Actor | null,
  segmentId: unknown,
): ResultAsync<Segment, VBucketsError> {
  if (actor === null || actor === undefined) {
    return errAsync(
      vbucketsError('UNAUTHENTICATED', 'Downloading a segment needs an authenticated actor'),
    );
  }
  const input = parseInput(ActorSchema, actor, 'actor').andThen((reader) =>
    parseInput(IdSchema, segmentId, 'segmentId').map((id) => ({ reader, id })),
  );
  if (input.isErr()) return errAsync(input.error);
  const { reader, id } = input.value;
  const hidden = () =>
    vbucketsError('NOT_FOUND', `Segment ${id} not found`, { details: { segmentId: id } });
  const mayRead = (segment: Segment) =>
    reader.userId === segment.ownerId ||
    (context.adminRole !== null && reader.roles.includes(context.adminRole));
  return context.store.segments
    .get({ orgId: reader.orgId }, id)
    .mapErr((error) => (error.code === 'NOT_FOUND' ? hidden() : error))
    .andThen((segment) => (mayRead(segment) ? okAsync(segment) : errAsync(hidden())));
}

/** A presigned URL for whoever `readableSegment` lets read the bytes. */
function downloadUrl(
  context: SegmentsContext,
  actor: Actor | null,
  segmentId: unknown,
  options: unknown,
): ResultAsync<SegmentDownload, VBucketsError> {
  const parsed = parseInput(DownloadOptionsSchema, options, 'options');
  if (parsed.isErr()) return errAsync(parsed.error);
  const ttlSec = parsed.value.ttlSec ?? DEFAULT_DOWNLOAD_TTL_SEC;
  return readableSegment(context, actor, segmentId).andThen((segment) => {
    const id = segment.id;
    if (context.blobs.presignGet === undefined) {
      return errAsync(
        storageError(
          `The blob store cannot presign URLs (it has no presignGet), so segment ${id} cannot be served`,
          {
            retryable: false,
            details: { segmentId: id },
            adapter: 'segments',
            operation: 'downloadUrl',
          },
        ),
      );
    }
    const issuedAt = context.clock.now();
    return context.blobs.presignGet(segment.blobKey, ttlSec).map((url) => ({
      segmentId: id,
      url,
      expiresIn: ttlSec,
      expiresAt: new Date(issuedAt + ttlSec * 1000).toISOString(),
    }));
  });
}
