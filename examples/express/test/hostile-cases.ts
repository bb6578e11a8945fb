import { z } from 'zod';
import { API_PREFIX } from '../src/app';
import { bodyTypeOf, type Route } from '../src/route-kit';
import type { RawRequest } from './hostile-host';

/** One hostile request and the statuses it may get (always 4xx). */
export interface HostileCase extends RawRequest {
  name: string;
  /** The exact status expected, when the case has one (413, 415, 400). */
  status?: number;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  format?: string;
  default?: unknown;
};

const DEPTH = 100_000;
const DEEP_MARK = '$hostile-deep$';
/** A made-up id that passes every id schema: the route answers 404 at most. */
export const MADE_UP_ID = 'hostile-made-up-id';
const TWO_MIB = 2 * 1024 * 1024;
/** Fields that name a file or a storage key: a traversal there must be refused, not stored. */
const FILE_FIELD = /^(file|filename|path|key)$|(File|Filename|Path|Key)$/;

/** Path ids a route must refuse or not find: NUL bytes, traversal (encoded and literal), broken escapes. */
const HOSTILE_IDS: Record<string, string> = {
  'NUL byte': 'a%00b',
  'lone NUL': '%00',
  'encoded traversal': '..%2F..%2Fetc%2Fpasswd',
  'encoded traversal to x': '..%2F..%2Fx',
  'literal traversal': '../../x',
  'dot-dot': '..',
  'broken escape': '%E0%A4%A',
  'control characters': '%01%1F%7F',
  'very long id': 'x'.repeat(10_000),
};

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

function firstOf(schema: JsonSchema): JsonSchema {
  return schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema;
}

function typeOf(schema: JsonSchema): string | undefined {
  const type = firstOf(schema).type;
  return Array.isArray(type) ? type.find((each) => each !== 'null') : type;
}

/** A value the schema probably accepts: every property filled, minimum sizes met. */
export function sampleOf(schema: JsonSchema, depth = 0): unknown {
  const chosen = firstOf(schema);
  if (chosen.const !== undefined) return chosen.const;
  if (chosen.enum !== undefined) return chosen.enum[0];
  if (depth > 8) return null;
  switch (typeOf(chosen)) {
    case 'string':
      if (chosen.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (chosen.format === 'uri' || chosen.format === 'url') return 'https://example.com/x';
      if (chosen.format === 'email') return 'ana@example.com';
      return 'a'.repeat(Math.max(chosen.minLength ?? 1, 1));
    case 'integer':
    case 'number':
      return Math.max(chosen.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: chosen.minItems ?? 1 }, () =>
        sampleOf(chosen.items ?? {}, depth + 1),
      );
    case 'object':
      return Object.fromEntries(
        Object.entries(chosen.properties ?? {}).map(([key, property]) => [
          key,
          sampleOf(property, depth + 1),
        ]),
      );
    default:
      return 'a';
  }
}

/** A value of another JSON type than the schema's. */
function wrongTypeOf(schema: JsonSchema): unknown {
  switch (typeOf(schema)) {
    case 'string':
      return 12_345;
    case 'integer':
    case 'number':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return ['not', 'an', 'object'];
    default:
      return undefined;
  }
}

/** Replaces every leaf of the sample (strings, numbers, free-form objects) by what `replace` makes of it. */
function mapLeaves(
  value: unknown,
  schema: JsonSchema,
  replace: (value: unknown, schema: JsonSchema, key: string) => unknown,
  key = '',
): unknown {
  const chosen = firstOf(schema);
  if (Array.isArray(value)) {
    return value.map((item) => mapLeaves(item, chosen.items ?? {}, replace, key));
  }
  if (typeof value === 'object' && value !== null && chosen.properties !== undefined) {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [
        name,
        mapLeaves(item, chosen.properties?.[name] ?? {}, replace, name),
      ]),
    );
  }
  return replace(value, chosen, key);
}

