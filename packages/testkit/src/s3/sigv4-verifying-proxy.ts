import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { listenOnLoopback } from '../fake-http';
import {
  parseAmzDate,
  queryPairs,
  type SignedRequestParts,
  sameSignature,
  sigV4Signature,
} from './sigv4';

export interface SigV4VerifyingProxyOptions {
  /** The S3 server behind the proxy, e.g. startS3Server's `endpoint`. */
  target: string;
  /** The only keys the proxy accepts. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The region requests must be signed for, e.g. `us-east-1`. */
  region: string;
  /** Default `s3`. */
  service?: string;
  /** The proxy's clock in epoch ms (tests move it to expire URLs). Default `Date.now`. */
  now?: () => number;
}

/** How a request was authenticated. */
export type S3RequestAuthorization = 'presigned' | 'header' | 'none';

/** One request that reached the proxy, and what the proxy did with it. */
export interface RecordedS3Request {
  method: string;
  /** The raw path, e.g. `/bucket/videos/a%20b.mp4`. */
  path: string;
  /** Query parameters, decoded. */
  query: Record<string, string>;
  authorization: S3RequestAuthorization;
  /** `forwarded`, or the S3 error code the proxy answered with. */
  outcome: 'forwarded' | string;
}

export interface SigV4VerifyingProxy {
  /** `http://127.0.0.1:{port}`: give this to the S3 client instead of the server's. */
  endpoint: string;
  /** Every request so far, oldest first. */
  readonly requests: RecordedS3Request[];
  close(): Promise<void>;
}

interface Refusal {
  status: number;
  code: string;
  message: string;
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/gu,
    (character) =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[character]!,
  );

function parseCredential(credential: string) {
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator !== 'aws4_request'
  ) {
    return undefined;
  }
  return { accessKeyId, scope: { date, region, service } };
}

/**
 * An HTTP proxy in front of an S3 server that verifies SigV4 the way S3 does, since s3rver
 * does not: presigned URLs (`X-Amz-Algorithm`, `-Credential`, `-Date`, `-Expires`,
 * `-SignedHeaders`, `-Signature`) and `Authorization` headers are recomputed by hand from
 * the request as received. A tampered request gets 403 `SignatureDoesNotMatch`, an unknown
 * key 403 `InvalidAccessKeyId`, an expired URL 403 `AccessDenied` ("Request has expired");
 * the rest is forwarded unchanged. The payload hash of header-signed requests is taken from
 * `x-amz-content-sha256` as sent (the body itself is not hashed).
 */
