import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import { JobKindSchema } from '../../domain/jobs/job-rules';
import { fromZodError, type VBucketsError, validationError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { EnqueuedJob, EnqueueOptions, JobQueue, JobRun } from '../../ports/job-queue';
import type { Store } from '../../ports/store';
import { type Scope, ScopeSchema } from '../../schemas/common';
import { parseInput } from '../parse-input';
import { fromAsync } from '../with-context';
import type { BuiltinDefinitions } from './job-handlers';
import { BUILTIN_JOB_KINDS, type JobKindDefinition, jobIdOf } from './job-kinds';
import type { JobsService, JobsSettings, JobsWorker, RecoverySummary } from './jobs-types';

export interface JobsServiceDependencies {
  queue: JobQueue;
  store: Store;
  clock: Clock;
  /** The SDK's own kinds, built over its services. */
  builtins: BuiltinDefinitions;
  /** Provider names of `categorize`, for `recover`'s sessions. */
  providerNames: readonly string[];
  settings?: JobsSettings;
}

/** A kind whose payload type is forgotten: every run parses the payload with its schema first. */
const erase = (definition: unknown) => definition as JobKindDefinition<unknown>;

const RECOVER_SESSIONS_PER_PRODUCT = 100;
const RECOVER_PAGE = 500;

export function createJobsService(dependencies: JobsServiceDependencies): JobsService {
  const { queue, store, clock } = dependencies;
  const definitions = new Map<string, JobKindDefinition<unknown>>(
    Object.entries(dependencies.builtins).map(([kind, definition]) => [kind, erase(definition)]),
  );
  const defaultConcurrency = dependencies.settings?.concurrency ?? 4;

  const checkedPayload = (kind: string, payload: unknown): Result<unknown, VBucketsError> => {
    const definition = definitions.get(kind);
    if (definition === undefined) {
      return err(
        validationError(
          `No job kind "${kind}": known kinds are ${[...definitions.keys()].join(', ')}`,
          {
            path: 'kind',
            details: { kind },
          },
        ),
      );
    }
    const parsed = definition.schema.safeParse(payload);
    if (!parsed.success) {
      const error = fromZodError(parsed.error, `${kind} payload`);
      return err(
        validationError(error.message, {
          path: error.path === undefined ? 'payload' : `payload.${error.path}`,
          details: { kind },
        }),
      );
    }
    return ok(parsed.data);
  };

  const enqueue = (
    kind: string,
    payload: unknown,
    options: EnqueueOptions = {},
  ): ResultAsync<EnqueuedJob, VBucketsError> => {
    const checked = checkedPayload(kind, payload);
    if (checked.isErr()) return errAsync(checked.error);
    const definition = definitions.get(kind);
    const jobId = options.jobId ?? definition?.jobId?.(checked.value);
    return queue.enqueue(kind, checked.value, {
      ...definition?.defaults,
      ...options,
      ...(jobId === undefined ? {} : { jobId }),
    });
  };

  const process = async (job: JobRun) => {
    const definition = definitions.get(job.kind);
    if (definition === undefined) {
      return err(
        validationError(`No job kind "${job.kind}" is defined in this worker`, {
          details: { kind: job.kind },
        }),
      );
    }
    const payload = checkedPayload(job.kind, job.payload);
    if (payload.isErr()) return err(payload.error);
    return definition.run(payload.value, job);
  };

  /** Queues a session again, or retries its failed job; a finished job with pending rows gets a new one. */
  const requeueSession = (scope: Scope, sessionId: string, provider: string) => {
    const payload = { orgId: scope.orgId, sessionId, provider };
    return enqueue('categorize.session', payload).andThen((enqueued) => {
      if (enqueued.created) return okAsync(enqueued.id);
      return queue.get(enqueued.kind, enqueued.id).andThen((job) => {
        if (job.state === 'failed') return queue.retry(job.kind, job.id).map(() => job.id);
        if (job.state !== 'completed') return okAsync(job.id);
        return enqueue('categorize.session', payload, {
          jobId: jobIdOf(
            scope.orgId,
            sessionId,
            `recovered ${new Date(clock.now()).toISOString()}`,
          ),
        }).map((again) => again.id);
      });
    });
  };

  const recoverSessions = async (
    scope: Scope,
    provider: string | undefined,
  ): Promise<Result<string[], VBucketsError>> => {
    const buckets = await store.buckets.list(scope);
    if (buckets.isErr()) return err(buckets.error);
    const products = [...new Set(buckets.value.map((bucket) => bucket.productId))];
    const queued: string[] = [];
    for (const productId of products) {
      const sessions = await store.categorizationSessions.listRecent(scope, {
        productId,
        limit: RECOVER_SESSIONS_PER_PRODUCT,
      });
      if (sessions.isErr()) return err(sessions.error);
      for (const session of sessions.value) {
        if (session.counts.pending === 0) continue;
        if (provider === undefined) {
          return err(
            validationError(
              `Session ${session.id} has pending videos: name the provider to finish them with (${dependencies.providerNames.join(', ') || 'none is configured'})`,
              { path: 'provider', details: { sessionId: session.id } },
            ),
          );
        }
        const requeued = await requeueSession(scope, session.id, provider);
        if (requeued.isErr()) return err(requeued.error);
        queued.push(session.id);
      }
    }
    return ok(queued);
  };

  const recoverAnalyses = async (scope: Scope): Promise<Result<string[], VBucketsError>> => {
    const queued: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.creatives.list(
        scope,
        {},
        { limit: RECOVER_PAGE, ...(after === undefined ? {} : { after }) },
      );
      if (page.isErr()) return err(page.error);
      for (const creative of page.value) {
        if (creative.analysisStatus !== 'queued') continue;
        const enqueued = await enqueue(
          'market.analyze',
          { orgId: scope.orgId, creativeId: creative.id },
          { jobId: jobIdOf(scope.orgId, creative.id, creative.updatedAt) },
        );
        if (enqueued.isErr()) return err(enqueued.error);
        queued.push(creative.id);
      }
      if (page.value.length < RECOVER_PAGE) return ok(queued);
      after = page.value.at(-1)?.id;
    }
  };

  const recover = (scopeInput: Scope, options: { provider?: string } = {}) =>
    parseInput(ScopeSchema, scopeInput, 'scope').asyncAndThen((scope) =>
      fromAsync(async (): Promise<Result<RecoverySummary, VBucketsError>> => {
        const provider =
          options.provider ??
          (dependencies.providerNames.length === 1 ? dependencies.providerNames[0] : undefined);
        const sessions = await recoverSessions(scope, provider);
        if (sessions.isErr()) return err(sessions.error);
        const due = await store.uploads.listDue(scope, {
          now: new Date(clock.now()).toISOString(),
          limit: 1,
        });
        if (due.isErr()) return err(due.error);
        if (due.value.length > 0) {
          const queued = await enqueue('uploads.runDue', { orgId: scope.orgId });
          if (queued.isErr()) return err(queued.error);
        }
        const analyses = await recoverAnalyses(scope);
        if (analyses.isErr()) return err(analyses.error);
        return ok({
          sessions: sessions.value,
          uploadsDue: due.value.length > 0,
          analyses: analyses.value,
        });
      }),
    );

  return {
    engine: queue.engine,
    kinds: () => [...definitions.keys()],
    define(kind, definition) {
      const name = JobKindSchema.safeParse(kind);
      if (!name.success) return err(fromZodError(name.error, 'job kind'));
      if (definitions.has(kind)) {
        return err(
          validationError(
            (BUILTIN_JOB_KINDS as readonly string[]).includes(kind)
              ? `"${kind}" is one of the SDK's own job kinds: choose another name`
              : `A job kind "${kind}" is already defined`,
            { path: 'kind', details: { kind } },
          ),
        );
      }
      definitions.set(kind, erase(definition));
      return ok(undefined);
    },
    enqueue,
    work: (options = {}) => {
      const kinds = options.kinds ?? [...definitions.keys()];
      const unknown = kinds.find((kind) => !definitions.has(kind));
      if (unknown !== undefined) {
        return err(
          validationError(
            `No job kind "${unknown}": known kinds are ${[...definitions.keys()].join(', ')}`,
            { path: 'kinds', details: { kind: unknown } },
          ),
        );
      }
      // Aborted when a graceful close runs out of patience: the running jobs stop and retry.
      const stopping = new AbortController();
      const notify = options.onEvent ?? (() => undefined);
      const started = queue.work(
        async (job) => {
          const signal = AbortSignal.any([job.signal, stopping.signal]);
          const base = { kind: job.kind, id: job.id, attempt: job.attempt };
          notify({ type: 'job-started', ...base });
          const outcome = await process({ ...job, signal });
          notify(
            outcome.isOk()
              ? { type: 'job-completed', ...base, result: outcome.value }
              : { type: 'job-failed', ...base, error: outcome.error },
          );
          return outcome;
        },
        {
          kinds,
          concurrency: options.concurrency ?? defaultConcurrency,
          ...(options.onError === undefined ? {} : { onError: options.onError }),
        },
      );
      return started.map(
        (worker): JobsWorker => ({
          get running() {
            return worker.running;
          },
          close: async ({ graceful = true, graceMs } = {}) => {
            if (!graceful) {
              stopping.abort(new Error('The worker stopped'));
              return worker.close({ graceful: false });
            }
            const timer =
              graceMs === undefined
                ? undefined
                : setTimeout(() => stopping.abort(new Error('The worker stopped')), graceMs);
            try {
              await worker.close({ graceful: true });
            } finally {
              clearTimeout(timer);
            }
          },
        }),
      );
    },
    schedule: (schedule) => {
      const checked = checkedPayload(schedule.kind, schedule.payload);
      if (checked.isErr()) return errAsync(checked.error);
      return queue.schedule({ ...schedule, payload: checked.value });
    },
    unschedule: (name) => queue.unschedule(name),
    schedules: () => queue.schedules(),
    get: (kind, id) => queue.get(kind, id),
    counts: () => queue.counts(),
    failed: (options) => queue.failed(options),
    retry: (kind, id) => queue.retry(kind, id),
    recover,
  } as JobsService;
}