const deepArray = (closed: boolean) => '['.repeat(DEPTH) + (closed ? ']'.repeat(DEPTH) : '');
const deepObject = () => `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;

/** `route.path` with each `:param` replaced (the made-up id unless `values` names it). */
export function pathOf(route: Route, values: Record<string, string> = {}): string {
  const filled = route.path.replaceAll(
    /:([A-Za-z0-9_]+)/g,
    (_match, name: string) => values[name] ?? MADE_UP_ID,
  );
  return route.root === true ? filled : `${API_PREFIX}${filled}`;
}

function paramNamesOf(route: Route): string[] {
  return [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] as string);
}

function queryCases(route: Route, base: string): HostileCase[] {
  const method = route.method.toUpperCase();
  const cases: HostileCase[] = [
    { name: 'unknown query parameter', method, path: `${base}?hostileUnknown=1`, status: 400 },
    {
      name: 'unknown query parameter with NUL',
      method,
      path: `${base}?hostile%00=%00`,
      status: 400,
    },
  ];
  if (route.query === undefined) return cases;
  const properties = jsonSchemaOf(route.query).properties ?? {};
  for (const [name, property] of Object.entries(properties)) {
    const type = typeOf(property);
    cases.push({ name: `query ${name} with NUL`, method, path: `${base}?${name}=a%00b` });
    // A list parameter takes repeats (`?tags=a&tags=b`): only a single-valued one must refuse them.
    const takesList =
      type === 'array' || (property.anyOf ?? []).some((each) => typeOf(each) === 'array');
    if (!takesList) {
      cases.push({
        name: `query ${name} given twice`,
        method,
        path: `${base}?${name}=a&${name}=b`,
      });
    }
    if (type === 'integer' || type === 'number') {
      cases.push({ name: `query ${name} not a number`, method, path: `${base}?${name}=abc` });
      cases.push({ name: `query ${name} huge`, method, path: `${base}?${name}=1e400` });
    }
  }
  return cases;
}

function jsonBodyCases(route: Route, base: string): HostileCase[] {
  const method = route.method.toUpperCase();
  const json = { 'content-type': 'application/json' };
  const schema = route.body === undefined ? {} : jsonSchemaOf(route.body);
  const sample = sampleOf(schema);
  const cases: HostileCase[] = [
    {
      name: 'a 2 MiB JSON body',
      method,
      path: base,
      headers: json,
      body: JSON.stringify({ padding: 'a'.repeat(TWO_MIB) }),
      status: 413,
    },
    { name: '100,000 unclosed [', method, path: base, headers: json, body: deepArray(false) },
    { name: '100,000 nested arrays', method, path: base, headers: json, body: deepArray(true) },
    { name: '100,000 nested objects', method, path: base, headers: json, body: deepObject() },
    { name: 'malformed JSON', method, path: base, headers: json, body: '{"name": ', status: 400 },
    { name: 'JSON null', method, path: base, headers: json, body: 'null' },
    { name: 'a JSON string', method, path: base, headers: json, body: '"text"' },
    {
      name: 'wrong types in every field',
      method,
      path: base,
      headers: json,
      body: JSON.stringify(
        Object.fromEntries(
          Object.entries(firstOf(schema).properties ?? {}).map(([key, property]) => [
            key,
            wrongTypeOf(property) ?? { wrong: true },
          ]),
        ),
      ),
    },
    {
      name: 'an unknown field',
      method,
      path: base,
      headers: json,
      body: JSON.stringify({
        ...(typeof sample === 'object' && sample !== null ? sample : {}),
        hostileUnknownField: 1,
      }),
    },
    {
      name: 'text/plain',
      method,
      path: base,
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(sample),
      status: 415,
    },
    {
      name: 'a form',
      method,
      path: base,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
      status: 415,
    },
    {
      name: 'JSON in latin1',
      method,
      path: base,
      headers: { 'content-type': 'application/json; charset=latin1' },
      body: Buffer.from(JSON.stringify(sample), 'latin1'),
      status: 415,
    },
    {
      name: 'UTF-16 bytes labelled UTF-8',
      method,
      path: base,
      headers: json,
      body: Buffer.from(JSON.stringify(sample), 'utf16le'),
      status: 400,
    },
  ];
  // Each variant of the sample is sent only when it differs from it (a valid sample would write).
  const variants: Record<string, (value: unknown, property: JsonSchema, key: string) => unknown> = {
    'NUL bytes in every string': (value) => (typeof value === 'string' ? 'a\u0000b' : value),
    'traversal in file names and keys': (value, _property, key) =>
      typeof value === 'string' && FILE_FIELD.test(key) ? '../../etc/passwd' : value,
    // Free-form objects (metadata, analysis) nested deeper than any store can write.
    '100,000 nested objects in free-form fields': (value, property) =>
      typeOf(property) === 'object' && property.properties === undefined ? DEEP_MARK : value,
  };
  const plain = JSON.stringify(sample);
  for (const [name, replace] of Object.entries(variants)) {
    const variant = JSON.stringify(mapLeaves(sample, schema, replace));
    if (variant === plain) continue;
    const body = variant.replaceAll(JSON.stringify(DEEP_MARK), deepObject());
    cases.push({ name, method, path: base, headers: json, body });
  }
  return cases;
}

function multipartCases(route: Route, base: string): HostileCase[] {
  const method = route.method.toUpperCase();
  return [
    {
      name: 'JSON instead of multipart',
      method,
      path: base,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      status: 415,
    },
    {
      name: 'garbage multipart',
      method,
      path: base,
      headers: { 'content-type': 'multipart/form-data; boundary=hostile' },
      body: 'this is not a multipart body\r\n--not-the-boundary\r\n',
    },
    {
      name: 'multipart without a boundary',
      method,
      path: base,
      headers: { 'content-type': 'multipart/form-data' },
      body: '--x\r\n\r\n',
    },
    {
      name: 'a multipart part with a traversal filename and no end',
      method,
      path: base,
      headers: { 'content-type': 'multipart/form-data; boundary=hostile' },
      body: '--hostile\r\nContent-Disposition: form-data; name="files"; filename="../../x.mp4"\r\nContent-Type: video/mp4\r\n\r\n\u0000\u0000',
    },
  ];
}

/** Every hostile request of one route, sent with valid credentials. */
export function hostileCasesOf(route: Route): HostileCase[] {
  const method = route.method.toUpperCase();
  const base = pathOf(route);
  const cases: HostileCase[] = [];
  for (const param of paramNamesOf(route)) {
    for (const [name, value] of Object.entries(HOSTILE_IDS)) {
      cases.push({ name: `${param}: ${name}`, method, path: pathOf(route, { [param]: value }) });
    }
  }
  cases.push(...queryCases(route, base));
  const bodyType = bodyTypeOf(route);
  if (bodyType === 'json') cases.push(...jsonBodyCases(route, base));
  if (bodyType === 'multipart') cases.push(...multipartCases(route, base));
  return cases;
}
