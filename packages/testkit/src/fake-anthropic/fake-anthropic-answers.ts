import { randomBytes } from 'node:crypto';
import { type AnthropicErrorAnswer, invalidRequest } from './fake-anthropic-errors';
import { imageTokens, readJpegSize, sniffImageType } from './fake-anthropic-images';
import type { FakeAnthropicImage } from './fake-anthropic-types';

const MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** The subset of a tool's JSON Schema the fake reads. */
export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
}

/** A tool as the request declares it. */
export interface ToolView {
  name: string;
  inputSchema: SchemaNode;
}

/** What the fake reads out of a Messages request body. */
export interface MessagesRequestView {
  model: string;
  maxTokens: number;
  /** Every text block (and the system prompt) joined with new lines. */
  text: string;
  images: FakeAnthropicImage[];
  tools: ToolView[];
  /** The tool `tool_choice` forces (`{ type: 'tool', name }`), if any. */
  forcedTool: ToolView | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/u;

function readImage(
  block: Record<string, unknown>,
  where: string,
  precedingText: string | undefined,
): FakeAnthropicImage | AnthropicErrorAnswer {
  const source = block.source;
  if (!isRecord(source) || source.type !== 'base64') {
    return invalidRequest(`${where}.source: the fake only takes base64 image sources`);
  }
  const mediaType = source.media_type;
  if (typeof mediaType !== 'string' || !MEDIA_TYPES.has(mediaType)) {
    return invalidRequest(
      `${where}.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`,
    );
  }
  const data = source.data;
  if (typeof data !== 'string' || data === '' || data.length % 4 !== 0 || !BASE64.test(data)) {
    return invalidRequest(`${where}.source.base64: invalid base64 data`);
  }
  const bytes = new Uint8Array(Buffer.from(data, 'base64'));
  if (sniffImageType(bytes) !== mediaType) {
    return invalidRequest(
      `${where}.source.base64.data: Image does not match the provided media type ${mediaType}`,
    );
  }
  const size = mediaType === 'image/jpeg' ? readJpegSize(bytes) : undefined;
  return {
    mediaType,
    bytes,
    width: size?.width ?? null,
    height: size?.height ?? null,
    precedingText,
  };
}

function isError(value: unknown): value is AnthropicErrorAnswer {
  return isRecord(value) && typeof value.httpStatus === 'number';
}

/**
 * Reads and checks a Messages request body the way the API does for the fields the fake
 * understands: `model`, `max_tokens`, `messages` with text and base64 image blocks, `system`,
 * `tools` and `tool_choice`. A problem is the API's 400 `invalid_request_error`.
 */
export function viewMessagesRequest(body: unknown): MessagesRequestView | AnthropicErrorAnswer {
  if (!isRecord(body)) return invalidRequest('The request body is not valid JSON.');
  if (typeof body.model !== 'string' || body.model === '') {
    return invalidRequest('model: Field required');
  }
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return invalidRequest('max_tokens: Field required');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return invalidRequest('messages: at least one message is required');
  }
  const texts: string[] = [];
  if (typeof body.system === 'string') texts.push(body.system);
  const images: FakeAnthropicImage[] = [];
  for (const [messageIndex, message] of body.messages.entries()) {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return invalidRequest(`messages.${messageIndex}.role: Input should be 'user' or 'assistant'`);
    }
    if (typeof message.content === 'string') {
      texts.push(message.content);
      continue;
    }
    if (!Array.isArray(message.content)) {
      return invalidRequest(`messages.${messageIndex}.content: Field required`);
    }
    let precedingText: string | undefined;
    for (const [blockIndex, block] of message.content.entries()) {
      const where = `messages.${messageIndex}.content.${blockIndex}`;
      if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') {
        texts.push(block.text);
        precedingText = block.text;
      } else if (isRecord(block) && block.type === 'image') {
        const image = readImage(block, where, precedingText);
        if (isError(image)) return image;
        images.push(image);
        precedingText = undefined;
      } else {
        return invalidRequest(`${where}: the fake only takes text and image blocks`);
      }
    }
  }
  const tools: ToolView[] = [];
  for (const [index, tool] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    if (!isRecord(tool) || typeof tool.name !== 'string' || !isRecord(tool.input_schema)) {
      return invalidRequest(`tools.${index}: a custom tool needs a name and an input_schema`);
    }
    if (tool.input_schema.type !== 'object') {
      return invalidRequest(`tools.${index}.input_schema.type: Input should be 'object'`);
    }
    tools.push({ name: tool.name, inputSchema: tool.input_schema as SchemaNode });
  }
  let forcedTool: ToolView | undefined;
  const choice = body.tool_choice;
  if (isRecord(choice) && choice.type === 'tool') {
    forcedTool = tools.find((tool) => tool.name === choice.name);
    if (forcedTool === undefined) {
      return invalidRequest(
        `tool_choice.name: Tool '${String(choice.name)}' not found in provided tools`,
      );
    }
  }
  return { model: body.model, maxTokens, text: texts.join('\n'), images, tools, forcedTool };
}

