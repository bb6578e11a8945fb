import {
  type Actor,
  fromZodError,
  type Scope,
  type VBuckets,
  type VBucketsError,
  validationError,
} from '@vbuckets/core';
import type { Request, Response } from 'express';
import { err, ok, type Result, type ResultAsync } from 'neverthrow';
import type { z } from 'zod';

/** Who may call a route: anyone, any signed-in member of an org, or an org's admins. */
export type RouteAccess = 'public' | 'member' | 'admin';

/** What a route's body is: JSON, a multipart form (files streamed by the route), or nothing. */
export type RouteBody = 'json' | 'multipart' | 'none';

/** A handler's answer when it wrote the response itself (a download, a stream). */
export const SENT: unique symbol = Symbol('sent');

/** What a handler is given: the SDK, the caller, and the request's checked parts. */
export interface RouteContext<Params, Query, Body> {
  vbuckets: VBuckets;
  /** The signed-in caller; null only on public routes called without a token. */
  actor: Actor | null;
  /** The caller's org (every read and write stays in it); `{ orgId: '' }` for anonymous callers. */
  scope: Scope;
  params: Params;
  query: Query;
  body: Body;
  request: Request;
  response: Response;
  /** Aborted when the client goes away before the answer is complete. */
  signal: AbortSignal;
}

type Answer = Result<unknown, VBucketsError> | ResultAsync<unknown, VBucketsError>;

/** One documented response of a route besides its errors. */
export interface RouteResponse {
  /** Default 200 (204 when there is no schema and no content type). */
  status?: number;
  description: string;
  /** The JSON body's schema, documented in the OpenAPI document. */
  schema?: z.ZodType;
  /** A non-JSON body (`text/csv`, `application/zip`, `text/event-stream`). */
  contentType?: string;
  /** Other successes the route may answer instead (a queued job's 202, an inline run's 201). */
  alternatives?: readonly RouteAlternative[];
}

/** A success a route answers in some cases, with its own status and JSON body. */
export interface RouteAlternative {
  status: number;
  description: string;
  schema: z.ZodType;
}

/** A route: its HTTP shape, its schemas (checked here, documented in OpenAPI) and its handler. */
export interface Route<
  ParamsSchema extends z.ZodType = z.ZodType,
  QuerySchema extends z.ZodType = z.ZodType,
  BodySchema extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style, under `/api/v1` unless `root` is set: `/buckets/:bucketId`. */
  path: string;
  /** Mounted at the server's root instead of under `/api/v1` (`/healthz`, `/openapi.json`). */
  root?: boolean;
  /** The OpenAPI tag (one per service). */
  tag: string;
  /** A stable name for the operation (`listBuckets`). */
  operationId: string;
  summary: string;
  description?: string;
  access: RouteAccess;
  params?: ParamsSchema;
  query?: QuerySchema;
  /** Defaults to `json` when `body` is given, `none` otherwise. */
  bodyType?: RouteBody;
  body?: BodySchema;
  /** Documents a multipart body (fields and files) for OpenAPI; the route streams it itself. */
  multipartSchema?: z.ZodType;
  /**
   * Path parameters that are opaque keys, not names (a job id such as `acme/3f0c…/youtube`):
   * they may hold an encoded `/`, which every other parameter refuses.
   */
  opaqueParams?: readonly string[];
  response: RouteResponse;
  handle(
    context: RouteContext<z.output<ParamsSchema>, z.output<QuerySchema>, z.output<BodySchema>>,
  ): Answer | Promise<Answer> | typeof SENT | Promise<typeof SENT>;
}

/** Keeps a route's types tied to its schemas. */
export function defineRoute<
  ParamsSchema extends z.ZodType = z.ZodType,
  QuerySchema extends z.ZodType = z.ZodType,
  BodySchema extends z.ZodType = z.ZodType,
>(route: Route<ParamsSchema, QuerySchema, BodySchema>): Route {
  return route as unknown as Route;
}

/** The route's body type after defaults. */
export function bodyTypeOf(route: Route): RouteBody {
  return route.bodyType ?? (route.body === undefined ? 'none' : 'json');
}

/** Checks one part of a request; VALIDATION naming `part.field` otherwise. */
export function checkPart(
  schema: z.ZodType | undefined,
  value: unknown,
  part: 'params' | 'query' | 'body',
): Result<unknown, VBucketsError> {
  if (schema === undefined) return ok(undefined);
  const parsed = schema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const error = fromZodError(parsed.error, part);
  const path = error.path === undefined || error.path === '' ? part : `${part}.${error.path}`;
  return err(validationError(error.message, { path, details: error.details, cause: error.cause }));
}