export async function startSigV4VerifyingProxy(
  options: SigV4VerifyingProxyOptions,
): Promise<SigV4VerifyingProxy> {
  const target = new URL(options.target);
  const service = options.service ?? 's3';
  const now = options.now ?? Date.now;
  const requests: RecordedS3Request[] = [];

  function verify(
    request: IncomingMessage,
    parts: SignedRequestParts,
  ): {
    authorization: S3RequestAuthorization;
    refusal?: Refusal;
  } {
    const query = new Map(queryPairs(parts.rawQuery));
    const denied = (code: string, message: string, status = 403): Refusal => ({
      status,
      code,
      message,
    });
    const algorithm = query.get('X-Amz-Algorithm');
    const header = request.headers.authorization;
    if (algorithm !== undefined) {
      if (algorithm !== 'AWS4-HMAC-SHA256') {
        return {
          authorization: 'presigned',
          refusal: denied('AuthorizationQueryParametersError', 'Unsupported algorithm', 400),
        };
      }
      const credential = parseCredential(query.get('X-Amz-Credential') ?? '');
      const amzDate = query.get('X-Amz-Date') ?? '';
      const signedAt = parseAmzDate(amzDate);
      const expires = Number(query.get('X-Amz-Expires'));
      const signature = query.get('X-Amz-Signature') ?? '';
      const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
      if (
        credential === undefined ||
        Number.isNaN(signedAt) ||
        !Number.isInteger(expires) ||
        signedHeaders.length === 0
      ) {
        return {
          authorization: 'presigned',
          refusal: denied(
            'AuthorizationQueryParametersError',
            'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
            400,
          ),
        };
      }
      if (expires < 1 || expires > 604_800) {
        return {
          authorization: 'presigned',
          refusal: denied(
            'AuthorizationQueryParametersError',
            'X-Amz-Expires must be less than a week (in seconds) that is 604800',
            400,
          ),
        };
      }
      if (credential.accessKeyId !== options.credentials.accessKeyId) {
        return {
          authorization: 'presigned',
          refusal: denied(
            'InvalidAccessKeyId',
            'The AWS Access Key Id you provided does not exist in our records.',
          ),
        };
      }
      const expected = sigV4Signature(parts, {
        secretAccessKey: options.credentials.secretAccessKey,
        amzDate,
        scope: { date: credential.scope.date, region: options.region, service },
        signedHeaders,
        payloadHash: query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
        excludeQuery: ['X-Amz-Signature'],
      });
      if (!sameSignature(expected, signature)) {
        return {
          authorization: 'presigned',
          refusal: denied(
            'SignatureDoesNotMatch',
            'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          ),
        };
      }
      if (now() > signedAt + expires * 1000) {
        return {
          authorization: 'presigned',
          refusal: denied('AccessDenied', 'Request has expired'),
        };
      }
      return { authorization: 'presigned' };
    }
    if (typeof header === 'string' && header.startsWith('AWS4-HMAC-SHA256 ')) {
      const fields = new Map(
        header
          .slice('AWS4-HMAC-SHA256 '.length)
          .split(',')
          .map((field) => field.trim())
          .map((field) => {
            const equals = field.indexOf('=');
            return [field.slice(0, equals), field.slice(equals + 1)] as const;
          }),
      );
      const credential = parseCredential(fields.get('Credential') ?? '');
      const signedHeaders = (fields.get('SignedHeaders') ?? '').split(';').filter(Boolean);
      const amzDate = String(request.headers['x-amz-date'] ?? '');
      const payloadHash = String(request.headers['x-amz-content-sha256'] ?? 'UNSIGNED-PAYLOAD');
      if (credential === undefined || signedHeaders.length === 0 || amzDate === '') {
        return {
          authorization: 'header',
          refusal: denied(
            'AuthorizationHeaderMalformed',
            'The authorization header is malformed',
            400,
          ),
        };
      }
      if (credential.accessKeyId !== options.credentials.accessKeyId) {
        return {
          authorization: 'header',
          refusal: denied(
            'InvalidAccessKeyId',
            'The AWS Access Key Id you provided does not exist in our records.',
          ),
        };
      }
      const expected = sigV4Signature(parts, {
        secretAccessKey: options.credentials.secretAccessKey,
        amzDate,
        scope: { date: credential.scope.date, region: options.region, service },
        signedHeaders,
        payloadHash,
      });
      if (!sameSignature(expected, fields.get('Signature') ?? '')) {
        return {
          authorization: 'header',
          refusal: denied(
            'SignatureDoesNotMatch',
            'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          ),
        };
      }
      return { authorization: 'header' };
    }
    return { authorization: 'none' };
  }

  function refuse(request: IncomingMessage, response: ServerResponse, refusal: Refusal): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${escapeXml(refusal.message)}</Message><Resource>${escapeXml(request.url ?? '')}</Resource><RequestId>vbuckets-proxy</RequestId></Error>`;
    // Read the body first: answering while a client still sends makes it see a reset.
    request.resume();
    request.once('end', () => {
      response.writeHead(refusal.status, {
        'content-type': 'application/xml',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  }

  function forward(request: IncomingMessage, response: ServerResponse): void {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.once('error', () => response.destroy());
      },
    );
    upstream.once('error', () => {
      if (response.headersSent) response.destroy();
      else {
        response.writeHead(502);
        response.end();
      }
    });
    response.once('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  }

  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    const questionMark = url.indexOf('?');
    const parts: SignedRequestParts = {
      method: request.method ?? 'GET',
      rawPath: questionMark === -1 ? url : url.slice(0, questionMark),
      rawQuery: questionMark === -1 ? '' : url.slice(questionMark + 1),
      headers: request.headers,
    };
    const { authorization, refusal } = verify(request, parts);
    requests.push({
      method: parts.method,
      path: parts.rawPath,
      query: Object.fromEntries(queryPairs(parts.rawQuery)),
      authorization,
      outcome: refusal?.code ?? 'forwarded',
    });
    if (refusal !== undefined) refuse(request, response, refusal);
    else forward(request, response);
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
