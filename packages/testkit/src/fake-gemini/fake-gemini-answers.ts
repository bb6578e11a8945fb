import type { FakeGeminiAnswerFormat } from './fake-gemini-types';

/** The parts of a generateContent request body the fake looks at. */
export interface GenerateRequestView {
  /** `fileData.fileUri` of every part, in order. */
  fileUris: string[];
  /** Every text part joined with new lines. */
  text: string;
  /** `generationConfig.responseSchema` (or `responseJsonSchema`), if any. */
  responseSchema: SchemaNode | undefined;
  responseMimeType: string | undefined;
}

/** The subset of the Gemini (OpenAPI) schema the fake reads. */
export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads what the fake needs from a generateContent body (camelCase as the SDK sends it, or snake_case). */
export function viewGenerateRequest(body: unknown): GenerateRequestView {
  const fileUris: string[] = [];
  const texts: string[] = [];
  const contents = isRecord(body) && Array.isArray(body.contents) ? body.contents : [];
  for (const content of contents) {
    const parts = isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
    for (const part of parts) {
      if (!isRecord(part)) continue;
      const fileData = part.fileData ?? part.file_data;
      if (isRecord(fileData)) {
        const uri = fileData.fileUri ?? fileData.file_uri;
        if (typeof uri === 'string') fileUris.push(uri);
      }
      if (typeof part.text === 'string') texts.push(part.text);
    }
  }
  const config = isRecord(body) ? (body.generationConfig ?? body.generation_config) : undefined;
  const schema = isRecord(config)
    ? (config.responseSchema ??
      config.response_schema ??
      config.responseJsonSchema ??
      config.response_json_schema)
    : undefined;
  const mimeType = isRecord(config)
    ? (config.responseMimeType ?? config.response_mime_type)
    : undefined;
  return {
    fileUris,
    text: texts.join('\n'),
    responseSchema: isRecord(schema) ? (schema as SchemaNode) : undefined,
    responseMimeType: typeof mimeType === 'string' ? mimeType : undefined,
  };
}

/** The values the default answer gives for a video, by field name. */
export function defaultAnswerFields(
  filename: string | undefined,
  bucketName: string | null,
): Record<string, unknown> {
  const subject = filename ?? 'the video';
  return {
    summary: `Fake summary of ${subject}.`,
    transcript: `Fake transcript of ${subject}.`,
    hook: `Fake hook of ${subject}.`,
    topics: ['fake topic', subject],
    onScreenText: `Fake on-screen text of ${subject}.`,
    bucketName: bucketName ?? 'none',
    confidence: bucketName === null ? 0.1 : 0.9,
    reasoning:
      bucketName === null
        ? `No bucket fits ${subject}.`
        : `${subject} fits "${bucketName}" (fake reasoning).`,
  };
}

function placeholder(schema: SchemaNode | undefined): unknown {
  switch (schema?.type?.toUpperCase()) {
    case 'ARRAY':
      return [];
    case 'NUMBER':
    case 'INTEGER':
      return 0;
    case 'BOOLEAN':
      return false;
    case 'OBJECT':
      return {};
    default:
      return schema?.enum?.[0] ?? '';
  }
}

/**
 * The answer object: with a response schema, exactly its properties (known names from
 * `fields`, others a placeholder of their type), as structured output would give; without
 * one, all of `fields`.
 */
export function answerObject(
  schema: SchemaNode | undefined,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  if (schema?.properties === undefined) return { ...fields };
  const answer: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    answer[name] = Object.hasOwn(fields, name) ? fields[name] : placeholder(property);
  }
  return answer;
}

/** Writes the answer object as the requested format. */
export function formatAnswer(
  answer: Record<string, unknown>,
  format: FakeGeminiAnswerFormat,
): string {
  const json = JSON.stringify(answer, null, 2);
  switch (format) {
    case 'fenced':
      return `\`\`\`json\n${json}\n\`\`\``;
    case 'prose':
      return `Here is the analysis you asked for:\n${json}\nLet me know if you need anything else.`;
    case 'malformed':
      return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
    default:
      return json;
  }
}
