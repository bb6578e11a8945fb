import {
  type S3TestServer,
  type SigV4VerifyingProxy,
  startS3Server,
  startSigV4VerifyingProxy,
} from '@vbuckets/testkit';
import { createS3BlobStore, type S3BlobStore, type S3BlobStoreSettings } from '../src/index';

export const REGION = 'us-east-1';

export interface S3Fixture {
  server: S3TestServer;
  /** Verifies every request's signature before s3rver sees it; its clock can be moved. */
  proxy: SigV4VerifyingProxy;
  /** Milliseconds added to the proxy's clock. */
  clock: { offsetMs: number };
  /** A store on `bucket` through the verifying proxy. */
  storeFor(bucket: string, settings?: Partial<S3BlobStoreSettings>): S3BlobStore;
  close(): Promise<void>;
}

/** A real s3rver process with the buckets, behind a SigV4-verifying proxy. */
export async function startS3Fixture(buckets: readonly string[]): Promise<S3Fixture> {
  const server = await startS3Server({ buckets });
  const clock = { offsetMs: 0 };
  const proxy = await startSigV4VerifyingProxy({
    target: server.endpoint,
    credentials: server.credentials,
    region: REGION,
    now: () => Date.now() + clock.offsetMs,
  });
  return {
    server,
    proxy,
    clock,
    storeFor: (bucket, settings = {}) =>
      createS3BlobStore({
        endpoint: proxy.endpoint,
        region: REGION,
        bucket,
        credentials: server.credentials,
        forcePathStyle: true,
        ...settings,
      }),
    async close() {
      await proxy.close();
      await server.close();
    },
  };
}
