import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { flatHeaders, listenOnLoopback, readBody } from '../fake-http';
import { createFakeMetricsBook, metricsControls } from '../fake-metrics';
import type {
  FakeTikTokBehaviour,
  FakeTikTokPublish,
  FakeTikTokRequest,
  FakeTikTokRoute,
  FakeTikTokServer,
  FakeTikTokServerOptions,
  FakeTikTokSwitches,
} from './fake-tiktok-types';

const DEFAULT_TOKEN = 'fake-tiktok-token';
const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
/** `/v2/video/query/` takes up to 20 video ids. */
const MAX_QUERY_IDS = 20;
/** The Video Object's fields (`fields` may only name these). */
const VIDEO_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'create_time',
  'cover_image_url',
  'share_url',
  'video_description',
  'duration',
  'height',
  'width',
  'title',
  'embed_html',
  'embed_link',
  'like_count',
  'comment_count',
  'share_count',
  'view_count',
]);

/** A TikTok API answer: `{ data, error: { code, message, log_id } }`. */
export interface TikTokAnswer {
  httpStatus: number;
  headers?: Record<string, string>;
  body: { data: Record<string, unknown>; error: { code: string; message: string; log_id: string } };
}

/** Builds an answer as open.tiktokapis.com writes it (`code: 'ok'` on success). */
export function tiktokAnswer(
  httpStatus: number,
  data: Record<string, unknown>,
  code = 'ok',
  message = '',
): TikTokAnswer {
  return {
    httpStatus,
    body: { data, error: { code, message, log_id: randomBytes(12).toString('hex').toUpperCase() } },
  };
}

function errorOfBehaviour(behaviour: FakeTikTokBehaviour): TikTokAnswer | undefined {
  switch (behaviour.type) {
    case 'rate-limit':
      return {
        ...tiktokAnswer(
          429,
          {},
          'rate_limit_exceeded',
          'API rate limit was exceeded. Please try again later.',
        ),
        ...(behaviour.retryAfterSeconds === undefined
          ? {}
          : { headers: { 'retry-after': String(behaviour.retryAfterSeconds) } }),
      };
    case 'too-many-posts':
      return tiktokAnswer(
        403,
        {},
        'spam_risk_too_many_posts',
        'The daily post cap from the API is reached for the current user.',
      );
    case 'server-error':
      return tiktokAnswer(
        behaviour.status ?? 500,
        {},
        'internal_error',
        'Something went wrong. Please try again later.',
      );
    case 'error':
      return tiktokAnswer(behaviour.status, {}, behaviour.code, behaviour.message);
    default:
      return undefined;
  }
}

function send(
  response: ServerResponse,
  answer: TikTokAnswer | { httpStatus: number; body?: undefined; headers?: undefined },
) {
  if (response.destroyed || response.headersSent) return;
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  response.writeHead(answer.httpStatus, {
    ...answer.headers,
    ...(answer.body === undefined ? {} : { 'content-type': 'application/json; charset=UTF-8' }),
    'content-length': String(Buffer.byteLength(body)),
  });
  response.end(body);
}

function routeOf(method: string, path: string): FakeTikTokRoute {
  if (method === 'POST' && path === '/v2/video/query/') return 'video-query';
  if (method === 'POST' && path === '/v2/post/publish/inbox/video/init/') return 'init-inbox';
  if (method === 'POST' && path === '/v2/post/publish/video/init/') return 'init-direct';
  if (method === 'POST' && path === '/v2/post/publish/status/fetch/') return 'status-fetch';
  if (method === 'PUT' && path === '/video/') return 'upload-chunk';
  return 'unknown';
}

const invalid = (message: string) => tiktokAnswer(400, {}, 'invalid_params', message);

/**
 * Starts a fake of TikTok's Content Posting API on 127.0.0.1: `POST
 * /v2/post/publish/inbox/video/init/` (upload to the inbox) or `/v2/post/publish/video/init/`
 * (direct post) with `source_info.source = FILE_UPLOAD` (checks the chunk rules: size,
 * `total_chunk_count = floor(video_size / chunk_size)`, the last chunk taking the rest), then
 * ordered `PUT {upload_url}` chunks with `Content-Range: bytes first-last/total` (206, then 201
 * for the last), and `POST /v2/post/publish/status/fetch/`; and the Display API's `POST
 * /v2/video/query/?fields=…` (counts of completed direct posts and of posts given
 * `setMetrics`, 20 ids at most, deleted ids left out). Every request but a chunk PUT needs
 * `Authorization: Bearer <token>`. Every request is recorded; faults are scripted per route.
 */
