import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { flatHeaders, listenOnLoopback, readBody } from '../fake-http';
import {
  createFakeMetricsBook,
  type FakeMetricsBook,
  type FakePostMetrics,
  metricsControls,
} from '../fake-metrics';
import type {
  FakeMetaBehaviour,
  FakeMetaRequest,
  FakeMetaRoute,
  FakeMetaServer,
  FakeMetaServerOptions,
  FakeMetaSession,
  FakeMetaSwitches,
} from './fake-meta-types';

const DEFAULT_TOKEN = 'fake-meta-token';

/** A Graph API error answer: `{ error: { message, type, code, error_subcode, fbtrace_id } }`. */
export interface GraphErrorAnswer {
  httpStatus: number;
  body: { error: Record<string, unknown> };
  headers?: Record<string, string>;
}

/** Builds a Graph API error answer as graph.facebook.com writes it. */
export function graphError(
  httpStatus: number,
  code: number,
  message: string,
  extra: {
    subcode?: number;
    type?: string;
    userMessage?: string;
    transient?: boolean;
    headers?: Record<string, string>;
  } = {},
): GraphErrorAnswer {
  return {
    httpStatus,
    body: {
      error: {
        message,
        type: extra.type ?? 'OAuthException',
        code,
        ...(extra.subcode === undefined ? {} : { error_subcode: extra.subcode }),
        ...(extra.userMessage === undefined
          ? {}
          : { error_user_title: 'Upload failed', error_user_msg: extra.userMessage }),
        is_transient: extra.transient ?? false,
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
    ...(extra.headers === undefined ? {} : { headers: extra.headers }),
  };
}

/** Graph's answer about an id that is not there (deleted, never there, or not visible). */
export function graphMissingObject(id: string): GraphErrorAnswer {
  return graphError(
    400,
    100,
    `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { subcode: 33, type: 'GraphMethodException' },
  );
}

/**
 * A Graph insights answer (`{ data: [{ name, period, values: [{ value }], title, description,
 * id }], paging }`) for the `metric` parameter (default: every metric of `values`), or error
 * 100 naming the first metric that is not in `values`.
 */
export function graphInsightsAnswer(
  id: string,
  edge: string,
  requested: string | undefined,
  values: Record<string, unknown>,
): { status: 200; body: unknown } | { status: 400; error: GraphErrorAnswer } {
  const names = (requested ?? Object.keys(values).join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const [index, name] of names.entries()) {
    if (!(name in values)) {
      return {
        status: 400,
        error: graphError(
          400,
          100,
          `(#100) metric[${index}] must be one of the following values: ${Object.keys(values).join(', ')}`,
          { type: 'OAuthException' },
        ),
      };
    }
  }
  return {
    status: 200,
    body: {
      data: names.map((name) => ({
        name,
        period: 'lifetime',
        values: [{ value: values[name] }],
        title: name,
        description: `Lifetime: ${name}`,
        id: `${id}/${edge}/${name}/lifetime`,
      })),
      paging: { previous: '', next: '' },
    },
  };
}

/** The lifetime video insights of a post, as Graph names them. */
function videoInsightValues(metrics: FakePostMetrics): Record<string, unknown> {
  return {
    total_video_views: metrics.views,
    total_video_views_unique: metrics.views,
    total_video_impressions: metrics.views,
    total_video_reactions_by_type_total: { like: metrics.likes, ...metrics.reactions },
    total_video_stories_by_action_type: {
      share: metrics.shares,
      like: metrics.likes,
      comment: metrics.comments,
    },
  };
}

/** Answers `GET /{video-id}/video_insights` from the metrics book. */
function videoInsights(
  book: FakeMetricsBook,
  videoId: string,
  fields: Record<string, string>,
  response: ServerResponse,
): void {
  const metrics = book.get(videoId);
  if (metrics === undefined) {
    sendError(response, graphMissingObject(videoId));
    return;
  }
  const answer = graphInsightsAnswer(
    videoId,
    'video_insights',
    fields.metric,
    videoInsightValues(metrics),
  );
  if (answer.status === 200) send(response, 200, answer.body);
  else sendError(response, answer.error);
}

