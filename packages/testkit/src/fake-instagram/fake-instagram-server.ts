import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { flatHeaders, listenOnLoopback, readBody } from '../fake-http';
import {
  type GraphErrorAnswer,
  graphError,
  graphInsightsAnswer,
  graphMissingObject,
} from '../fake-meta/fake-meta-server';
import { createFakeMetricsBook, metricsControls } from '../fake-metrics';
import type {
  FakeInstagramBehaviour,
  FakeInstagramContainer,
  FakeInstagramRequest,
  FakeInstagramRoute,
  FakeInstagramServer,
  FakeInstagramServerOptions,
  FakeInstagramSwitches,
} from './fake-instagram-types';

const DEFAULT_TOKEN = 'fake-instagram-token';

function errorOfBehaviour(behaviour: FakeInstagramBehaviour): GraphErrorAnswer | undefined {
  switch (behaviour.type) {
    case 'rate-limit': {
      const usage =
        behaviour.regainAccessMinutes === undefined
          ? undefined
          : JSON.stringify({
              '0': [
                {
                  type: 'instagram',
                  call_count: 100,
                  total_cputime: 20,
                  total_time: 30,
                  estimated_time_to_regain_access: behaviour.regainAccessMinutes,
                },
              ],
            });
      return graphError(400, behaviour.code ?? 4, '(#4) Application request limit reached', {
        transient: true,
        ...(usage === undefined ? {} : { headers: { 'x-business-use-case-usage': usage } }),
      });
    }
    case 'server-error':
      return graphError(behaviour.status ?? 500, 2, 'Service temporarily unavailable', {
        transient: true,
      });
    case 'error':
      return graphError(behaviour.status, behaviour.code, behaviour.message, {
        subcode: behaviour.subcode,
      });
    default:
      return undefined;
  }
}

async function formFields(body: Buffer, contentType: string | undefined) {
  const fields: Record<string, string> = {};
  if (body.byteLength === 0 || contentType === undefined) return fields;
  // A copy typed as a plain ArrayBuffer view: a Buffer is not a BodyInit under the DOM lib.
  const form = await new Response(new Uint8Array(body), {
    headers: { 'content-type': contentType },
  }).formData();
  for (const [name, value] of form.entries()) if (typeof value === 'string') fields[name] = value;
  return fields;
}

function sendJson(
  response: ServerResponse,
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
) {
  if (response.destroyed || response.headersSent) return;
  const body = JSON.stringify(json);
  response.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

const sendError = (response: ServerResponse, answer: GraphErrorAnswer) =>
  sendJson(response, answer.httpStatus, answer.body, answer.headers);

const numericId = () =>
  String(17_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 10 ** 15)));

function routeOf(method: string, path: string): { route: FakeInstagramRoute; id?: string } {
  const version = '(?:/v\\d+\\.\\d+)?';
  const edge = new RegExp(
    `^${version}/(\\d+)/(content_publishing_limit|media|media_publish|insights)$`,
    'u',
  ).exec(path);
  if (edge !== null) {
    const [, id, name] = edge;
    if (method === 'GET' && name === 'insights') return { route: 'media-insights', id };
    if (method === 'GET' && name === 'content_publishing_limit')
      return { route: 'publishing-limit', id };
    if (method === 'POST' && name === 'media') return { route: 'media-create', id };
    if (method === 'POST' && name === 'media_publish') return { route: 'media-publish', id };
  }
  const node = new RegExp(`^${version}/(\\d+)$`, 'u').exec(path);
  if (method === 'GET' && node !== null) return { route: 'container-status', id: node[1] };
  const hosted = /^\/media-host\/([a-f0-9]+)$/u.exec(path);
  if (method === 'GET' && hosted !== null) return { route: 'media-host', id: hosted[1] };
  return { route: 'unknown' };
}

/**
 * Starts a fake of the Instagram Graph API's Reels publishing on 127.0.0.1: `GET
 * /{ig-user-id}/content_publishing_limit` (`quota_usage`, `config`), `POST /{ig-user-id}/media`
 * with `media_type=REELS` and `video_url` (the fake downloads the video from that URL, as
 * Instagram does), `GET /{container-id}?fields=status_code,status` (IN_PROGRESS, then FINISHED,
 * ERROR or EXPIRED), and `POST /{ig-user-id}/media_publish` with `creation_id`; `GET
 * /{ig-media-id}/insights?metric=…` serves the counts of published media and of posts given
 * `setMetrics` (100/33 once deleted, 100 for a deprecated metric such as `plays`). It also hosts
 * media at presigned-looking URLs (`hostMedia`). Every request is recorded; faults are
 * scripted per route.
 */