export async function startFakeTikTokServer(
  options: FakeTikTokServerOptions = {},
): Promise<FakeTikTokServer> {
  const accessToken = options.accessToken ?? DEFAULT_TOKEN;
  const minChunkBytes = options.minChunkBytes ?? 5 * 1024 * 1024;
  const switches: FakeTikTokSwitches = {
    processingPolls: options.processingPolls ?? 1,
    outcome: options.outcome ?? { status: 'DONE' },
  };
  const requests: FakeTikTokRequest[] = [];
  const publishes = new Map<string, FakeTikTokPublish>();
  const book = createFakeMetricsBook();
  const queues = new Map<FakeTikTokRoute, FakeTikTokBehaviour[]>();
  let baseUrl = '';
  let accepted = 0;

  const byUploadId = (uploadId: string) =>
    [...publishes.values()].find((publish) => publish.uploadId === uploadId);

  /** The byte range chunk `index` must cover. */
  function chunkRange(publish: FakeTikTokPublish, index: number) {
    const first = index * publish.chunkSize;
    const last =
      index === publish.totalChunkCount - 1 ? publish.videoSize - 1 : first + publish.chunkSize - 1;
    return { first, last };
  }

  function init(route: FakeTikTokRoute, json: unknown): TikTokAnswer {
    const body = (json ?? {}) as Record<string, unknown>;
    const source = (body.source_info ?? {}) as Record<string, unknown>;
    if (source.source !== 'FILE_UPLOAD') return invalid('source_info.source must be FILE_UPLOAD');
    const videoSize = Number(source.video_size);
    const chunkSize = Number(source.chunk_size);
    const total = Number(source.total_chunk_count);
    if (![videoSize, chunkSize, total].every((each) => Number.isInteger(each) && each > 0)) {
      return invalid('video_size, chunk_size and total_chunk_count are required');
    }
    if (chunkSize > videoSize) return invalid('chunk_size is larger than video_size');
    if (chunkSize < videoSize && chunkSize < minChunkBytes)
      return invalid('chunk_size is too small');
    if (chunkSize > MAX_CHUNK_BYTES) return invalid('chunk_size is too large');
    if (total !== Math.floor(videoSize / chunkSize) || total > 1000) {
      return invalid('total_chunk_count does not match video_size / chunk_size');
    }
    if (route === 'init-direct' && typeof body.post_info !== 'object') {
      return invalid('post_info is required for a direct post');
    }
    const publish: FakeTikTokPublish = {
      publishId: `v_pub_file~v2-1.${randomBytes(8).readBigUInt64BE()}`,
      uploadId: String(randomBytes(6).readUIntBE(0, 6)),
      mode: route === 'init-direct' ? 'direct' : 'inbox',
      videoSize,
      chunkSize,
      totalChunkCount: total,
      ...(route === 'init-direct' ? { postInfo: body.post_info as Record<string, unknown> } : {}),
      received: Buffer.alloc(0),
      expired: false,
      polls: 0,
    };
    publishes.set(publish.publishId, publish);
    return tiktokAnswer(200, {
      publish_id: publish.publishId,
      upload_url: `${baseUrl}/video/?upload_id=${publish.uploadId}&upload_token=${randomBytes(8).toString('hex')}`,
    });
  }

  function chunk(url: URL, headers: Record<string, string>, body: Buffer) {
    const publish = byUploadId(url.searchParams.get('upload_id') ?? '');
    if (publish === undefined || publish.expired) return { httpStatus: 404 };
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/u.exec(headers['content-range'] ?? '');
    if (range === null) return { httpStatus: 400 };
    const [first, last, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    const index = Math.floor(first / publish.chunkSize);
    const expected = chunkRange(publish, Math.min(index, publish.totalChunkCount - 1));
    // Chunks go in order; one sent again after an unanswered PUT overwrites itself.
    if (
      total !== publish.videoSize ||
      first !== expected.first ||
      last !== expected.last ||
      first > publish.received.byteLength ||
      body.byteLength !== last - first + 1
    ) {
      return { httpStatus: 416 };
    }
    const merged = Buffer.alloc(Math.max(publish.received.byteLength, last + 1));
    publish.received.copy(merged);
    body.copy(merged, first);
    publish.received = merged;
    accepted += body.byteLength;
    return { httpStatus: publish.received.byteLength === publish.videoSize ? 201 : 206 };
  }

  function status(json: unknown): TikTokAnswer {
    const publishId = (json as { publish_id?: unknown } | undefined)?.publish_id;
    const publish = publishes.get(typeof publishId === 'string' ? publishId : '');
    if (publish === undefined) return invalid('publish_id is invalid');
    const uploaded = publish.received.byteLength;
    if (uploaded < publish.videoSize) {
      return tiktokAnswer(200, { status: 'PROCESSING_UPLOAD', uploaded_bytes: uploaded });
    }
    publish.polls += 1;
    if (publish.polls <= switches.processingPolls) {
      return tiktokAnswer(200, { status: 'PROCESSING_UPLOAD', uploaded_bytes: uploaded });
    }
    const outcome = switches.outcome;
    if (outcome.status === 'FAILED') {
      return tiktokAnswer(200, {
        status: 'FAILED',
        fail_reason: outcome.failReason,
        uploaded_bytes: uploaded,
      });
    }
    publish.postId ??= String(7 * 10 ** 18 + Math.floor(Math.random() * 10 ** 15));
    if (publish.mode === 'direct') book.publish(publish.postId);
    return publish.mode === 'direct'
      ? tiktokAnswer(200, {
          status: 'PUBLISH_COMPLETE',
          publicaly_available_post_id: [Number(publish.postId)],
          uploaded_bytes: uploaded,
        })
      : tiktokAnswer(200, { status: 'SEND_TO_USER_INBOX', uploaded_bytes: uploaded });
  }

  /** The Display API's video query: the requested fields of the known, undeleted ids. */
  function videoQuery(url: URL, json: unknown): TikTokAnswer {
    const fields = (url.searchParams.get('fields') ?? '').split(',').filter(Boolean);
    if (fields.length === 0) return invalid('fields is required');
    const unknown = fields.find((field) => !VIDEO_FIELDS.has(field));
    if (unknown !== undefined) return invalid(`Invalid field: ${unknown}`);
    const ids = (json as { filters?: { video_ids?: unknown } } | undefined)?.filters?.video_ids;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
      return invalid('filters.video_ids is required');
    }
    if (ids.length > MAX_QUERY_IDS) {
      return invalid(`filters.video_ids can hold at most ${MAX_QUERY_IDS} ids`);
    }
    const videos = [...new Set(ids as string[])].flatMap((id) => {
      const metrics = book.get(id);
      if (metrics === undefined) return [];
      const all: Record<string, unknown> = {
        id,
        view_count: metrics.views,
        like_count: metrics.likes,
        comment_count: metrics.comments,
        share_count: metrics.shares,
      };
      return [Object.fromEntries(fields.filter((field) => field in all).map((f) => [f, all[f]]))];
    });
    return tiktokAnswer(200, { videos });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const headers = flatHeaders(request.headers);
    const route = routeOf(request.method ?? 'GET', url.pathname);
    const body = await readBody(request);
    let json: unknown;
    if (route !== 'upload-chunk' && body.byteLength > 0) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    requests.push({
      route,
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers,
      ...(json === undefined ? {} : { json }),
      bodyBytes: body.byteLength,
    });
    const behaviour = queues.get(route)?.shift();
    if (behaviour?.type === 'reset') {
      request.socket.destroy();
      return;
    }
    const scripted = behaviour === undefined ? undefined : errorOfBehaviour(behaviour);
    if (scripted !== undefined) {
      send(response, scripted);
      return;
    }
    let answer: TikTokAnswer | { httpStatus: number };
    if (route === 'unknown') {
      answer = tiktokAnswer(
        404,
        {},
        'invalid_params',
        `Unknown endpoint ${request.method} ${url.pathname}`,
      );
    } else if (route === 'upload-chunk') {
      // The upload URL carries its own token; no Authorization header is needed.
      answer = chunk(url, headers, body);
    } else if (headers.authorization !== `Bearer ${accessToken}`) {
      answer = tiktokAnswer(
        401,
        {},
        'access_token_invalid',
        'The access token is invalid or not found in the request.',
      );
    } else if (route === 'status-fetch') {
      answer = status(json);
    } else if (route === 'video-query') {
      answer = videoQuery(url, json);
    } else {
      answer = init(route, json);
    }
    if (behaviour?.type === 'reset-after-handling') {
      request.socket.destroy();
      return;
    }
    send(response, answer);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      send(response, tiktokAnswer(500, {}, 'internal_error', `fake-tiktok: ${String(error)}`));
    });
  });
  baseUrl = await listenOnLoopback(server);

  return {
    baseUrl,
    accessToken,
    requests,
    publishes,
    switches,
    enqueue(route, ...behaviours) {
      const queue = queues.get(route) ?? [];
      queue.push(...behaviours);
      queues.set(route, queue);
    },
    requestsTo: (route) => requests.filter((each) => each.route === route),
    acceptedBytes: () => accepted,
    expireUpload(publishId) {
      const publish = publishes.get(publishId);
      if (publish !== undefined) publish.expired = true;
    },
    ...metricsControls(book),
    completed: () => [...publishes.values()].filter((publish) => publish.postId !== undefined),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
