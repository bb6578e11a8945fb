import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What SigV4 needs of a request, exactly as it arrived. */
export interface SignedRequestParts {
  method: string;
  /** The path as sent (already percent-encoded: S3 signs it as is). */
  rawPath: string;
  /** The query as sent, without the `?`. */
  rawQuery: string;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
}

export interface SigV4Scope {
  /** `YYYYMMDD` */
  date: string;
  region: string;
  service: string;
}

/** RFC 3986 percent-encoding, as SigV4 wants it (only `A-Z a-z 0-9 - _ . ~` left as they are). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/gu,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Name/value pairs of a raw query string, decoded. */
export function queryPairs(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    return equals === -1
      ? [decode(pair), '']
      : [decode(pair.slice(0, equals)), decode(pair.slice(equals + 1))];
  });
}

function canonicalQuery(pairs: ReadonlyArray<[string, string]>): string {
  return pairs
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([leftName, leftValue], [rightName, rightValue]) =>
      leftName === rightName
        ? leftValue < rightValue
          ? -1
          : leftValue > rightValue
            ? 1
            : 0
        : leftName < rightName
          ? -1
          : 1,
    )
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function headerValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/gu, ' ');
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) =>
  createHmac('sha256', key).update(text, 'utf8').digest();

/**
 * The SigV4 signature of a request, computed by hand from the spec (canonical request →
 * string to sign → HMAC chain), independently of the SDK that signed it.
 */
export function sigV4Signature(
  request: SignedRequestParts,
  options: {
    secretAccessKey: string;
    amzDate: string;
    scope: SigV4Scope;
    signedHeaders: readonly string[];
    payloadHash: string;
    /** Query parameters left out of the canonical query (the signature itself, when presigned). */
    excludeQuery?: readonly string[];
  },
): string {
  const pairs = queryPairs(request.rawQuery).filter(
    ([name]) => !(options.excludeQuery ?? []).includes(name),
  );
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.rawPath === '' ? '/' : request.rawPath,
    canonicalQuery(pairs),
    options.signedHeaders.map((name) => `${name}:${headerValue(request.headers[name])}\n`).join(''),
    options.signedHeaders.join(';'),
    options.payloadHash,
  ].join('\n');
  const { date, region, service } = options.scope;
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    options.amzDate,
    scope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${options.secretAccessKey}`, date), region), service),
    'aws4_request',
  );
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

/** Compares two hex signatures in constant time. */
export function sameSignature(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `20261122T020304Z` → epoch milliseconds, or NaN. */
export function parseAmzDate(value: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/u.exec(value);
  if (match === null) return Number.NaN;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
}
