import { z } from 'zod';
import { PROBLEM_TYPE } from './problem';
import { bodyTypeOf, type Route } from './route-kit';

/** An OpenAPI 3.1 document (the parts this host writes). */
export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, unknown> };

const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  path: z.string().optional(),
  retryable: z.boolean(),
  retryAfterSec: z.number().int().optional(),
});

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a zod schema, as the request must be or the response is. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/** Express's `/buckets/:bucketId` as OpenAPI's `/buckets/{bucketId}`. */
export function openApiPath(path: string): string {
  return path.replaceAll(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The object schema's fields as OpenAPI parameters. */
function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (schema === undefined) return [];
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

function responsesOf(route: Route) {
  const { response } = route;
  const status =
    response.status ??
    (response.schema === undefined && response.contentType === undefined ? 204 : 200);
  const success: Record<string, unknown> = { description: response.description };
  if (response.schema !== undefined) {
    success.content = {
      [response.contentType ?? 'application/json']: {
        schema: jsonSchemaOf(response.schema, 'output'),
      },
    };
  } else if (response.contentType !== undefined) {
    success.content = { [response.contentType]: { schema: { type: 'string' } } };
  }
  const alternatives = Object.fromEntries(
    (response.alternatives ?? []).map((alternative) => [
      String(alternative.status),
      {
        description: alternative.description,
        content: { 'application/json': { schema: jsonSchemaOf(alternative.schema, 'output') } },
      },
    ]),
  );
  const errors: Record<string, unknown> = {
    '400': problemResponse('The request is invalid: the problem names the field'),
  };
  if (route.access !== 'public') {
    errors['401'] = problemResponse('No valid bearer token');
  } else {
    errors['401'] = problemResponse('The bearer token given is not valid');
  }
  if (route.access === 'admin') errors['403'] = problemResponse('The caller is not an admin');
  if (route.params !== undefined)
    errors['404'] = problemResponse("No such record in the caller's org");
  if (bodyTypeOf(route) !== 'none') {
    errors['413'] = problemResponse('The body is too large');
    errors['415'] = problemResponse('The body has the wrong content type');
  }
  errors['429'] = problemResponse('Rate limited: wait `Retry-After` seconds');
  errors['503'] = problemResponse('The store, blob store or a provider is unavailable');
  return { [String(status)]: success, ...alternatives, ...errors };
}

function requestBodyOf(route: Route) {
  const type = bodyTypeOf(route);
  if (type === 'json' && route.body !== undefined) {
    return {
      required: true,
      content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } },
    };
  }
  if (type === 'multipart' && route.multipartSchema !== undefined) {
    return {
      required: true,
      content: { 'multipart/form-data': { schema: jsonSchemaOf(route.multipartSchema, 'input') } },
    };
  }
  return undefined;
}

/**
 * The OpenAPI 3.1 document of the routes, generated from the zod schemas they are checked
 * with: path and query parameters, JSON and multipart bodies, responses and their errors.
 */
export function buildOpenApiDocument(
  routes: readonly Route[],
  options: { apiPrefix: string; version?: string },
): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(
      route.root === true ? route.path : `${options.apiPrefix}${route.path}`,
    );
    const requestBody = requestBodyOf(route);
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description === undefined ? {} : { description: route.description }),
      security: route.access === 'public' ? [{}, { bearer: [] }] : [{ bearer: [] }],
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      ...(requestBody === undefined ? {} : { requestBody }),
      responses: responsesOf(route),
    };
    paths[path] ??= {};
    paths[path][route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'vbuckets REST API',
      version: options.version ?? '1.0.0',
      description:
        'Thin routes over the vbuckets SDK. Every call is scoped to the org of the bearer token; errors are RFC 9457 problem documents.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: jsonSchemaOf(ProblemSchema, 'output') },
    },
  };
}
