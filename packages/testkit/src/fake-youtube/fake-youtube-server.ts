import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { flatHeaders, listenOnLoopback, readBody } from '../fake-http';
import { createFakeMetricsBook, metricsControls } from '../fake-metrics';
import {
  type FakeYouTubeErrorAnswer,
  invalidCredentials,
  scriptedError,
  youTubeError,
} from './fake-youtube-errors';
import type {
  FakeYouTubeChaos,
  FakeYouTubeChaosKind,
  FakeYouTubeFailure,
  FakeYouTubeRequest,
  FakeYouTubeRoute,
  FakeYouTubeScript,
  FakeYouTubeServer,
  FakeYouTubeServerOptions,
  FakeYouTubeSession,
  FakeYouTubeVideo,
} from './fake-youtube-types';

const UPLOAD_PATH = '/upload/youtube/v3/videos';
const VIDEOS_PATH = '/youtube/v3/videos';
/** videos.list takes at most 50 ids. */
const MAX_LIST_IDS = 50;
/** YouTube (like every Google resumable upload) takes chunks in multiples of 256 KiB. */
const CHUNK_GRANULARITY = 256 * 1024;

interface StoredSession extends FakeYouTubeSession {
  chunks: Buffer[];
}

function routeOf(method: string, url: URL): FakeYouTubeRoute {
  if (method === 'GET' && url.pathname === VIDEOS_PATH) return 'videos-list';
  if (url.pathname !== UPLOAD_PATH) return 'unknown';
  if (method === 'POST' && url.searchParams.get('uploadType') === 'resumable') {
    return url.searchParams.has('upload_id') ? 'unknown' : 'start';
  }
  if (method === 'PUT' && url.searchParams.has('upload_id')) return 'chunk';
  return 'unknown';
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendError(response: ServerResponse, answer: FakeYouTubeErrorAnswer): void {
  sendJson(response, answer.status, answer.body, answer.headers);
}

/** 308 Resume Incomplete, with `Range: bytes=0-N` once anything is stored. */
function sendIncomplete(response: ServerResponse, session: StoredSession): void {
  const headers: Record<string, string> = { 'content-length': '0' };
  if (session.receivedBytes > 0) headers.range = `bytes=0-${session.receivedBytes - 1}`;
  response.writeHead(308, headers);
  response.end();
}

function videoResource(video: FakeYouTubeVideo): Record<string, unknown> {
  const metadata = (video.metadata ?? {}) as {
    snippet?: unknown;
    status?: Record<string, unknown>;
  };
  return {
    kind: 'youtube#video',
    etag: video.sessionId,
    id: video.id,
    snippet: metadata.snippet ?? {},
    status: { uploadStatus: 'uploaded', ...(metadata.status ?? {}) },
  };
}

/** `bytes a-b/total` or `bytes *\/total`. */
function parseContentRange(
  value: string | undefined,
): { start: number; end: number; total: number } | { query: true; total: number } | undefined {
  if (value === undefined) return undefined;
  const query = /^bytes \*\/(\d+)$/u.exec(value.trim());
  if (query) return { query: true, total: Number(query[1]) };
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/u.exec(value.trim());
  if (!range) return undefined;
  return { start: Number(range[1]), end: Number(range[2]), total: Number(range[3]) };
}

/** Reads until `limit` bytes arrived (or the body ended), without consuming the rest. */
async function readSome(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).byteLength;
    if (length >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

const ALL_FAILURE_KINDS = ['server-error', 'reset', 'lost-response'] as const;

function checkChaos(chaos: FakeYouTubeChaos): void {
  for (const key of ['failureRate', 'rateLimitRate'] as const) {
    const rate = chaos[key] ?? 0;
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`chaos.${key} must be within [0, 1]`);
  }
  if ((chaos.failureRate ?? 0) + (chaos.rateLimitRate ?? 0) > 1) {
    throw new RangeError('chaos.failureRate + chaos.rateLimitRate must be at most 1');
  }
  if (chaos.failureKinds !== undefined && chaos.failureKinds.length === 0) {
    throw new RangeError('chaos.failureKinds must name at least one kind');
  }
  const retryAfter = chaos.retryAfterSeconds ?? 1;
  if (!(retryAfter >= 0 && Number.isFinite(retryAfter))) {
    throw new RangeError('chaos.retryAfterSeconds must be a finite number of at least 0');
  }
}

/** Makes the handler's answer vanish: the work is done, the connection drops instead of the reply. */
function loseResponse(request: IncomingMessage, response: ServerResponse): void {
  const socket = request.socket;
  const drop = () => {
    socket.destroy();
    return response;
  };
  response.writeHead = drop as unknown as ServerResponse['writeHead'];
  response.end = drop as unknown as ServerResponse['end'];
}

/**
 * Starts a fake of the YouTube Data API v3 resumable upload on 127.0.0.1: a POST with the
 * video's JSON metadata opens a session (its URI in `Location`); PUTs carry chunks with
 * `Content-Range: bytes a-b/total` (multiples of 256 KiB but the last) and are answered
 * 308 with `Range: bytes=0-N`; the last one 200 with the video resource; an empty PUT with
 * `bytes *\/total` asks where the session is. `GET /youtube/v3/videos?part=statistics&id=…`
 * serves the statistics of finished uploads and of posts given `setMetrics` (a bearer token
 * required, 50 ids at most, deleted and unknown ids left out of `items`). Failures and dropped
 * connections are scripted, or drawn at random for a share of the requests with `chaos`;
 * `latencyMs` delays every answer, as a distant API's round trip does.
 */
export async function startFakeYouTubeServer(
  options: FakeYouTubeServerOptions = {},
): Promise<FakeYouTubeServer> {
  const tokens = new Set(options.accessTokens ?? ['fake-youtube-token']);
  const chaos = options.chaos;
  if (chaos !== undefined) checkChaos(chaos);
  const latencyMs = options.latencyMs ?? 0;
  if (!(latencyMs >= 0 && Number.isFinite(latencyMs))) {
    throw new RangeError('latencyMs must be a finite number of at least 0');
  }
  const random = chaos?.random ?? Math.random;
  const requests: FakeYouTubeRequest[] = [];
  const sessions = new Map<string, StoredSession>();
  const videos = new Map<string, FakeYouTubeVideo>();
  const book = createFakeMetricsBook();
  const queue: FakeYouTubeScript[] = [];
  let accepted = 0;
  let baseUrl = '';

  function takeScript(route: FakeYouTubeRoute, offset: number): FakeYouTubeScript | undefined {
    const index = queue.findIndex(
      (entry) => entry.route === route && (route !== 'chunk' || offset >= (entry.fromOffset ?? 0)),
    );
    return index === -1 ? undefined : queue.splice(index, 1)[0];
  }

  /** The failure chaos injects into a request of `route`, if any. */
  function drawChaos(route: FakeYouTubeRoute): FakeYouTubeChaosKind | undefined {
    if (chaos === undefined || route === 'unknown') return undefined;
    const draw = random();
    const rateLimitRate = chaos.rateLimitRate ?? 0;
    if (draw < rateLimitRate) return 'rate-limit';
    if (draw >= rateLimitRate + (chaos.failureRate ?? 0)) return undefined;
    const kinds = chaos.failureKinds ?? ALL_FAILURE_KINDS;
    return kinds[Math.min(kinds.length - 1, Math.floor(random() * kinds.length))];
  }

  /** Answers a request chaos failed; false when the handler should still run (`lost-response`). */
  async function injectChaos(
    kind: FakeYouTubeChaosKind,
    request: IncomingMessage,
    response: ServerResponse,
    record: FakeYouTubeRequest,
  ): Promise<boolean> {
    record.injected = kind;
    if (kind === 'lost-response') {
      loseResponse(request, response);
      return false;
    }
    if (kind === 'reset') {
      request.socket.destroy();
      return true;
    }
    record.bodyBytes = (await readBody(request)).byteLength;
    sendError(
      response,
      kind === 'rate-limit'
        ? scriptedError({
            kind: 'rate-limit',
            status: 429,
            reason: 'rateLimitExceeded',
            retryAfterSeconds: chaos?.retryAfterSeconds ?? 1,
          })
        : scriptedError({ kind: 'server-error', status: 503 }),
    );
    return true;
  }

  /** Waits out a scripted `hold` (which then counts as no script); other scripts pass through. */
  async function unlessHeld(
    scripted: FakeYouTubeScript | undefined,
  ): Promise<
    (FakeYouTubeScript & { failure: Exclude<FakeYouTubeFailure, { kind: 'hold' }> }) | undefined
  > {
    if (scripted === undefined) return undefined;
    const { failure } = scripted;
    if (failure.kind !== 'hold') return { ...scripted, failure };
    await (failure.until ?? new Promise<never>(() => {}));
    return undefined;
  }

  function authorized(headers: Record<string, string>, required: boolean): boolean {
    const header = headers.authorization;
    if (header === undefined) return !required;
    const match = /^Bearer (.+)$/u.exec(header);
    return match !== null && tokens.has(match[1] ?? '');
  }

  async function handleStart(
    request: IncomingMessage,
    response: ServerResponse,
    record: FakeYouTubeRequest,
  ): Promise<void> {
    const body = await readBody(request);
    record.bodyBytes = body.byteLength;
    const scripted = await unlessHeld(takeScript('start', 0));
    if (!authorized(record.headers, true)) return sendError(response, invalidCredentials());
    if (scripted !== undefined && scripted.failure.kind !== 'interrupt') {
      return sendError(response, scriptedError(scripted.failure));
    }
    let metadata: unknown;
    try {
      metadata = JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(response, youTubeError(400, 'parseError', 'global', 'Parse Error'));
    }
    record.json = metadata;
    const title = (metadata as { snippet?: { title?: unknown } })?.snippet?.title;
    if (typeof title !== 'string' || title.trim() === '') {
      return sendError(
        response,
        youTubeError(
          400,
          'invalidTitle',
          'youtube.video',
          'The request metadata specifies an invalid or empty video title.',
        ),
      );
    }
    const totalBytes = Number(record.headers['x-upload-content-length']);
    const contentType = record.headers['x-upload-content-type'] ?? 'video/*';
    if (!Number.isInteger(totalBytes) || totalBytes <= 0) {
      return sendError(
        response,
        youTubeError(400, 'badContent', 'youtube.video', 'Missing X-Upload-Content-Length.'),
      );
    }
    const id = randomUUID().replaceAll('-', '');
    const url = new URL(`${baseUrl}${record.path}`);
    url.searchParams.set('upload_id', id);
    sessions.set(id, {
      id,
      uri: url.toString(),
      metadata,
      totalBytes,
      contentType,
      receivedBytes: 0,
      expired: false,
      chunks: [],
    });
    response.writeHead(200, { location: url.toString(), 'content-length': '0' });
    response.end();
  }

  function finish(session: StoredSession): FakeYouTubeVideo {
    const id = randomBytes(8).toString('base64url').slice(0, 11);
    const video: FakeYouTubeVideo = {
      id,
      sessionId: session.id,
      bytes: new Uint8Array(Buffer.concat(session.chunks)),
      metadata: session.metadata,
      contentType: session.contentType,
    };
    session.videoId = id;
    videos.set(id, video);
    book.publish(id);
    return video;
  }

  async function handleChunk(
    request: IncomingMessage,
    response: ServerResponse,
    record: FakeYouTubeRequest,
    sessionId: string,
  ): Promise<void> {
    const session = sessions.get(sessionId);
    const range = parseContentRange(record.headers['content-range']);
    if (range !== undefined && 'query' in range) record.route = 'status';
    const scripted = await unlessHeld(
      takeScript(record.route, range !== undefined && 'start' in range ? range.start : 0),
    );
    if (scripted?.failure.kind === 'interrupt' && range !== undefined && 'start' in range) {
      // Leaving the body half read detaches the socket from the request: hold on to it first.
      const socket = request.socket;
      const length = range.end - range.start + 1;
      const partial = await readSome(
        request,
        scripted.failure.afterBytes ?? Math.floor(length / 2),
      );
      record.bodyBytes = partial.byteLength;
      const keep = Math.min(scripted.failure.keepBytes ?? 0, partial.byteLength);
      if (session !== undefined && keep > 0 && range.start === session.receivedBytes) {
        session.chunks.push(Buffer.from(partial.subarray(0, keep)));
        session.receivedBytes += keep;
        accepted += keep;
      }
      socket.destroy();
      return;
    }
    const body = await readBody(request);
    record.bodyBytes = body.byteLength;
    if (!authorized(record.headers, false)) return sendError(response, invalidCredentials());
    if (scripted !== undefined && scripted.failure.kind !== 'interrupt') {
      return sendError(response, scriptedError(scripted.failure));
    }
    if (session === undefined || session.expired) {
      return sendError(
        response,
        youTubeError(404, 'notFound', 'global', 'Upload session not found.'),
      );
    }
    if (range === undefined || range.total !== session.totalBytes) {
      return sendError(
        response,
        youTubeError(400, 'badRequest', 'global', 'Failed to parse Content-Range header.'),
      );
    }
    if ('query' in range) {
      if (session.videoId !== undefined) {
        return sendJson(
          response,
          200,
          videoResource(videos.get(session.videoId) as FakeYouTubeVideo),
        );
      }
      return sendIncomplete(response, session);
    }
    const length = range.end - range.start + 1;
    const last = range.end + 1 === session.totalBytes;
    if (
      session.videoId !== undefined ||
      range.start !== session.receivedBytes ||
      body.byteLength !== length ||
      range.end >= session.totalBytes ||
      (!last && length % CHUNK_GRANULARITY !== 0)
    ) {
      return sendError(
        response,
        youTubeError(
          400,
          'badRequest',
          'global',
          `Invalid chunk ${record.headers['content-range']} at offset ${session.receivedBytes}.`,
        ),
      );
    }
    session.chunks.push(body);
    session.receivedBytes += length;
    accepted += length;
    if (!last) return sendIncomplete(response, session);
    return sendJson(response, 200, videoResource(finish(session)));
  }

  /** videos.list with `part=statistics`: the known, undeleted ids, in the order asked. */
  async function handleVideosList(
    request: IncomingMessage,
    response: ServerResponse,
    record: FakeYouTubeRequest,
    url: URL,
  ): Promise<void> {
    record.bodyBytes = (await readBody(request)).byteLength;
    const scripted = await unlessHeld(takeScript('videos-list', 0));
    if (!authorized(record.headers, true)) return sendError(response, invalidCredentials());
    if (scripted !== undefined && scripted.failure.kind !== 'interrupt') {
      return sendError(response, scriptedError(scripted.failure));
    }
    const parts = (url.searchParams.get('part') ?? '').split(',').filter(Boolean);
    if (parts.length === 0) {
      return sendError(
        response,
        youTubeError(400, 'required', 'global', 'Required parameter: part'),
      );
    }
    const ids = (url.searchParams.get('id') ?? '').split(',').filter(Boolean);
    record.videoIds = ids;
    if (ids.length > MAX_LIST_IDS) {
      return sendError(
        response,
        youTubeError(
          400,
          'invalidParameter',
          'youtube.parameter',
          `The id parameter names ${ids.length} videos; at most ${MAX_LIST_IDS} are allowed.`,
        ),
      );
    }
    const items = [...new Set(ids)].flatMap((id) => {
      const metrics = book.get(id);
      if (metrics === undefined) return [];
      const statistics: Record<string, string> = { viewCount: String(metrics.views) };
      if (metrics.likesHidden !== true) statistics.likeCount = String(metrics.likes);
      statistics.favoriteCount = '0';
      if (metrics.commentsHidden !== true) statistics.commentCount = String(metrics.comments);
      return [
        {
          kind: 'youtube#video',
          etag: randomBytes(8).toString('base64url'),
          id,
          ...(parts.includes('statistics') ? { statistics } : {}),
        },
      ];
    });
    return sendJson(response, 200, {
      kind: 'youtube#videoListResponse',
      etag: randomBytes(8).toString('base64url'),
      items,
      pageInfo: { totalResults: items.length, resultsPerPage: items.length },
    });
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const record: FakeYouTubeRequest = {
      route: routeOf(request.method ?? 'GET', url),
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: flatHeaders(request.headers),
      bodyBytes: 0,
    };
    const sessionId = url.searchParams.get('upload_id') ?? undefined;
    if (sessionId !== undefined) record.sessionId = sessionId;
    requests.push(record);
    const handle = () =>
      record.route === 'videos-list'
        ? handleVideosList(request, response, record, url)
        : record.route === 'start'
          ? handleStart(request, response, record)
          : record.route === 'chunk' && sessionId !== undefined
            ? handleChunk(request, response, record, sessionId)
            : Promise.resolve(
                sendError(response, youTubeError(404, 'notFound', 'global', 'Not Found')),
              );
    const injected = drawChaos(record.route);
    const serve = () =>
      injected === undefined
        ? handle()
        : injectChaos(injected, request, response, record).then((answered) =>
            answered ? undefined : handle(),
          );
    const handled = latencyMs > 0 ? sleep(latencyMs).then(serve) : serve();
    handled.catch(() => {
      if (!response.headersSent)
        sendError(response, youTubeError(500, 'internalError', 'global', 'Internal Error'));
      else response.destroy();
    });
  });
  baseUrl = await listenOnLoopback(server);

  return {
    baseUrl,
    requests,
    videos,
    sessions,
    acceptedBytes: () => accepted,
    script: (...entries) => {
      queue.push(...entries);
    },
    ...metricsControls(book),
    expireSession: (sessionId) => {
      const session = sessions.get(sessionId);
      if (session !== undefined) session.expired = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