function errorOfBehaviour(behaviour: FakeMetaBehaviour, adAccountId: string) {
  switch (behaviour.type) {
    case 'rate-limit': {
      const code = behaviour.code ?? 80004;
      const usage = {
        [adAccountId.replace(/^act_/u, '')]: [
          {
            type: 'ads_management',
            call_count: 100,
            total_cputime: 30,
            total_time: 40,
            estimated_time_to_regain_access: behaviour.regainAccessMinutes ?? 1,
          },
        ],
      };
      return graphError(
        400,
        code,
        'There have been too many calls to this ad-account. Wait a bit and try again.',
        { headers: { 'x-business-use-case-usage': JSON.stringify(usage) }, transient: true },
      );
    }
    case 'server-error':
      return graphError(
        behaviour.status ?? 500,
        behaviour.code ?? 2,
        'Service temporarily unavailable',
        {
          transient: true,
        },
      );
    case 'error':
      return graphError(behaviour.status, behaviour.code, behaviour.message, {
        subcode: behaviour.subcode,
        type: behaviour.errorType,
        userMessage: behaviour.userMessage,
      });
    default:
      return undefined;
  }
}

/** Text fields and the one file part of a multipart or urlencoded body. */
async function parseForm(body: Buffer, contentType: string | undefined) {
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  if (body.byteLength === 0 || contentType === undefined) return { fields, file };
  // A copy typed as a plain ArrayBuffer view: a Buffer is not a BodyInit under the DOM lib.
  const form = await new Response(new Uint8Array(body), {
    headers: { 'content-type': contentType },
  }).formData();
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else file = Buffer.from(await value.arrayBuffer());
  }
  return { fields, file };
}

function send(
  response: ServerResponse,
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.destroyed || response.headersSent) return;
  const body = JSON.stringify(json);
  response.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

function sendError(response: ServerResponse, answer: GraphErrorAnswer): void {
  send(response, answer.httpStatus, answer.body, answer.headers);
}

const numericId = () => String(10 ** 14 + Math.floor(Math.random() * 9 * 10 ** 14));

/**
 * Starts a fake of the Graph API's ad-video upload on 127.0.0.1: `POST /{act_id}/advideos`
 * with `upload_phase=start` (answers `upload_session_id`, `video_id` and the first
 * `start_offset`/`end_offset`), `transfer` (a `video_file_chunk` at the offset the server asked
 * for; answers the next offsets, the server choosing each chunk size from `chunkPlan`) and
 * `finish`, then `GET /{video_id}?fields=status` (processing, then ready or error). Offsets are
 * strings, as Graph sends them. `GET /{video_id}/video_insights?metric=…` serves the lifetime
 * insights of finished videos and of posts given `setMetrics` (100/33 once deleted). Tokens come as `Authorization: Bearer` or `access_token`; a
 * wrong one is error 190. Every request is recorded; faults are scripted per route.
 */
