import type { BlobStore } from '@vbuckets/core/adapter-kit';

/** What routes know about the host they run in. */
export interface HostInfo {
  categorize: 'queued' | 'inline';
  /** The blob store of the SDK, when the host was given it (bucket ZIP downloads need it). */
  blobs?: BlobStore;
  /** Where multipart uploads are spooled while they stream in. */
  tempDir: string;
  /** Aborted when the server shuts down: live streams end on it. */
  closing: AbortSignal;
  /** How often a session's event stream reads the store for rows finished in another process (default 1000 ms). */
  ssePollMs?: number;
  limits: { jsonBytes: number; fileBytes: number; files: number };
  /** Extra readiness checks by name (`blobs`, …): each resolves when its part answers. */
  readiness: Record<string, () => Promise<void>>;
  /** The OpenAPI document of every route (built once the routes are known). */
  openApi: () => unknown;
  /** Mints a short-lived development admin token; set only when the server checks tokens against its local development secret. */
  devTokens?: () => Promise<string>;
}
