import { createServer } from 'node:http';
import { listenOnLoopback } from '@vbuckets/testkit';

export interface RefusingGemini {
  /** For VBUCKETS_GEMINI_BASE_URL. */
  baseURL: string;
  /** The requests seen: path and the API key header. */
  requests: Array<{ url: string; key: string | undefined }>;
  close(): Promise<void>;
}

/**
 * A stand-in for the Gemini API that refuses every request the way Google does for a bad key
 * (403 PERMISSION_DENIED): enough to see that the CLI picked Gemini, sent the key, and turned
 * the refusal into error rows, without the network.
 */
export async function startRefusingGemini(): Promise<RefusingGemini> {
  const requests: RefusingGemini['requests'] = [];
  const server = createServer((request, response) => {
    const key = request.headers['x-goog-api-key'];
    requests.push({ url: request.url ?? '', key: Array.isArray(key) ? key[0] : key });
    request.resume();
    response.writeHead(403, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        error: { code: 403, message: 'API key not valid.', status: 'PERMISSION_DENIED' },
      }),
    );
  });
  const baseURL = await listenOnLoopback(server);
  return {
    baseURL,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