export async function startFakeMetaServer(
  options: FakeMetaServerOptions = {},
): Promise<FakeMetaServer> {
  const accessToken = options.accessToken ?? DEFAULT_TOKEN;
  const switches: FakeMetaSwitches = {
    processingPolls: options.processingPolls ?? 1,
    videoOutcome: options.videoOutcome ?? { status: 'ready' },
    chunkPlan: options.chunkPlan ?? [1024 * 1024],
  };
  const requests: FakeMetaRequest[] = [];
  const sessions = new Map<string, FakeMetaSession>();
  const book = createFakeMetricsBook();
  const queues = new Map<FakeMetaRoute, FakeMetaBehaviour[]>();
  let baseUrl = '';
  let accepted = 0;

  const videoSession = (videoId: string) =>
    [...sessions.values()].find((session) => session.videoId === videoId);

  /** The next range the server asks for: it decides the chunk size, the client follows. */
  function nextRange(session: FakeMetaSession) {
    const start = session.received.byteLength;
    const plan = switches.chunkPlan;
    const size = plan[Math.min(session.chunksAsked, plan.length - 1)] ?? 1024 * 1024;
    session.chunksAsked += 1;
    return {
      start_offset: String(start),
      end_offset: String(Math.min(session.fileSize, start + size)),
    };
  }

  function tokenOf(headers: Record<string, string>, fields: Record<string, string>) {
    const authorization = headers.authorization ?? '';
    const bearer = /^(?:Bearer|OAuth)\s+(.+)$/iu.exec(authorization)?.[1];
    return bearer ?? fields.access_token;
  }

  function route(method: string, path: string, fields: Record<string, string>) {
    const advideos = /^\/(?:v\d+\.\d+\/)?(act_\d+)\/advideos$/u.exec(path);
    if (method === 'POST' && advideos !== null) {
      const phase = fields.upload_phase;
      const routeName: FakeMetaRoute =
        phase === 'start'
          ? 'upload-start'
          : phase === 'transfer'
            ? 'upload-transfer'
            : phase === 'finish'
              ? 'upload-finish'
              : 'unknown';
      return { route: routeName, adAccountId: advideos[1] ?? '' };
    }
    const insights = /^\/(?:v\d+\.\d+\/)?(\d+)\/video_insights$/u.exec(path);
    if (method === 'GET' && insights !== null) {
      return { route: 'video-insights' as const, adAccountId: '', videoId: insights[1] };
    }
    const video = /^\/(?:v\d+\.\d+\/)?(\d+)$/u.exec(path);
    if (method === 'GET' && video !== null) {
      return { route: 'video-status' as const, adAccountId: '', videoId: video[1] };
    }
    return { route: 'unknown' as const, adAccountId: '' };
  }

  function handleRoute(
    routed: ReturnType<typeof route>,
    fields: Record<string, string>,
    file: Buffer | undefined,
    response: ServerResponse,
  ): void {
    const session = sessions.get(fields.upload_session_id ?? '');
    switch (routed.route) {
      case 'upload-start': {
        const fileSize = Number(fields.file_size);
        if (!Number.isInteger(fileSize) || fileSize <= 0) {
          sendError(response, graphError(400, 100, '(#100) The parameter file_size is required'));
          return;
        }
        const created: FakeMetaSession = {
          sessionId: numericId(),
          videoId: numericId(),
          adAccountId: routed.adAccountId,
          fileSize,
          received: Buffer.alloc(0),
          chunksAsked: 0,
          finished: false,
          expired: false,
          polls: 0,
        };
        sessions.set(created.sessionId, created);
        send(response, 200, {
          video_id: created.videoId,
          upload_session_id: created.sessionId,
          ...nextRange(created),
        });
        return;
      }
      case 'upload-transfer':
      case 'upload-finish': {
        if (session === undefined) {
          sendError(response, graphError(400, 100, '(#100) Invalid upload_session_id'));
          return;
        }
        if (session.expired) {
          sendError(
            response,
            graphError(
              400,
              6000,
              'There was a problem uploading your video file. Please try again.',
              {
                subcode: 1363030,
                userMessage: 'Your video upload timed out before it could be completed.',
              },
            ),
          );
          return;
        }
        if (routed.route === 'upload-finish') {
          if (session.received.byteLength !== session.fileSize) {
            sendError(
              response,
              graphError(400, 6001, 'There was a problem uploading your video. Please try again.', {
                subcode: 1363019,
                userMessage: 'The upload is not complete.',
              }),
            );
            return;
          }
          session.finished = true;
          book.publish(session.videoId);
          session.title = fields.title;
          session.description = fields.description;
          send(response, 200, { success: true });
          return;
        }
        const startOffset = Number(fields.start_offset);
        const have = session.received.byteLength;
        if (file === undefined || !Number.isInteger(startOffset) || startOffset > have) {
          sendError(
            response,
            graphError(
              400,
              100,
              `(#100) start_offset ${fields.start_offset} does not match ${have}`,
            ),
          );
          return;
        }
        // A chunk sent again after an unanswered transfer overwrites what is there.
        const end = Math.min(session.fileSize, startOffset + file.byteLength);
        const merged = Buffer.alloc(Math.max(have, end));
        session.received.copy(merged);
        file.copy(merged, startOffset, 0, end - startOffset);
        session.received = merged;
        accepted += end - startOffset;
        send(response, 200, nextRange(session));
        return;
      }
      case 'video-insights':
        videoInsights(book, routed.videoId ?? '', fields, response);
        return;
      case 'video-status': {
        const found = videoSession(routed.videoId ?? '');
        if (found === undefined || !found.finished) {
          sendError(
            response,
            graphError(
              400,
              100,
              `(#100) Unsupported get request. Object with ID '${routed.videoId}' does not exist`,
              {
                subcode: 33,
                type: 'GraphMethodException',
              },
            ),
          );
          return;
        }
        found.polls += 1;
        const processing = found.polls <= switches.processingPolls;
        const outcome = switches.videoOutcome;
        const videoStatus = processing ? 'processing' : outcome.status;
        send(response, 200, {
          status: {
            video_status: videoStatus,
            uploading_phase: { status: 'complete', bytes_transferred: found.fileSize },
            processing_phase:
              outcome.status === 'error' && !processing
                ? { status: 'error', errors: [{ code: 1363008, message: outcome.message }] }
                : { status: processing ? 'in_progress' : 'complete' },
            publishing_phase: { status: processing ? 'not_started' : 'complete' },
          },
          id: found.videoId,
        });
        return;
      }
      default:
        sendError(
          response,
          graphError(400, 100, '(#100) Unknown path components', { type: 'GraphMethodException' }),
        );
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const headers = flatHeaders(request.headers);
    const body = await readBody(request);
    const parsed = await parseForm(body, headers['content-type']);
    const fields = { ...Object.fromEntries(url.searchParams), ...parsed.fields };
    const routed = route(request.method ?? 'GET', url.pathname, fields);
    requests.push({
      route: routed.route,
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers,
      fields,
      ...(parsed.file === undefined ? {} : { chunkBytes: parsed.file.byteLength }),
    });
    const behaviour = queues.get(routed.route)?.shift();
    if (behaviour?.type === 'reset') {
      request.socket.destroy();
      return;
    }
    const scripted =
      behaviour === undefined ? undefined : errorOfBehaviour(behaviour, routed.adAccountId);
    if (scripted !== undefined) {
      sendError(response, scripted);
      return;
    }
    if (tokenOf(headers, fields) !== accessToken) {
      sendError(
        response,
        graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token'),
      );
      return;
    }
    if (behaviour?.type === 'reset-after-handling') {
      handleRoute(routed, fields, parsed.file, {
        destroyed: false,
        headersSent: false,
        writeHead: () => undefined,
        end: () => request.socket.destroy(),
      } as unknown as ServerResponse);
      return;
    }
    handleRoute(routed, fields, parsed.file, response);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendError(response, graphError(500, 1, `fake-meta: ${String(error)}`, { transient: true }));
    });
  });
  baseUrl = await listenOnLoopback(server);

  return {
    baseUrl,
    accessToken,
    requests,
    acceptedBytes: () => accepted,
    sessions,
    switches,
    enqueue(routeName, ...behaviours) {
      const queue = queues.get(routeName) ?? [];
      queue.push(...behaviours);
      queues.set(routeName, queue);
    },
    requestsTo: (routeName) => requests.filter((each) => each.route === routeName),
    ...metricsControls(book),
    expireSession(sessionId) {
      const session = sessions.get(sessionId);
      if (session !== undefined) session.expired = true;
    },
    videoBytes(videoId) {
      const session = videoSession(videoId);
      return session?.finished ? session.received : undefined;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