/** The values the default answer gives, by tool input property name. */
export function defaultAnswerFields(
  filename: string | undefined,
  bucketName: string | null,
  frames: number,
): Record<string, unknown> {
  const subject = filename ?? 'the video';
  return {
    summary: `Fake summary of ${subject} from ${frames} frames.`,
    hook: `Fake hook of ${subject}.`,
    hookType: 'problem_agitation',
    emotion: 'frustration',
    pacing: 'fast',
    targetAudiencePain: 'no_time',
    tags: ['fake tag', subject],
    onScreenText: `Fake on-screen text of ${subject}.`,
    reasoning:
      bucketName === null
        ? `No bucket fits ${subject}.`
        : `${subject} fits "${bucketName}" (fake reasoning).`,
    bucketName: bucketName ?? 'none',
    confidence: bucketName === null ? 0.1 : 0.9,
  };
}

function placeholder(schema: SchemaNode | undefined): unknown {
  if (schema?.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  switch (schema?.type) {
    case 'array':
      return [];
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'object':
      return {};
    default:
      return '';
  }
}

/**
 * The fields of the `index`-th item of a list answered per image (a rating per candidate): its
 * number from 1, a click prediction rising with the number, `(index + 1) / (images + 1)`
 * rounded to 3 places, and a reason naming the image.
 */
export function defaultItemFields(index: number, images: number): Record<string, unknown> {
  return {
    candidate: index + 1,
    index,
    clickPrediction: Math.round(((index + 1) / (images + 1)) * 1000) / 1000,
    reason: `Fake reason for image ${index + 1} of ${images}.`,
  };
}

/**
 * The forced tool's input as a model would fill it: every property of its schema, a known
 * field's value where it fits the schema's enum, a placeholder of the property's type otherwise.
 * A list of objects (with properties) not given in `fields` holds one item per image of the
 * request, each filled the same way from `defaultItemFields`.
 */
export function toolInput(
  schema: SchemaNode,
  fields: Record<string, unknown>,
  images = 0,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const known = Object.hasOwn(fields, name) ? fields[name] : undefined;
    const fits = property.enum === undefined || property.enum.includes(known);
    const items = property.items;
    if (
      known === undefined &&
      property.type === 'array' &&
      items?.type === 'object' &&
      items.properties !== undefined
    ) {
      input[name] = Array.from({ length: images }, (_, index) =>
        toolInput(items, defaultItemFields(index, images)),
      );
      continue;
    }
    input[name] = known !== undefined && fits ? known : placeholder(property);
  }
  return input;
}

/** A message id in the API's shape. */
export function fakeMessageId(): string {
  return `msg_${randomBytes(18).toString('base64url').slice(0, 24)}`;
}

/** A tool-use id in the API's shape. */
export function fakeToolUseId(): string {
  return `toolu_${randomBytes(18).toString('base64url').slice(0, 24)}`;
}

/**
 * Input tokens as the fake counts them: each JPEG by Anthropic's `width × height / 750`
 * (1 600, the cap, for an image it cannot measure), text and tool definitions at four
 * characters a token.
 */
export function countInputTokens(view: MessagesRequestView): number {
  const images = view.images.reduce(
    (sum, image) =>
      sum +
      (image.width === null || image.height === null
        ? 1600
        : imageTokens(image.width, image.height)),
    0,
  );
  const tools = JSON.stringify(view.tools).length;
  return images + Math.ceil((view.text.length + tools) / 4);
}

/** Output tokens of an answer, at four characters a token. */
export function countOutputTokens(content: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(content).length / 4));
}
