import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { listenOnLoopback, type UploaderFailureKind } from '@vbuckets/testkit';

export const SECRET = 'a-webhook-secret-of-some-length';

export interface ReceivedPost {
  id: string;
  bytes: Uint8Array;
  metadata: Record<string, unknown>;
  filename: string;
  headers: Record<string, string>;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A self-hosted receiver as its docs would tell one to write it: parse the multipart body,
 * recompute the HMAC over `<timestamp>.<sha256 of the video part>.<metadata part>` with its
 * own crypto, refuse stale or forged deliveries with 401.
 */
export async function startWebhookReceiver(secret = SECRET) {
  const posts = new Map<string, ReceivedPost>();
  const failures: UploaderFailureKind[] = [];
  const refusals: string[] = [];
  const server = createServer((request, response) => {
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const failure = failures.shift();
    if (failure === 'interrupt') {
      const socket = request.socket;
      request.once('data', () => socket.destroy());
      return;
    }
    readBody(request)
      .then(async (raw) => {
        if (failure === 'rate-limit')
          return answer(429, { error: { message: 'slow down' } }, { 'retry-after': '5' });
        if (failure === 'server-error') return answer(503, { error: { message: 'down' } });
        if (failure === 'unauthorized') return answer(401, { error: { message: 'bad signature' } });
        if (failure === 'reject-media') {
          return answer(422, { error: { message: 'Video rejected by conformance receiver' } });
        }
        const form = await new Response(raw, {
          headers: { 'content-type': String(request.headers['content-type']) },
        }).formData();
        const metadataText = form.get('metadata');
        const video = form.get('video');
        if (typeof metadataText !== 'string' || !(video instanceof Blob)) {
          return answer(400, { error: { message: 'missing parts' } });
        }
        const bytes = new Uint8Array(await video.arrayBuffer());
        const timestamp = String(request.headers['x-vbuckets-timestamp']);
        const expected = `sha256=${createHmac('sha256', secret)
          .update(`${timestamp}.${sha256(bytes)}.${metadataText}`)
          .digest('hex')}`;
        const given = String(request.headers['x-vbuckets-signature']);
        const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
        if (
          !fresh ||
          given.length !== expected.length ||
          !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
        ) {
          refusals.push(fresh ? 'signature' : 'stale');
          return answer(401, { error: { message: 'invalid signature' } });
        }
        const id = randomUUID();
        posts.set(id, {
          id,
          bytes,
          metadata: JSON.parse(metadataText) as Record<string, unknown>,
          filename: (video as File).name,
          headers: Object.fromEntries(
            Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
          ),
        });
        return answer(201, { id, url: `https://example.test/posts/${id}` });
      })
      .catch(() => answer(500, { error: { message: 'receiver crashed' } }));
  });
  const baseUrl = await listenOnLoopback(server);
  return {
    url: `${baseUrl}/hooks/video`,
    posts,
    refusals,
    failNext: (kind: UploaderFailureKind) => void failures.push(kind),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
