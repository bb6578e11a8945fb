import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { flatHeaders, listenOnLoopback, readBody } from '../fake-http';
import {
  countInputTokens,
  countOutputTokens,
  defaultAnswerFields,
  fakeMessageId,
  fakeToolUseId,
  type MessagesRequestView,
  toolInput,
  viewMessagesRequest,
} from './fake-anthropic-answers';
import {
  type AnthropicErrorAnswer,
  anthropicError,
  fakeRequestId,
  invalidRequest,
  overloadedError,
  rateLimitError,
} from './fake-anthropic-errors';
import type {
  FakeAnthropicBehaviour,
  FakeAnthropicRequest,
  FakeAnthropicServer,
  FakeAnthropicServerOptions,
  FakeAnthropicSwitches,
} from './fake-anthropic-types';

const DEFAULT_API_KEY = 'fake-anthropic-key';

function parseJson(body: Buffer): unknown {
  if (body.byteLength === 0) return undefined;
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
  const body = JSON.stringify(json);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(body);
}

function sendError(response: ServerResponse, answer: AnthropicErrorAnswer): void {
  send(response, answer.httpStatus, answer.body, answer.headers);
}

function errorOfBehaviour(behaviour: FakeAnthropicBehaviour): AnthropicErrorAnswer | undefined {
  switch (behaviour.type) {
    case 'unauthorized':
      return anthropicError(401);
    case 'rate-limit':
      return rateLimitError(behaviour.retryAfter);
    case 'overloaded':
      return overloadedError(behaviour.retryAfter);
    case 'server-error':
      return anthropicError(behaviour.status ?? 500, { message: behaviour.message });
    case 'error':
      return anthropicError(behaviour.status, {
        errorType: behaviour.errorType,
        message: behaviour.message,
        details: behaviour.details,
        headers: behaviour.headers,
      });
    default:
      return undefined;
  }
}

/** The key of a request: `x-api-key`, or the SDK's `Authorization: Bearer`. */
function givenKey(headers: Record<string, string>): string | undefined {
  const header = headers['x-api-key'];
  if (header !== undefined && header !== '') return header;
  const bearer = /^Bearer\s+(.+)$/iu.exec(headers.authorization ?? '');
  return bearer?.[1];
}

/**
 * Starts a fake of Anthropic's Messages API on 127.0.0.1, as `@anthropic-ai/sdk` speaks it:
 * `POST /v1/messages` with the key in `x-api-key` (or `Authorization: Bearer`), an
 * `anthropic-version` header, and a JSON body of text and base64 image blocks, tools and a
 * `tool_choice`. It answers a forced tool with a `tool_use` block filled from the tool's schema
 * (a list of objects gets one item per image: a rating per thumbnail candidate),
 * `stop_reason` and `usage` (images counted as `width × height / 750`), and errors with the
 * API's `{ type: 'error', error: { type, message } }` body and status. Every request is recorded
 * with its images decoded; faults are scripted with `enqueue`.
 */