export async function startFakeInstagramServer(
  options: FakeInstagramServerOptions = {},
): Promise<FakeInstagramServer> {
  const accessToken = options.accessToken ?? DEFAULT_TOKEN;
  const switches: FakeInstagramSwitches = {
    processingPolls: options.processingPolls ?? 1,
    containerOutcome: options.containerOutcome ?? { status: 'FINISHED' },
    quotaUsage: options.quotaUsage ?? 0,
    quotaTotal: options.quotaTotal ?? 50,
    quotaDurationSeconds: options.quotaDurationSeconds ?? 86_400,
  };
  const requests: FakeInstagramRequest[] = [];
  const containers = new Map<string, FakeInstagramContainer>();
  const book = createFakeMetricsBook();
  const hosted = new Map<string, Buffer>();
  const downloads = new Set<Promise<void>>();
  const queues = new Map<FakeInstagramRoute, FakeInstagramBehaviour[]>();
  let baseUrl = '';

  function download(container: FakeInstagramContainer) {
    const task = fetch(container.videoUrl)
      .then(async (answer) => {
        if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
        container.video = Buffer.from(await answer.arrayBuffer());
      })
      .catch((error: unknown) => {
        container.fetchError = String(error);
      })
      .finally(() => downloads.delete(task));
    downloads.add(task);
  }

  function statusOf(container: FakeInstagramContainer) {
    if (container.mediaId !== undefined)
      return { status_code: 'PUBLISHED', status: 'Published: Published.' };
    if (container.expired === true) {
      return {
        status_code: 'EXPIRED',
        status: 'Expired: The container was not published within 24 hours.',
      };
    }
    if (container.fetchError !== undefined) {
      return {
        status_code: 'ERROR',
        status: `Error: Media download has failed. The media URI doesn't meet our requirements. (${container.fetchError})`,
      };
    }
    if (container.video === undefined)
      return { status_code: 'IN_PROGRESS', status: 'In Progress: Media is still being processed.' };
    container.polls += 1;
    if (container.polls <= switches.processingPolls) {
      return { status_code: 'IN_PROGRESS', status: 'In Progress: Media is still being processed.' };
    }
    const outcome = switches.containerOutcome;
    if (outcome.status === 'ERROR')
      return { status_code: 'ERROR', status: `Error: ${outcome.message}` };
    if (outcome.status === 'EXPIRED')
      return {
        status_code: 'EXPIRED',
        status: 'Expired: The container was not published within 24 hours.',
      };
    return {
      status_code: 'FINISHED',
      status: 'Finished: Media has been uploaded and it is ready to be published.',
    };
  }

  function handleRoute(
    route: FakeInstagramRoute,
    id: string,
    fields: Record<string, string>,
    response: ServerResponse,
  ) {
    switch (route) {
      case 'media-insights': {
        const metrics = book.get(id);
        if (metrics === undefined) {
          sendError(response, graphMissingObject(id));
          return;
        }
        if (fields.metric === undefined) {
          sendError(response, graphError(400, 100, '(#100) The parameter metric is required'));
          return;
        }
        const answer = graphInsightsAnswer(id, 'insights', fields.metric, {
          views: metrics.views,
          likes: metrics.likes,
          comments: metrics.comments,
          shares: metrics.shares,
          saved: 0,
          reach: metrics.views,
          total_interactions: metrics.likes + metrics.comments + metrics.shares,
        });
        if (answer.status === 200) sendJson(response, 200, answer.body);
        else sendError(response, answer.error);
        return;
      }
      case 'publishing-limit':
        sendJson(response, 200, {
          data: [
            {
              quota_usage: switches.quotaUsage,
              config: {
                quota_total: switches.quotaTotal,
                quota_duration: switches.quotaDurationSeconds,
              },
            },
          ],
        });
        return;
      case 'media-create': {
        if (fields.media_type !== 'REELS' || fields.video_url === undefined) {
          sendError(
            response,
            graphError(400, 100, '(#100) The parameter video_url is required for REELS'),
          );
          return;
        }
        const container: FakeInstagramContainer = {
          containerId: numericId(),
          igUserId: id,
          mediaType: fields.media_type,
          videoUrl: fields.video_url,
          ...(fields.caption === undefined ? {} : { caption: fields.caption }),
          polls: 0,
        };
        containers.set(container.containerId, container);
        download(container);
        sendJson(response, 200, { id: container.containerId });
        return;
      }
      case 'container-status': {
        const container = containers.get(id);
        if (container === undefined) {
          sendError(
            response,
            graphError(400, 100, `Unsupported get request. Object with ID '${id}' does not exist`, {
              subcode: 33,
              type: 'GraphMethodException',
            }),
          );
          return;
        }
        sendJson(response, 200, { ...statusOf(container), id });
        return;
      }
      case 'media-publish': {
        const container = containers.get(fields.creation_id ?? '');
        if (container === undefined || container.igUserId !== id) {
          sendError(response, graphError(400, 100, '(#100) The parameter creation_id is invalid'));
          return;
        }
        if (container.mediaId !== undefined) {
          sendError(
            response,
            graphError(400, 100, '(#100) The media container has already been published'),
          );
          return;
        }
        const ready =
          container.expired !== true &&
          container.video !== undefined &&
          container.fetchError === undefined &&
          container.polls > switches.processingPolls &&
          switches.containerOutcome.status === 'FINISHED';
        if (!ready) {
          sendError(
            response,
            graphError(400, 9007, 'Media ID is not available', {
              subcode: 2207027,
              userMessage: 'The media is not ready for publishing, please wait for a moment',
            }),
          );
          return;
        }
        if (switches.quotaUsage >= switches.quotaTotal) {
          sendError(
            response,
            graphError(400, 9, 'Application request limit reached', { subcode: 2207042 }),
          );
          return;
        }
        container.mediaId = numericId();
        book.publish(container.mediaId);
        switches.quotaUsage += 1;
        sendJson(response, 200, { id: container.mediaId });
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
    const fields = {
      ...Object.fromEntries(url.searchParams),
      ...(await formFields(body, headers['content-type'])),
    };
    const { route, id = '' } = routeOf(request.method ?? 'GET', url.pathname);
    requests.push({
      route,
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers,
      fields,
    });
    if (route === 'media-host') {
      const bytes = hosted.get(id);
      if (bytes === undefined || url.searchParams.get('X-Amz-Signature') === null) {
        response.writeHead(403).end();
        return;
      }
      response.writeHead(200, {
        'content-type': 'video/mp4',
        'content-length': String(bytes.byteLength),
      });
      response.end(bytes);
      return;
    }
    const behaviour = queues.get(route)?.shift();
    if (behaviour?.type === 'reset') {
      request.socket.destroy();
      return;
    }
    const scripted = behaviour === undefined ? undefined : errorOfBehaviour(behaviour);
    if (scripted !== undefined) {
      sendError(response, scripted);
      return;
    }
    const bearer =
      /^Bearer\s+(.+)$/iu.exec(headers.authorization ?? '')?.[1] ?? fields.access_token;
    if (bearer !== accessToken) {
      sendError(
        response,
        graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token'),
      );
      return;
    }
    if (behaviour?.type === 'reset-after-handling') {
      handleRoute(route, id, fields, {
        destroyed: false,
        headersSent: false,
        writeHead: () => undefined,
        end: () => request.socket.destroy(),
      } as unknown as ServerResponse);
      return;
    }
    handleRoute(route, id, fields, response);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendError(
        response,
        graphError(500, 1, `fake-instagram: ${String(error)}`, { transient: true }),
      );
    });
  });
  baseUrl = await listenOnLoopback(server);

  return {
    baseUrl,
    accessToken,
    requests,
    containers,
    switches,
    enqueue(route, ...behaviours) {
      const queue = queues.get(route) ?? [];
      queue.push(...behaviours);
      queues.set(route, queue);
    },
    requestsTo: (route) => requests.filter((each) => each.route === route),
    hostMedia(bytes) {
      const key = randomBytes(8).toString('hex');
      hosted.set(key, Buffer.from(bytes));
      return `${baseUrl}/media-host/${key}?X-Amz-Expires=3600&X-Amz-Signature=${randomBytes(16).toString('hex')}`;
    },
    ...metricsControls(book),
    published: () =>
      [...containers.values()].filter((container) => container.mediaId !== undefined),
    close: async () => {
      await Promise.allSettled([...downloads]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
