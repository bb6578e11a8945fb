import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { flatHeaders, listenOnLoopback, readBody } from '../fake-http';
import {
  answerObject,
  defaultAnswerFields,
  formatAnswer,
  viewGenerateRequest,
} from './fake-gemini-answers';
import {
  formatRetryDelay,
  type GoogleErrorAnswer,
  googleError,
  invalidKeyError,
  missingKeyError,
  rateLimitError,
} from './fake-gemini-errors';
import { createFakeFileRegistry } from './fake-gemini-files';
import type {
  FakeGeminiBehaviour,
  FakeGeminiRequest,
  FakeGeminiRoute,
  FakeGeminiServer,
  FakeGeminiServerOptions,
  FakeGeminiSwitches,
} from './fake-gemini-types';

const DEFAULT_API_KEY = 'fake-gemini-key';
const DEFAULT_CHUNK_GRANULARITY = 256 * 1024;

interface Routed {
  route: FakeGeminiRoute;
  /** The file id of file routes, the model of generateContent. */
  target?: string;
  uploadId?: string;
}

function routeOf(method: string, url: URL, headers: IncomingMessage['headers']): Routed {
  const path = url.pathname;
  if (method === 'POST' && path === '/upload/v1beta/files') {
    const uploadId = url.searchParams.get('upload_id');
    if (uploadId !== null) return { route: 'upload-chunk', uploadId };
    const command = String(headers['x-goog-upload-command'] ?? '');
    if (command.includes('start')) return { route: 'upload-start' };
  }
  const file = /^\/v1beta\/files\/([^/]+)$/u.exec(path);
  if (file !== null && method === 'GET') return { route: 'file-get', target: file[1] };
  if (file !== null && method === 'DELETE') return { route: 'file-delete', target: file[1] };
  const generate = /^\/v1beta\/models\/([^/:]+):generateContent$/u.exec(path);
  if (generate !== null && method === 'POST') {
    return { route: 'generate-content', target: generate[1] };
  }
  return { route: 'unknown' };
}

