import { tmpdir } from 'node:os';
import {
  type ActorResolver,
  notFoundError,
  type VBuckets,
  type VBucketsError,
  validationError,
  vbucketsError,
} from '@vbuckets/core';
import type { BlobStore } from '@vbuckets/core/adapter-kit';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { cacheActors } from './actor-cache';
import type { HostInfo } from './host-info';
import { buildOpenApiDocument } from './openapi';
import { asVBucketsError, sendProblem } from './problem';
import { bodyTypeOf, checkPart, type Route, type RouteContext, SENT } from './route-kit';
import { allRoutes } from './routes';
import { webDashboard } from './web-dashboard';

/** Sizes the host accepts; larger requests get 413. */
export interface HostLimits {
  /** A JSON body, in bytes; default 1 MiB. */
  jsonBytes?: number;
  /** One uploaded video, in bytes; default 2 GiB. */
  fileBytes?: number;
  /** Videos in one multipart request; default 20, core's default `categorize.maxBatchSize` (keep it at most that). */
  files?: number;
}

/** What `createApp` composes. */
export interface CreateAppOptions {
  vbuckets: VBuckets;
  /** Verifies `Authorization: Bearer` tokens (`createJwtActorResolver`). */
  auth: ActorResolver;
  /** How long a verified token is trusted before its signature is checked again (never past its `exp`); default 60 000 ms, 0 checks every request. */
  tokenCacheMs?: number;
  /** Where video bytes live: bucket ZIP downloads read them from here (the facade hands out services only). */
  blobs?: BlobStore;
  /** Where multipart uploads are spooled to disk while a request streams in; default the OS temp dir. */
  tempDir?: string;
  /** How an uploaded categorize batch runs: queued for a worker (default) or inline in the request. */
  categorize?: 'queued' | 'inline';
  /** Checked by `/readyz` besides the store and the job queue (e.g. the blob store). */
  readiness?: Record<string, () => Promise<void>>;
  limits?: HostLimits;
  /** Aborted when the server shuts down: live streams (SSE) end cleanly on it. */
  closing?: AbortSignal;
  /** How often a session's event stream reads the store for rows another process finished (default 1000 ms). */
  ssePollMs?: number;
  /** Told about every 5xx answer (with the adapter and operation the response leaves out). */
  onServerError?: (error: VBucketsError, request: Request) => void;
  /**
   * Mints development tokens for `POST /api/v1/dev/token`; give it only when tokens are checked
   * against a local development secret (without it the route does not exist).
   */
  devTokens?: () => Promise<string>;
  /** The built web dashboard (`@vbuckets/example-web`'s `dist`), served at `/`; unset, the host serves no pages. */
  webRoot?: string;
}

export const DEFAULT_LIMITS: Required<HostLimits> = {
  jsonBytes: 1024 * 1024,
  fileBytes: 2 * 1024 * 1024 * 1024,
  // Core's default `categorize.maxBatchSize`: more videos would be stored only to be refused.
  files: 20,
};

/** The prefix of every API route. */
export const API_PREFIX = '/api/v1';

