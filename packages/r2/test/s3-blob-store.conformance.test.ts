import { describeBlobStoreConformance } from '@vbuckets/testkit';
import { type S3Fixture, startS3Fixture } from './s3-fixture';

let fixture: S3Fixture;

describeBlobStoreConformance({
  name: 'createS3BlobStore (s3rver process, SigV4-verifying proxy)',
  async createBlobStore() {
    fixture = await startS3Fixture(['conformance']);
    return fixture.storeFor('conformance');
  },
  cleanup: () => fixture.close(),
});