function parseJson(body: Buffer, headers: Record<string, string>): unknown {
  if (body.byteLength === 0 || !(headers['content-type'] ?? '').includes('json')) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function send(
  response: ServerResponse,
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.destroyed || response.headersSent) return;
  const body = json === undefined ? '' : JSON.stringify(json);
  response.writeHead(status, {
    ...(json === undefined ? {} : { 'content-type': 'application/json; charset=UTF-8' }),
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

function sendError(response: ServerResponse, answer: GoogleErrorAnswer): void {
  send(response, answer.httpStatus, answer.body, answer.headers);
}

function errorOfBehaviour(behaviour: FakeGeminiBehaviour, model: string | undefined) {
  switch (behaviour.type) {
    case 'rate-limit':
      return rateLimitError({
        retryDelay: behaviour.retryDelay,
        retryAfterHeader: behaviour.retryAfterHeader,
        model,
      });
    case 'server-error':
      return googleError(behaviour.status ?? 503, behaviour.message);
    case 'error':
      return googleError(behaviour.status, behaviour.message, behaviour.details);
    default:
      return undefined;
  }
}

/**
 * Starts a fake of the Gemini API's REST protocol on 127.0.0.1, as `@google/genai` speaks it:
 * the Files API's resumable upload (start, then `upload` / `upload, finalize` chunks with
 * offsets), file get (PROCESSING, then ACTIVE or FAILED), file delete, and generateContent with
 * `fileData` parts and a response schema. Every request is recorded; faults are scripted per
 * route with `enqueue` or switched on with `switches`.
 */
export async function startFakeGeminiServer(
  options: FakeGeminiServerOptions = {},
): Promise<FakeGeminiServer> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const now = options.now ?? (() => Date.now());
  const switches: FakeGeminiSwitches = {
    processingPolls: options.processingPolls ?? 1,
    fileOutcome: options.fileOutcome ?? { state: 'ACTIVE' },
    bucketsByFilename: options.bucketsByFilename ?? {},
    answerFormat: options.answerFormat ?? 'json',
    generateDelayMs: options.generateDelayMs ?? 0,
    perMinuteQuota: options.perMinuteQuota,
    quotaWindowMs: options.quotaWindowMs ?? 60_000,
  };
  const requests: FakeGeminiRequest[] = [];
  const queues = new Map<FakeGeminiRoute, FakeGeminiBehaviour[]>();
  const admitted: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';

  const registry = createFakeFileRegistry({
    baseUrl: () => baseUrl,
    now,
    chunkGranularity: options.chunkGranularity ?? DEFAULT_CHUNK_GRANULARITY,
    processingPolls: () => switches.processingPolls,
    fileOutcome: () => switches.fileOutcome,
  });

  const wait = (milliseconds: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, milliseconds);
      timers.add(timer);
    });

  /** A 429 when the rolling window already holds the quota, else admits the call. */
  function quotaError(model: string | undefined): GoogleErrorAnswer | undefined {
    const quota = switches.perMinuteQuota;
    if (quota === undefined) return undefined;
    const at = now();
    while (admitted.length > 0 && (admitted[0] ?? 0) <= at - switches.quotaWindowMs) {
      admitted.shift();
    }
    if (admitted.length >= quota) {
      const oldest = admitted[admitted.length - quota] ?? at;
      return rateLimitError({
        retryDelay: formatRetryDelay(oldest + switches.quotaWindowMs - at),
        quotaValue: quota,
        model,
      });
    }
    admitted.push(at);
    return undefined;
  }

  function keyError(headers: Record<string, string>, url: URL): GoogleErrorAnswer | undefined {
    const given = headers['x-goog-api-key'] ?? url.searchParams.get('key') ?? undefined;
    if (given === undefined || given === '') return missingKeyError();
    return given === apiKey ? undefined : invalidKeyError();
  }

  function uploadStart(record: FakeGeminiRequest, response: ServerResponse): void {
    const headers = record.headers;
    if (headers['x-goog-upload-protocol'] !== 'resumable') {
      sendError(response, googleError(400, 'Only the resumable upload protocol is supported.'));
      return;
    }
    const declared = headers['x-goog-upload-header-content-length'];
    const body = record.json as { file?: Record<string, unknown> } | undefined;
    const file = body?.file ?? {};
    const displayName = file.displayName ?? file.display_name;
    const mimeType =
      headers['x-goog-upload-header-content-type'] ??
      (typeof file.mimeType === 'string' ? file.mimeType : undefined) ??
      'application/octet-stream';
    const uploadId = registry.startUpload({
      declaredSize: declared === undefined ? undefined : Number(declared),
      mimeType,
      displayName: typeof displayName === 'string' ? displayName : undefined,
    });
    const uploadUrl = `${baseUrl}/upload/v1beta/files?upload_id=${uploadId}&upload_protocol=resumable`;
    send(response, 200, undefined, {
      'x-goog-upload-status': 'active',
      'x-goog-upload-url': uploadUrl,
      'x-goog-upload-control-url': uploadUrl,
      'x-goog-upload-chunk-granularity': String(
        options.chunkGranularity ?? DEFAULT_CHUNK_GRANULARITY,
      ),
      'x-guploader-uploadid': uploadId,
    });
  }

  function generateContent(
    record: FakeGeminiRequest,
    model: string | undefined,
    behaviour: FakeGeminiBehaviour | undefined,
    response: ServerResponse,
  ): void {
    const view = viewGenerateRequest(record.json);
    if (record.json === undefined || (view.text === '' && view.fileUris.length === 0)) {
      sendError(
        response,
        googleError(400, '* GenerateContentRequest.contents: contents is not specified'),
      );
      return;
    }
    let filename: string | undefined;
    for (const uri of view.fileUris) {
      const found = registry.fileForUri(uri);
      if ('error' in found) {
        sendError(response, found.error);
        return;
      }
      filename ??= found.file.displayName ?? found.file.name;
    }
    // A text-only request (a categorization of an earlier analysis) names its video in the text.
    filename ??= Object.keys(switches.bucketsByFilename).find((name) => view.text.includes(name));
    const modelVersion = model ?? 'gemini-2.5-flash';
    if (behaviour?.type === 'blocked') {
      send(response, 200, {
        promptFeedback: { blockReason: behaviour.reason ?? 'OTHER' },
        usageMetadata: { promptTokenCount: 1, totalTokenCount: 1 },
        modelVersion,
        responseId: randomUUID(),
      });
      return;
    }
    const bucketName =
      filename === undefined ? null : (switches.bucketsByFilename[filename] ?? null);
    const text =
      behaviour?.type === 'answer'
        ? behaviour.text
        : formatAnswer(
            answerObject(view.responseSchema, defaultAnswerFields(filename, bucketName)),
            switches.answerFormat,
          );
    send(response, 200, {
      candidates: [
        {
          content: { parts: [{ text }], role: 'model' },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 258 * view.fileUris.length + view.text.length,
        candidatesTokenCount: text.length,
        totalTokenCount: 258 * view.fileUris.length + view.text.length + text.length,
      },
      modelVersion,
      responseId: randomUUID(),
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const headers = flatHeaders(request.headers);
    const routed = routeOf(request.method ?? 'GET', url, request.headers);
    const body = await readBody(request);
    const record: FakeGeminiRequest = {
      route: routed.route,
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers,
      json: routed.route === 'upload-chunk' ? undefined : parseJson(body, headers),
      bodyBytes: body.byteLength,
      receivedAt: now(),
    };
    requests.push(record);

    let behaviour = queues.get(routed.route)?.shift();
    if (behaviour?.type === 'reset') {
      request.socket.destroy();
      return;
    }
    if (behaviour?.type === 'delay') {
      await wait(behaviour.ms);
      behaviour = undefined;
    }
    const scripted =
      behaviour === undefined ? undefined : errorOfBehaviour(behaviour, routed.target);
    if (scripted !== undefined) {
      sendError(response, scripted);
      return;
    }

    if (routed.route === 'upload-chunk') {
      const commands = new Set(
        (headers['x-goog-upload-command'] ?? '').split(',').map((command) => command.trim()),
      );
      const offset = headers['x-goog-upload-offset'];
      const answer = registry.receiveChunk({
        uploadId: routed.uploadId ?? '',
        commands,
        offset: offset === undefined ? undefined : Number(offset),
        bytes: body,
      });
      send(response, answer.httpStatus, answer.json, answer.headers);
      return;
    }
    if (routed.route === 'unknown') {
      sendError(response, googleError(404, `Unknown endpoint ${request.method} ${url.pathname}`));
      return;
    }
    const denied = keyError(headers, url);
    if (denied !== undefined) {
      sendError(response, denied);
      return;
    }
    switch (routed.route) {
      case 'upload-start':
        uploadStart(record, response);
        return;
      case 'file-get': {
        const polled = registry.poll(routed.target ?? '');
        if ('error' in polled) sendError(response, polled.error);
        else send(response, 200, registry.toJson(polled.file));
        return;
      }
      case 'file-delete': {
        const missing = registry.remove(routed.target ?? '');
        if (missing !== undefined) sendError(response, missing);
        else send(response, 200, {});
        return;
      }
      case 'generate-content': {
        const limited = quotaError(routed.target);
        if (limited !== undefined) {
          sendError(response, limited);
          return;
        }
        if (switches.generateDelayMs > 0) await wait(switches.generateDelayMs);
        generateContent(record, routed.target, behaviour, response);
        return;
      }
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendError(response, googleError(500, `fake-gemini: ${String(error)}`));
    });
  });
  baseUrl = await listenOnLoopback(server);

  return {
    baseUrl,
    apiKey,
    requests,
    files: registry.files,
    switches,
    enqueue(route, ...behaviours) {
      const queue = queues.get(route) ?? [];
      queue.push(...behaviours);
      queues.set(route, queue);
    },
    requestsTo: (route) => requests.filter((each) => each.route === route),
    liveFiles: () => [...registry.files.values()].filter((file) => file.deletedAt === undefined),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