/** An Express 5 app with every route of the host; it listens nowhere until you call `listen`. */
export function createApp(options: CreateAppOptions): Express {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const host: HostInfo = {
    categorize: options.categorize ?? 'queued',
    ...(options.blobs === undefined ? {} : { blobs: options.blobs }),
    tempDir: options.tempDir ?? tmpdir(),
    closing: options.closing ?? new AbortController().signal,
    ...(options.ssePollMs === undefined ? {} : { ssePollMs: options.ssePollMs }),
    limits,
    readiness: options.readiness ?? {},
    openApi: () => document,
    ...(options.devTokens === undefined ? {} : { devTokens: options.devTokens }),
  };
  const routes = allRoutes(host);
  const auth =
    options.tokenCacheMs === 0
      ? options.auth
      : cacheActors(options.auth, { ttlMs: options.tokenCacheMs ?? 60_000 });
  const document = buildOpenApiDocument(routes, { apiPrefix: API_PREFIX });
  const report = (error: VBucketsError, request: Request) => {
    if (error.code === 'STORAGE' || error.code === 'PROVIDER' || error.code === 'CANCELLED') {
      options.onServerError?.(error, request);
    }
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const api = express.Router();
  for (const route of routes) {
    const handlers = handlersOf(route, { ...options, auth }, limits, report);
    (route.root === true ? app : api)[route.method](route.path, ...handlers);
  }
  app.use(API_PREFIX, api);
  if (options.webRoot !== undefined) app.use(...webDashboard(options.webRoot));
  app.use((request: Request, response: Response) => {
    sendProblem(response, notFoundError(`No route ${request.method} ${request.path}`));
  });
  app.use((thrown: unknown, request: Request, response: Response, _next: NextFunction) => {
    const error = bodyParserError(thrown) ?? asVBucketsError(thrown);
    report(error, request);
    sendProblem(response, error, { status: bodyParserStatus(thrown) });
  });
  return app;
}

function handlersOf(
  route: Route,
  options: CreateAppOptions,
  limits: Required<HostLimits>,
  report: (error: VBucketsError, request: Request) => void,
): RequestHandler[] {
  const handlers: RequestHandler[] = [authenticate(route, options.auth)];
  if (bodyTypeOf(route) === 'json') {
    handlers.push(requireJson, express.json({ limit: limits.jsonBytes, strict: false }));
  }
  handlers.push(async (request, response) => {
    const context = contextOf(route, options.vbuckets, request, response);
    if (context.isErr()) {
      sendProblem(response, context.error);
      return;
    }
    try {
      const answer = await route.handle(context.value);
      if (answer === SENT) return;
      const settled = await answer;
      if (settled.isErr()) {
        report(settled.error, request);
        sendProblem(response, settled.error);
        return;
      }
      // A handler may choose another status (readyz answers 503 with its body).
      const status =
        response.statusCode !== 200
          ? response.statusCode
          : (route.response.status ?? (route.response.schema === undefined ? 204 : 200));
      if (status === 204) response.status(204).end();
      else response.status(status).json(settled.value);
    } catch (thrown) {
      const error = asVBucketsError(thrown);
      report(error, request);
      sendProblem(response, error);
    }
  });
  return handlers;
}

/** Resolves the caller: 401 without a valid token (unless the route is public), 403 for a non-admin on an admin route. */
function authenticate(route: Route, auth: ActorResolver): RequestHandler {
  return async (request, response, next) => {
    const header = request.headers.authorization;
    if (route.access === 'public' && header === undefined) {
      response.locals.actor = null;
      next();
      return;
    }
    const resolved = await auth.resolveAuthorization(header);
    if (resolved.isErr()) {
      sendProblem(response, resolved.error);
      return;
    }
    if (route.access === 'admin' && !resolved.value.roles.includes('admin')) {
      sendProblem(
        response,
        vbucketsError('FORBIDDEN', 'This action is for admins of the organisation only'),
      );
      return;
    }
    response.locals.actor = resolved.value;
    next();
  };
}

/** A JSON route refuses other bodies with 415 before reading them. */
const requireJson: RequestHandler = (request, response, next) => {
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    Number(request.headers['content-length'] ?? 0) > 0;
  if (hasBody && request.is('application/json') === false) {
    const type = request.headers['content-type'] ?? 'none';
    sendProblem(
      response,
      validationError(`This route takes application/json, not ${JSON.stringify(type)}`, {
        path: 'content-type',
      }),
      { status: 415 },
    );
    return;
  }
  next();
};

/** A route without a query schema takes no query parameters: an unknown one is a mistake to report, not to ignore. */
const NO_QUERY = z.strictObject({});

/**
 * Ids are single path segments: an encoded slash (`..%2F..%2Fetc`) or a dot segment is
 * refused before any service sees it, so no id can be read as a path.
 */
function checkSegments(
  params: Record<string, string>,
  opaque: readonly string[],
): Result<void, VBucketsError> {
  for (const [name, value] of Object.entries(params)) {
    const slashes = !opaque.includes(name) && /[/\\]/.test(value);
    if (value === '.' || value === '..' || slashes) {
      return err(
        validationError(`${name} must be one path segment, without "/", "\\" or dots alone`, {
          path: `params.${name}`,
        }),
      );
    }
  }
  return ok(undefined);
}

function contextOf(route: Route, vbuckets: VBuckets, request: Request, response: Response) {
  const segments = checkSegments(
    request.params as Record<string, string>,
    route.opaqueParams ?? [],
  );
  if (segments.isErr()) return err(segments.error);
  const params = checkPart(route.params, request.params, 'params');
  if (params.isErr()) return params;
  const query = checkPart(route.query ?? NO_QUERY, { ...request.query }, 'query');
  if (query.isErr()) return query;
  const body =
    bodyTypeOf(route) === 'json'
      ? checkPart(route.body, request.body, 'body')
      : query.map(() => undefined);
  if (body.isErr()) return body;
  const actor = (response.locals.actor ?? null) as RouteContext<unknown, unknown, unknown>['actor'];
  let signal: AbortSignal | undefined;
  return body.map(
    (checkedBody): RouteContext<unknown, unknown, unknown> => ({
      vbuckets,
      actor,
      scope: { orgId: actor?.orgId ?? '' },
      params: params.value,
      query: query.value,
      body: checkedBody,
      request,
      response,
      // Made on first use: most routes never read it, and each request would pay for it.
      get signal() {
        signal ??= abortedOnClientGone(response);
        return signal;
      },
    }),
  );
}

/** A signal aborted when the client goes away before the response is finished. */
function abortedOnClientGone(response: Response): AbortSignal {
  const controller = new AbortController();
  const gone = () => {
    if (!response.writableFinished) controller.abort();
  };
  if (response.closed) gone();
  else response.on('close', gone);
  return controller.signal;
}

interface BodyParserFailure {
  type?: string;
  status?: number;
  limit?: number;
}

/** body-parser's failures (too large, malformed, bad charset) and the router's bad escapes as SDK errors with their status. */
function bodyParserError(thrown: unknown): VBucketsError | undefined {
  // The router's own failure to decode a `%` escape of the path, not the body's.
  if (thrown instanceof URIError) {
    return validationError('A path segment is not valid percent-encoding', { path: 'params' });
  }
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const failure = thrown as BodyParserFailure;
  switch (failure.type) {
    case 'entity.too.large':
      return validationError(`The body is larger than the ${failure.limit ?? ''} bytes allowed`, {
        path: 'body',
      });
    case 'entity.parse.failed':
      return validationError('The body is not valid JSON', { path: 'body' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return validationError('The body must be UTF-8 JSON', { path: 'content-type' });
    case 'request.aborted':
      return vbucketsError('CANCELLED', 'The client closed the request before its body arrived');
    default:
      return failure.status !== undefined && failure.status >= 400 && failure.status < 500
        ? validationError('The request body could not be read', { path: 'body' })
        : undefined;
  }
}

function bodyParserStatus(thrown: unknown): number | undefined {
  const failure = (
    typeof thrown === 'object' && thrown !== null ? thrown : {}
  ) as BodyParserFailure;
  if (failure.type === 'entity.too.large') return 413;
  if (failure.type === 'encoding.unsupported' || failure.type === 'charset.unsupported') return 415;
  if (failure.type === 'request.aborted') return 400;
  return undefined;
}