export async function startFakeAnthropicServer(
  options: FakeAnthropicServerOptions = {},
): Promise<FakeAnthropicServer> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const now = options.now ?? (() => Date.now());
  const switches: FakeAnthropicSwitches = {
    bucketsByFilename: options.bucketsByFilename ?? {},
    answerFields: options.answerFields ?? {},
    messageDelayMs: options.messageDelayMs ?? 0,
  };
  const requests: FakeAnthropicRequest[] = [];
  const queue: FakeAnthropicBehaviour[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';

  const wait = (milliseconds: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, milliseconds);
      timers.add(timer);
    });

  function answer(
    view: MessagesRequestView,
    behaviour: FakeAnthropicBehaviour | undefined,
    response: ServerResponse,
  ): void {
    const filename = Object.keys(switches.bucketsByFilename).find((name) =>
      view.text.includes(name),
    );
    const bucketName =
      filename === undefined ? null : (switches.bucketsByFilename[filename] ?? null);
    const fields = {
      ...defaultAnswerFields(filename, bucketName, view.images.length),
      ...switches.answerFields,
    };
    const tool = view.forcedTool ?? view.tools[0];
    let content: Record<string, unknown>[];
    let stopReason: string;
    let stopDetails: Record<string, unknown> | null = null;
    if (behaviour?.type === 'refusal') {
      const explanation = behaviour.explanation ?? 'The request was declined.';
      content = [{ type: 'text', text: explanation }];
      stopReason = 'refusal';
      stopDetails = { type: 'refusal', category: behaviour.category ?? null, explanation };
    } else if (behaviour?.type === 'text' || tool === undefined) {
      const text = behaviour?.type === 'text' ? behaviour.text : JSON.stringify(fields);
      content = [{ type: 'text', text }];
      stopReason = 'end_turn';
    } else {
      const input =
        behaviour?.type === 'tool-input'
          ? behaviour.input
          : behaviour?.type === 'max-tokens'
            ? {}
            : toolInput(tool.inputSchema, fields, view.images.length);
      content = [{ type: 'tool_use', id: fakeToolUseId(), name: tool.name, input }];
      stopReason = behaviour?.type === 'max-tokens' ? 'max_tokens' : 'tool_use';
    }
    send(
      response,
      200,
      {
        id: fakeMessageId(),
        type: 'message',
        role: 'assistant',
        model: view.model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        stop_details: stopDetails,
        container: null,
        usage: {
          input_tokens: countInputTokens(view),
          output_tokens:
            behaviour?.type === 'max-tokens' ? view.maxTokens : countOutputTokens(content),
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          service_tier: 'standard',
        },
      },
      { 'request-id': fakeRequestId() },
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const headers = flatHeaders(request.headers);
    const method = request.method ?? 'GET';
    const route = method === 'POST' && url.pathname === '/v1/messages' ? 'messages' : 'unknown';
    const body = await readBody(request);
    const json = (headers['content-type'] ?? '').includes('json') ? parseJson(body) : undefined;
    const view = route === 'messages' ? viewMessagesRequest(json) : undefined;
    const record: FakeAnthropicRequest = {
      route,
      method,
      path: `${url.pathname}${url.search}`,
      headers,
      ...(json === undefined ? {} : { json }),
      bodyBytes: body.byteLength,
      images: view !== undefined && 'images' in view ? view.images : [],
      receivedAt: now(),
    };
    requests.push(record);

    if (route === 'unknown') {
      sendError(response, anthropicError(404, { message: `Not found: ${method} ${url.pathname}` }));
      return;
    }
    let behaviour = queue.shift();
    if (behaviour?.type === 'reset') {
      request.socket.destroy();
      return;
    }
    if (behaviour?.type === 'delay') {
      await wait(behaviour.ms);
      behaviour = undefined;
    }
    const key = givenKey(headers);
    if (key === undefined) {
      sendError(response, anthropicError(401, { message: 'x-api-key header is required' }));
      return;
    }
    if (key !== apiKey) {
      sendError(response, anthropicError(401));
      return;
    }
    if (headers['anthropic-version'] === undefined) {
      sendError(response, invalidRequest('anthropic-version: header is required'));
      return;
    }
    const scripted = behaviour === undefined ? undefined : errorOfBehaviour(behaviour);
    if (scripted !== undefined) {
      sendError(response, scripted);
      return;
    }
    if (view === undefined || !('images' in view)) {
      sendError(response, view ?? invalidRequest('The request body is not valid JSON.'));
      return;
    }
    if (switches.messageDelayMs > 0) await wait(switches.messageDelayMs);
    answer(view, behaviour, response);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendError(response, anthropicError(500, { message: `fake-anthropic: ${String(error)}` }));
    });
  });
  baseUrl = await listenOnLoopback(server);

  return {
    baseUrl,
    apiKey,
    requests,
    switches,
    enqueue: (...behaviours) => {
      queue.push(...behaviours);
    },
    requestsTo: (route) => requests.filter((each) => each.route === route),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
